// Helpers every in-page script gets as `gl`: a CSS selector and a short HTML snippet for an element.
const SNIPPET = __SNIPPET__;
const gl = {
  selector(el) {
    if (!el || el.nodeType !== 1) return '';
    const parts = [];
    while (el && el.nodeType === 1 && parts.length < 6) {
      if (el.id && /^[A-Za-z][\w-]*$/.test(el.id)) { parts.unshift('#' + el.id); break; }
      let part = el.localName;
      const parent = el.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter(c => c.localName === el.localName);
        if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
      }
      parts.unshift(part);
      el = parent;
    }
    return parts.join(' > ');
  },
  snippet(el) {
    const html = el && el.outerHTML ? el.outerHTML : String(el);
    return html.length > SNIPPET ? html.slice(0, SNIPPET) + '…' : html;
  },
  node(el) { return {selector: gl.selector(el), snippet: gl.snippet(el)}; },
  visible(el) {
    // checkVisibility: also an element a closed <details> or another content-visibility: hidden ancestor does not
    // render, which still has a box (getBoundingClientRect) and cannot take focus.
    if (el.checkVisibility && !el.checkVisibility()) return false;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  },
  text(el) { return (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim(); },
};
