// Big pages: axe-core's colour checks judged once per distinct set of inputs instead of once per node.
// Installed once per document before `axe.run`. Two changes, both exact:
// - Color#parseString memoised by its string (colour.js parsing was a fifth of color-contrast's time);
// - the `color-contrast` and `link-in-text-block` checks: a node's result is reused from an earlier node
//   whose inputs are the same. The inputs are everything those checks read: the node's own text styles and
//   text kind; for the node and each ancestor, its tag and every style axe's background, stacking-context
//   and pseudo-element code reads; and axe's own text stacks (its background stack before the steps that
//   leave an ancestor chain as it is), which must be exactly the node's ancestor chain (no other element
//   painted under or over its text). Anything else — shadow DOM, an overlapping element, a related node
//   outside the chain, an asynchronous check — is judged by axe as usual. The reused result is axe's own
//   (result, data, related nodes mapped to the same ancestors).
// One instance per axe object: the wrapped checks close over its state, so a later script on the same document
// (the viewport pass) uses that instance, not a fresh one. Everything read or judged belongs to one `axe.run` (one
// flattened tree, `axe._tree`): the next run, after the viewport or the page changed, starts afresh even unreset.
const glAxeShared = (typeof axe !== 'undefined' && axe.__glAxeShared) || (() => {
  const CHAIN_PROPS = ['display', 'position', 'z-index', 'float', 'opacity', 'transform', '-webkit-transform',
    'mix-blend-mode', 'filter', 'perspective', 'clip-path', '-webkit-mask', 'mask', '-webkit-mask-image',
    'mask-image', '-webkit-mask-border', 'mask-border', 'isolation', 'will-change', '-webkit-overflow-scrolling',
    'contain', 'overflow', 'background-color', 'background-image', 'visibility'];
  const BACKGROUND = CHAIN_PROPS.indexOf('background-color');
  const PSEUDO_PROPS = ['content', 'display', 'visibility', 'position', 'background-color', 'background-image',
    'width', 'height'];
  const OWN_PROPS = ['color', '-webkit-text-fill-color', '-webkit-text-stroke-width', '-webkit-text-stroke-color',
    'text-shadow', 'font-size', 'font-weight'];
  const NO_PSEUDO = new Set(['none', 'normal']);
  const BLOCKS = new Set(['block', 'list-item', 'table', 'flex', 'grid', 'inline-block']);
  let tree = null, members, keys, boxes, texts, kinds, judged, counts = {evaluated: 0, reused: 0};
  const fresh = () => {
    if (axe._tree === tree) return;
    tree = axe._tree;
    members = new Map(); keys = new Map(); boxes = new Map(); texts = new Map(); kinds = new Map(); judged = new Map();
    counts = {evaluated: 0, reused: 0};
  };
  const reset = () => { tree = null; fresh(); };
  // Long texts become small numbers (keys stay short: less to build, hash and collect).
  const intern = (text) => {
    let id = texts.get(text);
    if (id === undefined) { id = texts.size; texts.set(text, id); }
    return id;
  };
  const values = (style, props) => {
    let text = '';
    for (const p of props) text += style.getPropertyValue(p) + '\u0001';
    return text;
  };

  // What axe reads of one element as a member of a node's ancestor chain, and of the chain from it up to the root:
  // `up` names that chain; `ok` is false when it is not a plain document chain (a slot, a shadow root, not
  // ending at <html>); `pseudo` when an element on it has ::before/::after content (their area is compared with
  // the checked node's size); `opaque` when one is a non-inline box with a background (axe asks whether it
  // encloses the text).
  const member = (el) => {
    let known = members.get(el);
    if (known !== undefined) return known;
    const parent = el.parentElement;
    const above = parent ? member(parent) : null;
    const style = getComputedStyle(el);
    const before = getComputedStyle(el, '::before'), after = getComputedStyle(el, '::after');
    const pseudo = !NO_PSEUDO.has(before.getPropertyValue('content'))
      || !NO_PSEUDO.has(after.getPropertyValue('content'));
    const chain = CHAIN_PROPS.map(p => style.getPropertyValue(p));
    const display = chain[0];
    const own = intern(el.localName + '\u0002' + chain.join('\u0001')
      + (pseudo ? '\u0002' + values(before, PSEUDO_PROPS) + '\u0002' + values(after, PSEUDO_PROPS) : ''));
    const opaque = display !== 'inline'
      && !/^rgba\(.*, 0\)$|^transparent$/.test(chain[BACKGROUND]);
    known = {
      style, opaque, block: BLOCKS.has(display) || display.substr(0, 6) === 'table-',
      up: intern(above ? own + '.' + above.up : String(own)),
      ok: !el.assignedSlot && (above ? above.ok && !parent.shadowRoot : el === document.documentElement),
      pseudo: pseudo || (above !== null && above.pseudo), opaque_up: opaque || (above !== null && above.opaque_up),
    };
    members.set(el, known);
    return known;
  };
  // axe's fullyEncompasses (get-background-color.js): decides "partially obscured" for an opaque ancestor.
  const encompasses = (node, rects) => {
    let box = boxes.get(node);
    if (box === undefined) {
      const rect = node.getBoundingClientRect();
      box = {top: rect.top, left: rect.left, right: rect.right, bottom: rect.bottom};
      const overflow = getComputedStyle(node).getPropertyValue('overflow');
      if (['scroll', 'auto'].includes(overflow) || node instanceof HTMLHtmlElement) {
        box.right = rect.left + node.scrollWidth;
        box.bottom = rect.top + node.scrollHeight;
      }
      boxes.set(node, box);
    }
    return rects.every(r => r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right);
  };
  const textKind = (vNode) => {
    const text = axe.commons.text.visibleVirtual(vNode, false, true);
    let kind = kinds.get(text);
    if (kind === undefined) { kind = kindOf(text); kinds.set(text, kind); }
    return kind;
  };
  const kindOf = (text) => {
    const unicode = axe.commons.text.hasUnicode(text, {nonBmp: true});
    const onlyUnicode = axe.commons.text.sanitize(axe.commons.text.removeUnicode(text, {nonBmp: true})) === '';
    return `${text.length === 1 ? 1 : 0}${unicode && onlyUnicode ? 1 : 0}`;
  };
  // Whether `stack` (elements, the node first) is exactly the node's ancestor chain up to <html>.
  const isChain = (stack, el) => {
    let node = el;
    for (const item of stack) {
      if (item !== node) return false;
      node = node.parentElement;
    }
    return node === null;
  };
  // The colour inputs of `el` (a key), or null when axe must judge it itself.
  const colourKey = (el) => {
    let known = keys.get(el);
    if (known !== undefined) return known;
    known = null;
    const self = el.nodeType === 1 ? member(el) : null;
    const vNode = self && self.ok && axe.utils.getNodeFromTree(el);
    // axe's background stack is its text stacks (one per text rect) each reduced below floating elements
    // and with the page background sorted last: both leave an ancestor chain as it is, so when every text
    // stack is the chain, so is the background stack (otherwise axe judges the node).
    const stacks = vNode && axe.commons.dom.getTextElementStack(el);
    if (stacks && stacks.length && stacks.every(stack => isChain(stack, el))) {
      let key = intern(values(self.style, OWN_PROPS)) + '\u0003' + textKind(vNode)
        + (axe.commons.dom.isVisibleOnScreen(el) ? 'v' : 'h') + self.up;
      if (self.pseudo) {
        const box = vNode.boundingClientRect;
        key += `\u0003${box.width}x${box.height}`;
      }
      if (self.opaque_up) {
        const rects = axe.commons.dom.getVisibleChildTextRects(el);
        key += '\u0003';
        for (let node = el; node; node = node.parentElement) {
          if (members.get(node).opaque) key += encompasses(node, rects) ? '1' : '0';
        }
      }
      known = key;
    }
    keys.set(el, known);
    return known;
  };
  // link-in-text-block: the link's colour inputs, where its parent block is, and that block's inputs.
  const linkKey = (el) => {
    const own = colourKey(el);
    if (own === null) return null;
    let at = 1, block = el.parentElement;
    while (block && !members.get(block).block) { block = block.parentElement; at += 1; }
    const outer = block ? colourKey(block) : null;
    return outer === null ? null : own + '\u0005' + at + '\u0005' + outer;
  };
  // The index of `node` in the ancestor chain of `el` (0: el itself), or -1.
  const depth = (el, node) => {
    let i = 0;
    for (let at = el; at; at = at.parentElement, i += 1) if (at === node) return i;
    return -1;
  };
  const ancestor = (el, i) => {
    let at = el;
    while (i-- > 0) at = at.parentElement;
    return at;
  };
  const copy = (data) => data && typeof data === 'object' ? {...data} : data;

  const share = (checkId, keyOf) => {
    const check = axe._audit.checks[checkId];
    if (!check || check.__glShared) return;
    const evaluate = check.evaluate;
    check.evaluate = function (node, options, vNode, context) {
      fresh();
      const key = keyOf(node);
      const seen = key === null ? undefined : judged.get(checkId + '\u0006' + key);
      if (seen) {
        counts.reused += 1;
        if (seen.data !== undefined) this.data(copy(seen.data));
        if (seen.related) this.relatedNodes(seen.related.map(i => ancestor(node, i)));
        return seen.result;
      }
      counts.evaluated += 1;
      const record = {data: undefined, related: null, usable: true};
      const helper = this;
      const proxy = Object.create(helper);
      proxy.data = (d) => { record.data = d; helper.data(d); };
      proxy.relatedNodes = (nodes) => {
        const list = nodes instanceof Node ? [nodes] : Array.from(nodes || []);
        const indexes = list.map(n => depth(node, n && n.actualNode ? n.actualNode : n));
        if (indexes.some(i => i < 0)) record.usable = false;
        record.related = indexes;
        helper.relatedNodes(nodes);
      };
      proxy.async = () => { record.usable = false; return helper.async(); };
      const result = evaluate.call(proxy, node, options, vNode, context);
      if (key !== null && record.usable && (result === true || result === false || result === undefined)) {
        judged.set(checkId + '\u0006' + key, {result, data: copy(record.data), related: record.related});
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
