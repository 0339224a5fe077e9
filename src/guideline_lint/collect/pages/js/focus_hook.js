// Counts focus-loss listeners a page registers on elements, so only pages that could trap the keyboard get the
// (slow) walk with real Tab presses. Runs in the page's world before its own scripts; the count sits behind a
// non-configurable getter, so the page can neither preset nor redefine it. It changes nothing else.
(() => {
  if (Object.getOwnPropertyDescriptor(window, '__glFocusHandlers')) return;
  let count = 0;
  const add = EventTarget.prototype.addEventListener;
  const ElementClass = Element;
  Object.defineProperty(window, '__glFocusHandlers', {get: () => count, configurable: false, enumerable: false});
  // Traps pull focus back when it leaves an element: blur/focusout handlers on elements (not window/document).
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    if ((type === 'blur' || type === 'focusout') && this instanceof ElementClass) count++;
    return add.call(this, type, ...rest);
  };
})();
