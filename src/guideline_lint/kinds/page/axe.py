"""``axe``: axe-core rules by id or by success criterion; the axe verdict the ``wcag_sc`` kind uses too."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.jis import criteria
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import (
    HTML_DOCUMENT_RULES,
    nodes_at,
    pages_of,
)
from guideline_lint.model import Location, Status, Target, Text


def axe_rules_for(rules: list[str], wcag: list[str], exclude: list[str]) -> list[str]:

    selected = list(rules)
    table = criteria()
    for sc in wcag:
        if sc in table:
            selected.extend(table[sc].axe_rules)
    return [r for r in dict.fromkeys(selected) if r not in exclude]


def judge_axe(page: Any, rules: list[str]) -> tuple[Status, list[dict[str, Any]], int, list[str]]:
    """(status, nodes, node count, rule ids involved) of the given axe rules on one page.

    NOT_APPLICABLE when no rule found anything to test."""
    axe = page.axe or {}
    if not page.is_html:
        rules = [r for r in rules if r not in HTML_DOCUMENT_RULES]
    for bucket, status in (("violations", Status.FAIL), ("incomplete", Status.MANUAL)):
        hits = [axe[bucket][r] for r in rules if r in axe.get(bucket, {})]
        if hits:
            nodes = [n for hit in hits for n in hit["nodes"]]
            return status, nodes, sum(hit["count"] for hit in hits), [hit["id"] for hit in hits]
    passed = [r for r in rules if r in set(axe.get("passes", []))]
    if passed:
        return Status.PASS, [], 0, passed
    return Status.NOT_APPLICABLE, [], 0, []


class AxeParams(Params):
    rules: list[str] = Field(default_factory=list, description="axe-core rule ids")
    wcag: list[str] = Field(default_factory=list, description="success criteria: their mapped axe rules are used")
    exclude: list[str] = Field(default_factory=list, description="axe rule ids to leave out")


class AxeKind(Kind):
    name = "axe"
    target = Target.PAGE
    Params = AxeParams
    summary = Text(ja="axe-core のルールで違反がない", en="no violation of the given axe-core rules")

    def evaluate(self, params: AxeParams, facts: Facts) -> list[Observation]:
        rules = axe_rules_for(params.rules, params.wcag, params.exclude)
        out = []
        for page in pages_of(facts):
            out.append(axe_observation(page, rules))
        return out

    def needs(self, params: AxeParams) -> Needs:
        return Needs(axe_rules=set(axe_rules_for(params.rules, params.wcag, params.exclude)))


def axe_observation(page: Any, rules: list[str]) -> Observation:
    if page.axe is None:
        return Observation(Status.ERROR, subject=page.url, location=Location(url=page.url),
                           reason=Text(ja="axe-core の結果がありません", en="no axe-core results"))
    status, nodes, count, involved = judge_axe(page, rules)
    location, occurrences, more = nodes_at(nodes, page.url, count)
    reason = None
    if status == Status.NOT_APPLICABLE:
        reason = Text(ja="このページに対象の要素がありません", en="nothing on this page that these rules test")
    return Observation(status, subject=page.url, location=location, occurrences=occurrences, more_occurrences=more,
                       detail={"count": count, "rules": ", ".join(involved)}, reason=reason,
                       metrics={"nodes": float(count)} if status == Status.FAIL else {})


KINDS: list[type[Kind]] = [AxeKind]
