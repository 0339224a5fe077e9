"""Page findings at more than one viewport (desktop, mobile): each page check is judged at every viewport a page was
audited at, and the findings are merged into one per check and page, as if there were one viewport:

- the status is the worst found at any viewport; ``Finding.viewports`` names the viewports that found it (both,
  when a result does not depend on layout: it is reported once, not twice);
- the places are those of every viewport with that status; a place found at some of the page's viewports only
  says which (``Location.viewports``), e.g. a link without a name in a menu shown only on phones.

Findings that no browser judged (a page that did not load, judged by the check of HTTP answers alone) have no
viewports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from guideline_lint.facts import VIEWPORTS, Facts
from guideline_lint.model import Check, Finding, Location, Status, Target

if TYPE_CHECKING:  # built only by a run with pages
    from guideline_lint.facts.page import PageFacts, ViewFacts

MAX_PLACES = 21  # the first location and 20 occurrences, as the page kinds keep

Evaluate = Callable[[list[Check], Facts], tuple[list[Finding], list[Check]]]


def evaluate_at_viewports(evaluate: Evaluate, checks: list[Check], facts: Facts) -> tuple[list[Finding], list[Check]]:
    """``evaluate(checks, facts)``, with the page checks judged at each viewport of the pages and merged."""
    findings, skipped = evaluate(checks, facts)
    pages = facts.pages or []
    if not pages:
        return findings, skipped
    audited = {page.url: [page.viewport, *(name for name, view in page.views.items() if view.error is None)]
               for page in pages}
    first = [f for f in findings if f.target == Target.PAGE]
    per_view = [(pages[0].viewport, first)]
    page_checks = [c for c in checks if c.target == Target.PAGE and c not in skipped]
    for name in VIEWPORTS:
        seen = [page for page in pages if name in audited[page.url] and page.viewport != name]
        if not seen or not page_checks:
            continue
        # A page whose results are the same at this viewport gets the same findings: judged once.
        same = {page.url for page in seen if _same_results(page, page.views[name])}
        differ = [page.at(name) for page in seen if page.url not in same]
        judged = evaluate(page_checks, replace(facts, pages=differ))[0] if differ else []
        produced = {_key(f) for f in judged}
        copied = [f for f in first if f.subject in same or (f.subject not in audited and _key(f) not in produced)]
        per_view.append((name, judged + copied))
    everywhere = [name for name in VIEWPORTS if any(name in names for names in audited.values())]
    merged = merge(per_view, audited, everywhere)
    # The first viewport's page findings come first in ``merged``, one each, in order: keep every finding's place.
    taken = iter(merged)
    out = [finding if finding.target != Target.PAGE else next(taken) for finding in findings]
    return out + list(taken), skipped


def _same_results(page: PageFacts, view: ViewFacts) -> bool:
    """Whether the page's results at ``view`` are those of its first viewport (the keyboard walk is of the first)."""
    if page.keyboard is not None or view.dom != page.dom:
        return False
    if page.axe is None or view.axe is None:
        return page.axe is view.axe
    return (view.axe["violations"] == page.axe["violations"] and view.axe["incomplete"] == page.axe["incomplete"]
            and set(view.axe["passes"]) == set(page.axe["passes"])
            and set(view.axe["inapplicable"]) == set(page.axe["inapplicable"]))


def _key(finding: Finding) -> tuple[str, str]:
    location = finding.location
    return finding.check_id, finding.subject or (location.url or "" if location else "")


def merge(per_view: list[tuple[str, list[Finding]]], audited: dict[str, list[str]],
          everywhere: list[str]) -> list[Finding]:
    """One finding per check, page and position, from the findings of each viewport (the first viewport's order)."""
    groups: dict[tuple[str, str, int], list[tuple[str, Finding]]] = {}
    for name, findings in per_view:
        seen: dict[tuple[str, str], int] = {}
        for finding in findings:
            key = _key(finding)
            seen[key] = seen.get(key, -1) + 1
            groups.setdefault((*key, seen[key]), []).append((name, finding))
    return [_merge_group(items, audited.get(key[1], everywhere)) for key, items in groups.items()]


def _place(location: Location) -> tuple[Any, ...]:
    return (location.url, location.selector, location.snippet, location.file, location.line, location.column,
            location.row, location.path, location.value)


def _merge_group(items: list[tuple[str, Finding]], page_views: list[str]) -> Finding:
    """The findings of the page checks are this run's own objects: the one kept is updated in place (tens of
    thousands of findings on a large audit; a copy of each cost more than judging the second viewport)."""
    status = Status.worst(finding.status for _, finding in items)
    holding = [(name, finding) for name, finding in items if finding.status == status]
    names = [name for name, _ in holding]
    primary = max(holding, key=lambda item: 1 + len(item[1].occurrences) + item[1].more_occurrences)[1]
    primary.viewports = [n for n in VIEWPORTS if n in names]
    places: dict[tuple[tuple[Any, ...], int], tuple[Location, list[str]]] = {}
    for name, finding in sorted(holding, key=lambda item: item[1] is not primary):  # the primary's places first
        repeats: dict[tuple[Any, ...], int] = {}  # the same element twice (two rules) stays twice, as at one viewport
        for location in [finding.location, *finding.occurrences]:
            if location is not None:
                place = _place(location)
                repeats[place] = repeats.get(place, -1) + 1
                places.setdefault((place, repeats[place]), (location, []))[1].append(name)
    everywhere = set(page_views)
    if len(places) == 1 + len(primary.occurrences) and all(set(seen) >= everywhere for _, seen in places.values()):
        return primary  # the same places at every viewport (or one viewport audited): nothing to add or tell apart
    located = [location if set(seen) >= everywhere else
               location.model_copy(update={"viewports": [n for n in VIEWPORTS if n in seen]})
               for location, seen in places.values()]
    primary.location, primary.occurrences = (located[0] if located else None), located[1:MAX_PLACES]
    primary.more_occurrences = (max(finding.more_occurrences for _, finding in holding)
                                + max(0, len(located) - MAX_PLACES))
    for _, finding in holding:
        for metric, value in finding.metrics.items():
            primary.metrics[metric] = max(primary.metrics.get(metric, value), value)
    return primary
