"""``dom``: a small script evaluated in the page that returns a status and the offending elements; how such a
script's result is read, and the probe that asks a person to look."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.common import (
    NOT_HTML,
    nodes_at,
    pages_of,
    script_key,
)
from guideline_lint.model import Location, Status, Target, Text


def judge_script(page: Any, script: str) -> tuple[Status, list[dict[str, Any]], int, dict[str, Any], Text | None]:
    """Read a dom script's result: {status, nodes?, count?, detail?, reason?}; ERROR if it failed or did not run."""
    result = page.dom.get(script_key(script))
    if not isinstance(result, dict):
        return Status.ERROR, [], 0, {}, Text(ja="ページ内スクリプトが実行されていません",
                                             en="the in-page script did not run")
    if result.get("error"):
        message = str(result["error"])[:200]
        return Status.ERROR, [], 0, {}, Text(ja=f"ページ内スクリプトのエラー: {message}",
                                             en=f"the in-page script failed: {message}")
    try:
        status = Status(result.get("status", "pass"))
    except ValueError:
        return Status.ERROR, [], 0, {}, Text(ja=f"不明な結果: {result.get('status')}",
                                             en=f"unknown result: {result.get('status')}")
    nodes = result.get("nodes") or []
    reason = None
    if result.get("reason"):
        reason = Text(ja=str(result.get("reason_ja") or result["reason"]), en=str(result["reason"]))
    return status, nodes, int(result.get("count") or len(nodes)), dict(result.get("detail") or {}), reason


class DomParams(Params):
    script: str = Field(
        min_length=1,
        description="body of an async JS function run in the page; returns {status: pass|fail|manual|"
        "not_applicable, nodes: [gl.node(el)…], count, detail, reason}. `gl` offers selector, snippet, node, "
        "visible, text.",
    )
    html_only: bool = Field(True, description="not applicable on SVG/XML documents")
    values: dict[str, float] = Field(default_factory=dict,
                                     description="numbers the script reads as `values.NAME` (e.g. a ruleset parameter)")


def full_script(params: DomParams) -> str:
    """The script with its `values` defined first (a change of value is another script to run)."""
    if not params.values:
        return params.script
    return f"const values = {json.dumps(params.values, sort_keys=True)};\n{params.script}"


class DomKind(Kind):
    name = "dom"
    target = Target.PAGE
    Params = DomParams
    summary = Text(ja="ページ内で評価したスクリプトの判定", en="the verdict of a script evaluated in the page")

    def evaluate(self, params: DomParams, facts: Facts) -> list[Observation]:
        out = []
        for page in pages_of(facts):
            if params.html_only and not page.is_html:
                out.append(Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                                       reason=NOT_HTML))
                continue
            status, nodes, count, detail, reason = judge_script(page, full_script(params))
            location, occurrences, more = nodes_at(nodes, page.url, count)
            out.append(Observation(status, subject=page.url, location=location, occurrences=occurrences,
                                   more_occurrences=more, detail={"count": count, **detail}, reason=reason))
        return out

    def needs(self, params: DomParams) -> Needs:
        script = full_script(params)
        return Needs(page_scripts={script_key(script): script})



def manual_probe(selector: str) -> str:
    from json import dumps

    if selector == "*":
        return "return {status: 'manual'};"
    return (
        f"const found = Array.from(document.querySelectorAll({dumps(selector)}));\n"
        "return found.length ? {status: 'manual', nodes: found.slice(0, 20).map(gl.node), count: found.length}"
        " : {status: 'not_applicable'};"
    )


KINDS: list[type[Kind]] = [DomKind]
