// The per-page script: axe with the rules asked for, then every in-page script, in one round trip.
// The body of an async WebDriver script: `arguments[0]` the axe options (null: no axe), the last one the callback.
const done = arguments[arguments.length - 1];
const axeOptions = arguments[0];
/*HELPERS*/
/*AXE_SHARED*/
const scripts = {/*SCRIPTS*/};
const compact = (rule) => ({
  id: rule.id, impact: rule.impact, tags: rule.tags, count: rule.nodes.length,
  nodes: rule.nodes.slice(0, __MAX_NODES__).map(n => ({
    selector: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' | '),
    snippet: n.html.length > __SNIPPET__ ? n.html.slice(0, __SNIPPET__) + '…' : n.html,
    summary: (n.failureSummary || '').slice(0, 400),
  })),
});
(async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const result = {url: location.href, navUrl: nav ? nav.name : location.href, contentType: document.contentType,
                  dom: {}, engine: {axe: typeof axe === 'undefined' ? null : axe.version,
                                    userAgent: navigator.userAgent, viewport: `${innerWidth}x${innerHeight}`}};
  if (axeOptions !== null) {
    if (typeof axe === 'undefined') {
      result.axeError = 'axe-core is not loaded in this document';
    } else {
      try {
        const {shared, ...options} = axeOptions;  // shared: false judges every node on its own (benchmarks)
        if (shared !== false) { glAxeShared.install(); glAxeShared.reset(); }
        const t0 = performance.now();
        const r = await axe.run(document, options);
        result.axeMs = performance.now() - t0;
        if (shared !== false) result.axeShared = glAxeShared.counts();
        result.axe = {
          violations: r.violations.map(compact), incomplete: r.incomplete.map(compact),
          passes: r.passes.map(x => x.id), inapplicable: r.inapplicable.map(x => x.id),
        };
      } catch (e) { result.axeError = String(e && e.message || e); }
    }
  }
  const t1 = performance.now();
  result.scriptMs = {};  // per in-page script (benchmarks)
  for (const [name, fn] of Object.entries(scripts)) {
    const t2 = performance.now();
    try { result.dom[name] = await fn(); } catch (e) { result.dom[name] = {error: String(e && e.message || e)}; }
    result.scriptMs[name] = performance.now() - t2;
  }
  result.scriptsMs = performance.now() - t1;
  return result;
})().then(done, e => done({error: String(e && e.message || e)}));
