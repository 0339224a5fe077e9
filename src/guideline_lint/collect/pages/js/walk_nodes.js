// The elements a trap keeps focus on, and whether the page tells how to leave with keys.
const indices = arguments[0];
const text = (document.body ? document.body.innerText : '');
return {
  nodes: indices.map(i => {
    const el = window.__glTabbables[i];
    const html = el.outerHTML;
    return {selector: el.id ? '#' + el.id : el.localName,
            snippet: html.length > 300 ? html.slice(0, 300) + '…' : html};
  }),
  instructions: /press|\bkeys?\b|\besc(ape)?\b|ctrl|shortcut|キー|押して|押す/i.test(text),
};
