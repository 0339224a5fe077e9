"""How the results of two viewports are put together: axe results of the second viewport, and one finding per check
and page (no browser: saved results)."""

from __future__ import annotations

import json
from typing import Any

from guideline_lint.collect.pages.viewport import plan_viewports, view_axe
from guideline_lint.model import Finding, Location, PrincipleScore, Report, Status, Target, Text, Verification
from guideline_lint.report import render
from guideline_lint.viewports import merge

URL = "https://example.jp/"


def finding(status: Status, *selectors: str, check: str = "A11Y-4-1-2") -> Finding:
    places = [Location(url=URL, selector=s) for s in selectors] or [Location(url=URL)]
    return Finding(check_id=check, title=Text(ja="t", en="t"), principles=[3], domain="accessibility",
                   target=Target.PAGE, status=status, severity="high", verification=Verification.MACHINE,
                   message=Text(ja="m", en="m"), subject=URL, location=places[0], occurrences=places[1:])


def merged(desktop: list[Finding], mobile: list[Finding], audited: tuple[str, ...] = ("desktop", "mobile")) -> Any:
    return merge([("desktop", desktop), ("mobile", mobile)], {URL: list(audited)}, list(audited))


def test_the_same_result_at_both_viewports_is_one_finding() -> None:
    [one] = merged([finding(Status.FAIL, "#a")], [finding(Status.FAIL, "#a")])
    assert one.viewports == ["desktop", "mobile"] and one.location.viewports is None and one.occurrences == []
    assert "viewports" not in one.location.model_dump()


def test_a_failure_at_one_viewport_only_says_which() -> None:
    [one] = merged([finding(Status.PASS)], [finding(Status.FAIL, "#menu a")])
    assert one.status == Status.FAIL and one.viewports == ["mobile"]
    assert one.location.selector == "#menu a" and one.location.viewports == ["mobile"]
    [other] = merged([finding(Status.FAIL, "#wide")], [finding(Status.MANUAL, "#x")])
    assert other.status == Status.FAIL and other.viewports == ["desktop"] and other.location.viewports == ["desktop"]


def test_places_of_both_viewports_are_joined_and_each_says_where_it_was_found() -> None:
    [one] = merged([finding(Status.FAIL, "#a", "#wide")], [finding(Status.FAIL, "#a", "#menu")])
    assert [(p.selector, p.viewports) for p in [one.location, *one.occurrences]] == [
        ("#a", None), ("#wide", ["desktop"]), ("#menu", ["mobile"])]
    assert one.fingerprint == finding(Status.FAIL, "#a").fingerprint  # the baseline still matches it


def test_a_page_audited_at_one_viewport_only_tells_no_place_apart() -> None:
    [one] = merge([("desktop", [finding(Status.FAIL, "#a")])], {URL: ["desktop"]}, ["desktop", "mobile"])
    assert one.viewports == ["desktop"] and one.location.viewports is None


def test_the_second_viewport_takes_again_only_what_depends_on_layout() -> None:
    scripts = {"a": "return {status: gl.visible(document.body) ? 'pass' : 'fail'};", "b": "return {status: 'pass'};"}
    plan = plan_viewports(("mobile", "desktop"), ["document-title", "link-name", "color-contrast"], scripts)
    assert (plan.first, plan.then) == ("desktop", "mobile")
    assert plan.whole_rules == ["link-name"] and plan.scoped_rules == ["color-contrast"] and plan.scripts == ["a"]
    assert plan_viewports(("mobile",), ["link-name"], scripts).then is None


def _rule(rule: str, *selectors: str) -> dict[str, Any]:
    return {"id": rule, "count": len(selectors), "nodes": [{"selector": s, "snippet": s} for s in selectors]}


def test_contrast_keeps_the_first_viewports_nodes_outside_the_changed_elements() -> None:
    plan = plan_viewports(("desktop", "mobile"), ["color-contrast", "link-name", "document-title"], {})
    first = {"violations": {"color-contrast": _rule("color-contrast", "#kept", "#restyled"),
                            "link-name": _rule("link-name", "#wide"),
                            "document-title": _rule("document-title", "html")},
             "incomplete": {}, "passes": ["color-contrast"], "inapplicable": []}
    found = {"whole": {"violations": [], "incomplete": [], "passes": ["link-name"], "inapplicable": []},
             "scoped": {"violations": [_rule("color-contrast", "#phone")], "incomplete": [],
                        "passes": ["color-contrast"], "inapplicable": []},
             "inside": {"color-contrast": ["#restyled"]}}
    axe = view_axe(first, found, plan)
    contrast = axe["violations"]["color-contrast"]
    assert [n["selector"] for n in contrast["nodes"]] == ["#kept", "#phone"] and contrast["count"] == 2
    assert "link-name" not in axe["violations"] and "link-name" in axe["passes"]  # run again: passes on phones
    assert axe["violations"]["document-title"] == first["violations"]["document-title"]  # not run again
    assert [n["selector"] for n in first["violations"]["color-contrast"]["nodes"]] == ["#kept", "#restyled"]


def test_every_report_format_says_a_place_was_found_at_one_viewport() -> None:
    [one] = merged([finding(Status.PASS)], [finding(Status.FAIL, "#menu a")])
    principle = PrincipleScore(id=3, title=Text(ja="誰一人取り残さない", en="Leave no one behind"), score=0.0,
                               coverage=1.0, incomplete=False, failed=1)
    report = Report(tool={"name": "guideline-lint", "version": "0"}, ruleset={"id": "r", "version": "1"},
                    service={"id": "s"}, generated_at="2026-12-01T00:00:00Z", score=0.0, principles=[principle],
                    findings=[one])
    for fmt in ("text", "markdown", "html", "junit"):
        assert "#menu a [mobile only]" in render(report, fmt, "en"), fmt
        assert "#menu a [スマートフォン表示のみ]" in render(report, fmt, "ja"), fmt
    [result] = json.loads(render(report, "sarif", "en", include_urls=True))["runs"][0]["results"]
    assert result["message"]["text"].endswith("#menu a) [mobile only]")
    assert result["properties"]["viewports"] == ["mobile"]
    assert json.loads(render(report, "json", "en"))["findings"][0]["viewports"] == ["mobile"]
