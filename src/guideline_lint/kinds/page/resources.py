"""``page_resources``: the page's images, style sheets and scripts all loaded.

A page whose CSS or scripts did not load is not the page its users see (half-rendered, a menu that does not
open), and every other finding on it describes that broken version. The in-page script lists what failed:
images the browser could not decode, style sheets without a sheet, any resource the server answered with an HTTP
error (same-origin resources only: the browser hides other origins' status codes) and a declared icon the server
does not have. Icons are asked for by the script itself, once: the browser's own icon requests (a declared icon,
/favicon.ico) come and go from one run to the next, and counting them made the result vary.
"""

from __future__ import annotations

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import nodes_at, pages_of, script_key, script_result
from guideline_lint.model import Location, Status, Target, Text

FAILED_RESOURCES = r"""
const failed = new Map();
// Same-origin addresses as paths (/css/site.css): the audit's own local server name means nothing to a reader.
const shown = u => {
  try {
    const x = new URL(u, location.href);
    return x.origin === location.origin ? x.pathname + x.search : u;
  } catch (e) { return u; }
};
const add = (url, type, el) => { if (url && !failed.has(url)) failed.set(url, {type, node: el ? gl.node(el) : null}); };
// Icons are the browser's own requests: made early, late or not at all, and /favicon.ico tried besides a declared
// icon, so their timing entries differ from one run to the next. They are left out here; a declared icon is asked
// for once, below, and /favicon.ico is no resource of the page unless the page names it.
const icons = [...document.querySelectorAll('link[rel~="icon" i][href]')].slice(0, 5);
const isIcon = u => {
  const x = new URL(u, location.href);
  return (x.origin === location.origin && x.pathname === '/favicon.ico') || icons.some(l => l.href === x.href);
};
for (const entry of performance.getEntriesByType('resource')) {
  if (entry.responseStatus >= 400 && !isIcon(entry.name)) add(entry.name, entry.initiatorType || 'other', null);
}
for (const link of icons) {
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || failed.has(url.href)) continue;  // other origins hide their status
  const status = await fetch(url.href, {signal: AbortSignal.timeout(5000)}).then(r => r.status, () => 0);
  if (status >= 400) add(url.href, 'icon', link);
}
for (const img of document.images) {
  // decode() rejects for an image that cannot be shown; an SVG without a size decodes fine.
  if (img.complete && img.currentSrc && img.naturalWidth === 0
      && !(await img.decode().then(() => true, () => false))) add(img.currentSrc, 'img', img);
}
for (const link of document.querySelectorAll('link[rel~="stylesheet" i][href]')) {
  if (!link.sheet && !link.disabled && (!link.media || matchMedia(link.media).matches)) add(link.href, 'link', link);
}
const items = [...failed.entries()].map(([url, f]) => ({url: shown(url), type: f.type, node: f.node}));
return {status: items.length ? 'fail' : 'pass', count: items.length,
        nodes: items.map(i => i.node || {selector: '', snippet: i.url}).slice(0, 20),
        detail: {urls: items.slice(0, 50).map(i => i.url)}};
"""


class ResourcesParams(Params):
    ignore: list[str] = Field(default_factory=list, description="URL substrings to leave out (e.g. a tracker)")


class PageResourcesKind(Kind):
    name = "page_resources"
    target = Target.PAGE
    Params = ResourcesParams
    summary = Text(ja="ページの画像・スタイルシート・スクリプトがすべて読み込まれる",
                   en="the page's images, style sheets and scripts all load")

    def needs(self, params: ResourcesParams) -> Needs:
        return Needs(page_scripts={script_key(FAILED_RESOURCES): FAILED_RESOURCES})

    def evaluate(self, params: ResourcesParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            result = script_result(page, script_key(FAILED_RESOURCES))
            if isinstance(result, Observation):
                out.append(result)
                continue
            urls = [str(u) for u in (result.get("detail") or {}).get("urls") or []]
            kept = [u for u in urls if not any(part in u for part in params.ignore)]
            if not kept:
                out.append(Observation(Status.PASS, subject=page.url, location=Location(url=page.url)))
                continue
            nodes = [n for n in result.get("nodes") or [] if not any(p in str(n.get("snippet")) for p in params.ignore)]
            location, occurrences, more = nodes_at(nodes, page.url, len(kept))
            shown = ", ".join(kept[:5]) + (f" …(+{len(kept) - 5})" if len(kept) > 5 else "")
            out.append(Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                                   more_occurrences=more, detail={"count": len(kept), "resources": shown}))
        return out


KINDS = [PageResourcesKind]
