// At a further viewport, on the same document (run by the runner, so `axe`, `gl` and `compact` are at hand): the
// layout-dependent axe rules on the whole document, the scoped ones (colour contrast, own markup) only inside the
// elements whose look changed (or everywhere when the first viewport's look was not kept), and which of the first
// viewport's nodes of those rules lie inside them (those are judged again; the others keep their result).
const plan = window.__glViewPlan || {};
const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
// The new size reaches the page a frame or more after DevTools set it (later on a busy machine): wait for it (at
// most 30 frames), then one more frame for the page's resize handlers.
for (let i = 0; i < 30 && `${innerWidth}x${innerHeight}` === window.__glFirstSize; i++) await frame();
await frame();
const out = {viewport: `${innerWidth}x${innerHeight}`, whole: null, scoped: null, inside: {}, changed: null};
const summary = (r) => ({violations: r.violations.map(compact), incomplete: r.incomplete.map(compact),
                         passes: r.passes.map(x => x.id), inapplicable: r.inapplicable.map(x => x.id)});
// Sharing as in the first pass; its state belongs to one axe.run (axe_shared.js), so nothing of the first
// viewport's layout is reused here.
const run = (context, options) => { glAxeShared.install(); return axe.run(context, options); };
if (plan.whole) out.whole = summary(await run(document, plan.whole));
if (!plan.scoped) return out;
const layout = window.__glLayout;
let roots = null;  // null: the whole document
if (layout) {
  roots = [];
  let last = null;
  for (const el of document.querySelectorAll('body *')) {
    if (last && last.contains(el)) continue;
    if (layout.saved.get(el) !== layout.sig(el)) { roots.push(el); last = el; }
  }
  out.changed = roots.length;
  if (roots.length > 30) {  // axe checks every node against every root: many roots cost more than one around them
    let common = roots[0];
    while (common && !roots.every(el => common.contains(el))) common = common.parentElement;
    roots = common ? [common] : null;
  }
}
if (roots && !roots.length) return out;
out.scoped = summary(await run(roots ? {include: roots} : document, plan.scoped));
for (const [rule, selectors] of Object.entries(plan.nodes || {})) {
  out.inside[rule] = selectors.filter(selector => {
    if (!roots) return true;
    let el = null;
    try { el = document.querySelector(selector); } catch (e) { return false; }
    return !!el && roots.some(root => root.contains(el));
  });
}
return out;
