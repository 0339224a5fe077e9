// Big pages: axe-core's colour checks judged once per distinct set of inputs instead of once per node.
// Installed once per document before `axe.run`; `reset()` before each run. Two changes, both exact:
// - Color#parseString memoised by its string (colour.js parsing was a fifth of color-contrast's time);
// - the `color-contrast` and `link-in-text-block` checks: a node's result is reused from an earlier node
//   whose inputs are the same. The inputs are everything those checks read: the node's own text styles and
//   text kind; for the node and each ancestor, its tag and every style axe's background, stacking-context
//   and pseudo-element code reads; and the background stack axe itself computes, which must be exactly the
//   node's ancestor chain (no other element painted under or over its text). Anything else — shadow DOM,
//   an overlapping element, a related node outside the chain, an asynchronous check — is judged by axe as
//   usual. The reused result is axe's own (result, data, related nodes mapped to the same ancestors).
// One instance per axe object: the wrapped checks close over its state, so a later script on the same document
// (the viewport pass) must reset that instance, not a fresh one.
const glAxeShared = (typeof axe !== 'undefined' && axe.__glAxeShared) || (() => {
  const CHAIN_PROPS = ['display', 'position', 'z-index', 'float', 'opacity', 'transform', '-webkit-transform',
    'mix-blend-mode', 'filter', 'perspective', 'clip-path', '-webkit-mask', 'mask', '-webkit-mask-image',
    'mask-image', '-webkit-mask-border', 'mask-border', 'isolation', 'will-change', '-webkit-overflow-scrolling',
    'contain', 'overflow', 'background-color', 'background-image', 'visibility'];
  const PSEUDO_PROPS = ['content', 'display', 'visibility', 'position', 'background-color', 'background-image',
    'width', 'height'];
  const OWN_PROPS = ['color', '-webkit-text-fill-color', '-webkit-text-stroke-width', '-webkit-text-stroke-color',
    'text-shadow', 'font-size', 'font-weight'];
  const NO_PSEUDO = new Set(['none', 'normal']);
  let chainStyles, stacks, counts;
  const reset = () => { chainStyles = new Map(); stacks = new Map(); counts = {evaluated: 0, reused: 0}; };
  reset();

  const values = (style, props) => props.map(p => style.getPropertyValue(p)).join('\u0001');
  // The ancestor chain (element first) in the document (not shadow DOM), or null.
  const chainOf = (el) => {
    if (!el || el.getRootNode() !== document) return null;
    const chain = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node.assignedSlot || (node !== el && node.shadowRoot)) return null;  // composed parents differ
      chain.push(node);
    }
    return chain[chain.length - 1] === document.documentElement ? chain : null;
  };
  // What axe reads of one element of the chain; `pseudo` when ::before/::after have content (their area is
  // compared with the checked node's size).
  const chainStyle = (el) => {
    let known = chainStyles.get(el);
    if (known === undefined) {
      const style = getComputedStyle(el);
      const before = getComputedStyle(el, '::before'), after = getComputedStyle(el, '::after');
      const pseudo = !NO_PSEUDO.has(before.getPropertyValue('content'))
        || !NO_PSEUDO.has(after.getPropertyValue('content'));
      known = {text: el.localName + '\u0002' + values(style, CHAIN_PROPS)
                 + (pseudo ? '\u0002' + values(before, PSEUDO_PROPS) + '\u0002' + values(after, PSEUDO_PROPS) : ''),
               pseudo, inline: style.getPropertyValue('display') === 'inline',
               transparent: /^rgba\(.*, 0\)$|^transparent$/.test(style.getPropertyValue('background-color'))};
      chainStyles.set(el, known);
    }
    return known;
  };
  // axe's fullyEncompasses (get-background-color.js): decides "partially obscured" for an opaque ancestor.
  const encompasses = (node, rects) => {
    const box = node.getBoundingClientRect();
    let right = box.right, bottom = box.bottom;
    const overflow = getComputedStyle(node).getPropertyValue('overflow');
    if (['scroll', 'auto'].includes(overflow) || node instanceof HTMLHtmlElement) {
      right = box.left + node.scrollWidth;
      bottom = box.top + node.scrollHeight;
    }
    return rects.every(r => r.top >= box.top && r.bottom <= bottom && r.left >= box.left && r.right <= right);
  };
  const textKind = (vNode) => {
    const text = axe.commons.text.visibleVirtual(vNode, false, true);
    const unicode = axe.commons.text.hasUnicode(text, {nonBmp: true});
    const onlyUnicode = axe.commons.text.sanitize(axe.commons.text.removeUnicode(text, {nonBmp: true})) === '';
    return `${text.length === 1 ? 1 : 0}${unicode && onlyUnicode ? 1 : 0}`;
  };
  // The colour inputs of `el`: its chain and a key, or null when axe must judge it itself.
  const colourKey = (el) => {
    let known = stacks.get(el);
    if (known !== undefined) return known;
    known = null;
    const chain = chainOf(el);
    const vNode = chain && axe.utils.getNodeFromTree(el);
    const stack = vNode && axe.commons.color.getBackgroundStack(el);
    if (stack && stack.length === chain.length && stack.every((s, i) => s === chain[i])) {
      const parts = chain.map(chainStyle);
      let key = values(getComputedStyle(el), OWN_PROPS) + '\u0003' + textKind(vNode)
        + (axe.commons.dom.isVisibleOnScreen(el) ? 'v' : 'h') + '\u0003' + parts.map(p => p.text).join('\u0004');
      if (parts.some(p => p.pseudo)) {
        const box = vNode.boundingClientRect;
        key += `\u0003${box.width}x${box.height}`;
      }
      if (parts.some(p => !p.inline && !p.transparent)) {
        const rects = axe.commons.dom.getVisibleChildTextRects(el);
        key += '\u0003' + chain.map((node, i) => parts[i].inline || parts[i].transparent ? '-'
                                    : (encompasses(node, rects) ? '1' : '0')).join('');
      }
      known = {chain, key};
    }
    stacks.set(el, known);
    return known;
  };
  // link-in-text-block: the link's colour inputs, where its parent block is, and that block's inputs.
  const isBlock = (el) => {
    const display = getComputedStyle(el).getPropertyValue('display');
    return ['block', 'list-item', 'table', 'flex', 'grid', 'inline-block'].includes(display)
      || display.substr(0, 6) === 'table-';
  };
  const linkKey = (el) => {
    const own = colourKey(el);
    if (!own) return null;
    const at = own.chain.findIndex((node, i) => i > 0 && isBlock(node));
    const block = at > 0 ? colourKey(own.chain[at]) : null;
    return block ? {chain: own.chain, key: own.key + '\u0005' + at + '\u0005' + block.key} : null;
  };

  const share = (checkId, keyOf) => {
    const check = axe._audit.checks[checkId];
    if (!check || check.__glShared) return;
    const evaluate = check.evaluate, seen = new Map();
    let run = null;
    check.evaluate = function (node, options, vNode, context) {
      if (run !== chainStyles) { seen.clear(); run = chainStyles; }  // a new axe.run: nothing carried over
      const input = keyOf(node);
      const known = input && seen.get(input.key);
      if (known) {
        counts.reused += 1;
        if (known.data !== undefined) this.data(known.data && typeof known.data === 'object' ? {...known.data}
                                                                                       : known.data);
        if (known.related) this.relatedNodes(known.related.map(i => input.chain[i]));
        return known.result;
      }
      counts.evaluated += 1;
      const record = {data: undefined, related: null, usable: true};
      const helper = this;
      const proxy = Object.create(helper);
      proxy.data = (d) => { record.data = d; helper.data(d); };
      proxy.relatedNodes = (nodes) => {
        const list = nodes instanceof Node ? [nodes] : Array.from(nodes || []);
        const indexes = list.map(n => input ? input.chain.indexOf(n && n.actualNode ? n.actualNode : n) : -1);
        if (indexes.some(i => i < 0)) record.usable = false;
        record.related = indexes;
        helper.relatedNodes(nodes);
      };
      proxy.async = () => { record.usable = false; return helper.async(); };
      const result = evaluate.call(proxy, node, options, vNode, context);
      if (input && record.usable && (result === true || result === false || result === undefined)) {
        seen.set(input.key, {result, data: record.data && typeof record.data === 'object' ? {...record.data}
                                                                                         : record.data,
                             related: record.related});
      }
      return result;
    };
    check.__glShared = true;
  };

  const install = () => {
    const Color = axe.commons.color.Color;
    if (!Color.prototype.__glParse) {
      const parse = Color.prototype.parseString, parsed = new Map();
      Color.prototype.parseString = function (text) {
        const hit = parsed.get(text);
        if (hit) { [this.r, this.g, this.b, this.alpha] = hit; return this; }
        parse.call(this, text);
        parsed.set(text, [this.r, this.g, this.b, this.alpha]);
        return this;
      };
      Color.prototype.__glParse = parse;
    }
    share('color-contrast', colourKey);
    share('link-in-text-block', linkKey);
  };
  const api = {install, reset, counts: () => counts};
  if (typeof axe !== 'undefined') Object.defineProperty(axe, '__glAxeShared', {value: api});
  return api;
})();
