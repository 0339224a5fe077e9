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
from typing import Any

from guideline_lint.facts import Facts
from guideline_lint.facts.page import VIEWPORTS
from guideline_lint.model import Check, Finding, Location, Status, Target

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
    per_view = [(pages[0].viewport, [f for f in findings if f.target == Target.PAGE])]
    page_checks = [c for c in checks if c.target == Target.PAGE and c not in skipped]
    for name in VIEWPORTS:
        seen = [page.at(name) for page in pages if name in audited[page.url] and page.viewport != name]
        if seen and page_checks:
            per_view.append((name, evaluate(page_checks, replace(facts, pages=seen))[0]))
    everywhere = [name for name in VIEWPORTS if any(name in names for names in audited.values())]
    merged = merge(per_view, audited, everywhere)
    # The first viewport's page findings come first in ``merged``, one each, in order: keep every finding's place.
    taken = iter(merged)
    out = [finding if finding.target != Target.PAGE else next(taken) for finding in findings]
    return out + list(taken), skipped


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
    status = Status.worst(finding.status for _, finding in items)
    holding = [(name, finding) for name, finding in items if finding.status == status]
    names = [name for name, _ in holding]
    primary = max(holding, key=lambda item: 1 + len(item[1].occurrences) + item[1].more_occurrences)[1]
    places: dict[tuple[Any, ...], tuple[Location, list[str]]] = {}
    for name, finding in sorted(holding, key=lambda item: item[1] is not primary):  # the primary's places first
        for location in [finding.location, *finding.occurrences]:
            if location is not None:
                places.setdefault(_place(location), (location, []))[1].append(name)
    located = [location.model_copy(update={"viewports": None if set(seen) >= set(page_views) else
                                           [n for n in VIEWPORTS if n in seen]})
               for location, seen in places.values()]
    more = max(finding.more_occurrences for _, finding in holding) + max(0, len(located) - MAX_PLACES)
    metrics = dict(primary.metrics)
    for _, finding in holding:
        for metric, value in finding.metrics.items():
            metrics[metric] = max(metrics.get(metric, value), value)
    return primary.model_copy(update={
        "location": located[0] if located else None, "occurrences": located[1:MAX_PLACES],
        "more_occurrences": more, "metrics": metrics, "viewports": [n for n in VIEWPORTS if n in names]})
