"""``wcag_sc``: one JIS X 8341-3 / WCAG success criterion: the axe rules mapped to it, markup checks on the
served HTML, in-page scripts, the Tab walk, and ``manual`` when a person has to look."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from guideline_lint.facts import Facts, Needs
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.kinds.page.axe import axe_rules_for, judge_axe
from guideline_lint.kinds.page.common import (
    nodes_at,
    pages_of,
    script_key,
)
from guideline_lint.kinds.page.dom import judge_script, manual_probe
from guideline_lint.kinds.page.markup import MarkupTest, judge_markup
from guideline_lint.model import Location, Status, Target, Text


class WcagParams(Params):
    sc: str = Field(pattern=r"^\d\.\d\.\d{1,2}$", description="success criterion, e.g. 1.1.1")
    axe: bool = Field(True, description="use the axe rules mapped to the criterion")
    axe_rules: list[str] = Field(default_factory=list, description="further axe rules")
    axe_exclude: list[str] = Field(default_factory=list)
    markup: list[MarkupTest] = Field(default_factory=list, description="tests on the served HTML source")
    scripts: list[str] = Field(default_factory=list, description="dom scripts, as for the dom kind")
    incomplete: Literal["manual", "ignore"] = Field(
        "manual", description="what axe's 'incomplete' (needs review) results mean: manual, or nothing"
    )
    keyboard_trap: bool = Field(
        False, description="fail on a keyboard trap found by pressing Tab through the page (manual when the "
        "page gives key instructions, which may describe a way out)"
    )
    manual_when: str | None = Field(
        None, description="CSS selector: when no failure is found and the page has such elements, a person "
        "must still confirm (manual); '*' for every page"
    )


class WcagKind(Kind):
    name = "wcag_sc"
    target = Target.PAGE
    Params = WcagParams
    summary = Text(
        ja="JIS X 8341-3 / WCAG の達成基準: axe、マークアップ、ページ内スクリプト、目視確認",
        en="a JIS X 8341-3 / WCAG success criterion: axe, markup, in-page scripts, human review",
    )

    def evaluate(self, params: WcagParams, facts: Facts) -> list[Observation]:
        rules = axe_rules_for(params.axe_rules, [params.sc] if params.axe else [], params.axe_exclude)
        out = []
        for page in pages_of(facts):
            out.append(self._one(params, page, rules))
        return out

    def _one(self, params: WcagParams, page: Any, rules: list[str]) -> Observation:
        results: list[tuple[Status, list[dict[str, Any]], int, str]] = []
        errors: list[Text] = []
        if rules:
            if page.axe is None:
                errors.append(Text(ja="axe-core の結果がありません", en="no axe-core results"))
            else:
                status, nodes, count, involved = judge_axe(page, rules)
                if status == Status.MANUAL and params.incomplete == "ignore":
                    status, nodes, count = Status.NOT_APPLICABLE, [], 0
                results.append((status, nodes, count, "axe: " + ", ".join(involved)))
        if params.markup:
            status, nodes = judge_markup(page, list(params.markup))
            results.append((status, nodes, len(nodes), "markup"))
        for script in params.scripts:
            if not page.is_html:
                continue
            status, nodes, count, _detail, reason = judge_script(page, script)
            if status == Status.ERROR:
                errors.append(reason or Text(ja="スクリプトエラー", en="script error"))
            else:
                results.append((status, nodes, count, "script"))
        if params.keyboard_trap and page.keyboard and page.keyboard.get("walked"):
            trapped = page.keyboard.get("trapped") or []
            if not trapped:
                results.append((Status.PASS, [], 0, "keyboard"))
            else:
                status = Status.MANUAL if page.keyboard.get("instructions") else Status.FAIL
                results.append((status, trapped, len(trapped), "keyboard: focus does not leave these elements"))
        if params.manual_when and page.is_html:
            status, nodes, count, _detail, reason = judge_script(page, manual_probe(params.manual_when))
            if status == Status.ERROR:
                errors.append(reason or Text(ja="スクリプトエラー", en="script error"))
            else:
                results.append((status, nodes, count, "manual"))
        failed = [r for r in results if r[0] == Status.FAIL]
        if failed:
            nodes = [n for r in failed for n in r[1]]
            count = sum(r[2] for r in failed)
            location, occurrences, more = nodes_at(nodes, page.url, count)
            return Observation(Status.FAIL, subject=page.url, location=location, occurrences=occurrences,
                               more_occurrences=more, metrics={"nodes": float(count)},
                               detail={"count": count, "sc": params.sc, "tests": "; ".join(r[3] for r in failed),
                                       **_places(count, Status.FAIL)})
        if errors:
            return Observation(Status.ERROR, subject=page.url, location=Location(url=page.url), reason=errors[0])
        manual = [r for r in results if r[0] == Status.MANUAL]
        if manual:
            nodes = [n for r in manual for n in r[1]]
            count = sum(r[2] for r in manual)
            location, occurrences, more = nodes_at(nodes, page.url, count)
            return Observation(Status.MANUAL, subject=page.url, location=location, occurrences=occurrences,
                               more_occurrences=more, detail={"count": count, "sc": params.sc,
                                                              **_places(count, Status.MANUAL)},
                               reason=Text(ja="目視での確認が必要です", en="needs a check by a person"))
        if any(r[0] == Status.PASS for r in results):
            return Observation(Status.PASS, subject=page.url, location=Location(url=page.url),
                               detail={"count": 0, "sc": params.sc})
        return Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url),
                           detail={"count": 0, "sc": params.sc},
                           reason=Text(ja="このページに対象の要素がありません", en="nothing on this page to test"))

    def needs(self, params: WcagParams) -> Needs:
        scripts = list(params.scripts)
        if params.manual_when:
            scripts.append(manual_probe(params.manual_when))
        rules = axe_rules_for(params.axe_rules, [params.sc] if params.axe else [], params.axe_exclude)
        return Needs(axe_rules=set(rules), page_scripts={script_key(script): script for script in scripts},
                     page_facts={"keyboard"} if params.keyboard_trap else set())


def _places(count: int, status: Status) -> dict[str, str]:
    """``{places}`` in each language: how many places were found, or, when none can be pointed at (a criterion
    about the page as a whole, such as 1.3.2's reading order), what that means — never "0 places" for a
    criterion a person still has to check."""
    if count:
        return {"places_ja": f"該当 {count} 箇所", "places_en": f"{count} place(s)"}
    if status == Status.MANUAL:
        return {"places_ja": "機械では箇所を特定できないため、ページ全体を人が確認してください",
                "places_en": "no place can be pointed at by machine; a person checks the page as a whole"}
    return {"places_ja": "ページ全体", "places_en": "the page as a whole"}


KINDS: list[type[Kind]] = [WcagKind]
