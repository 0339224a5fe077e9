// Counts focus-loss listeners a page registers, so only pages that could trap the keyboard get the (slow)
// walk with real Tab presses. Installed before the page's own scripts; it changes nothing else.
(() => {
  if (window.__glFocusHandlers !== undefined) return;
  window.__glFocusHandlers = 0;
  const add = EventTarget.prototype.addEventListener;
  // Traps pull focus back when it leaves an element: blur/focusout handlers on elements (not window/document).
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    if ((type === 'blur' || type === 'focusout') && this instanceof Element) window.__glFocusHandlers++;
    return add.call(this, type, ...rest);
  };
})();
