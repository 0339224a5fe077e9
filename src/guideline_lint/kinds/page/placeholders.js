// Template text in the page (TPL-002): the places where the shared placeholder words (or a test word as the whole
// text) occur — text, link and image addresses, image alternatives, the share-card <meta> and the canonical link.
// Only candidates are returned, each with its element and the text around it; the kind decides (example markers,
// marks used as symbols). Not read: scripts, styles, <template>, code samples (code, pre, kbd, samp), and what
// a user types (input values, textarea, input placeholders: an example there is meant).
const ANYWHERE = new RegExp(__ANYWHERE__, 'iu');
const WHOLE = new RegExp('^(?:' + __WHOLE__ + ')$', 'iu');
const LIMIT = 200;
const SKIP = 'script, style, noscript, template, textarea, code, pre, kbd, samp, svg title';
const items = [];
let total = 0;
const clip = s => (s.length > 300 ? s.slice(0, 300) + '…' : s);
const add = (where, text, el, context) => {
  total += 1;
  if (items.length < LIMIT) items.push({where, text: clip(text), context: clip(context || ''), node: gl.node(el)});
};
const hit = text => ANYWHERE.test(text) || WHOLE.test(text.normalize('NFKC').trim());
if (document.body) {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(SKIP) || !hit(text)) continue;
    // The element's own text gives the context (an example marker in a sibling text node: 「例：」<b>〇〇市</b>).
    const block = el.closest('p, li, dd, dt, td, th, label, h1, h2, h3, h4, h5, h6, figcaption, caption') || el;
    add('text', text, el, gl.text(block));
  }
}
const attribute = (selector, name, where) => {
  for (const el of document.querySelectorAll(selector)) {
    const value = (el.getAttribute(name) || '').trim();
    if (value && hit(value) && !el.closest('template')) add(where, value, el, '');
  }
};
attribute('a[href], area[href]', 'href', 'href');
attribute('link[rel~="canonical" i][href]', 'href', 'href');
attribute('img[src]:not([data-src]):not([data-lazy-src])', 'src', 'src');
attribute('img[alt]', 'alt', 'alt');
attribute('meta[property^="og:" i][content], meta[name^="twitter:" i][content]', 'content', 'meta');
return {status: 'pass', count: total, detail: {items}};
