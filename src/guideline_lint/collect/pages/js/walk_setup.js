// The Tab walk: the tabbable elements, focus taken off; their count.
window.__glTabbables = Array.from(document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex]'))
  .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0);
if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
return window.__glTabbables.length;
