// Before the viewport changes: how each element looks now (whether it is visible, and the styles colour contrast
// and link-in-text-block read), so the next viewport runs the scoped rules again only where something differs.
// Also keeps the plan of the next viewport's pass. `arguments[0]`: the plan; `arguments[1]`: the most elements
// worth comparing (past it, the next viewport runs the scoped rules on the whole document).
// Font size matters to both rules only as large text or not (24px, or 18.66px bold): a phone's smaller type
// changes nothing else there. `display` only through visibility.
const props = ['visibility', 'opacity', 'color', 'background-color', 'background-image', 'font-weight', 'font-style',
  'text-decoration-line', 'text-shadow', 'border-bottom-style', 'position', 'z-index', 'overflow', 'clip-path',
  'filter', 'mix-blend-mode'];
const sig = (el) => {
  const style = getComputedStyle(el);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
  return (el.checkVisibility ? el.checkVisibility({visibilityProperty: true}) : true) + '|' + large + '|'
    + props.map(p => style.getPropertyValue(p)).join('|');
};
const elements = document.querySelectorAll('body *');
window.__glViewPlan = arguments[0];
window.__glFirstSize = `${innerWidth}x${innerHeight}`;  // the pass waits until the new size has reached the page
if (elements.length > arguments[1]) {
  window.__glLayout = null;
  return elements.length;
}
const saved = new Map();
for (const el of elements) saved.set(el, sig(el));
window.__glLayout = {sig, saved};
return elements.length;
