"""JUnit XML: well-formed, counts that add up, and failures that say what and where."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_fixtures import NO_MATCH, NOT_AUDITED

from guideline_lint.model import Report
from guideline_lint.report import junit, render


def parse(report: Report, lang: str = "ja") -> ET.Element:
    text = render(report, "junit", lang)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def test_counts_add_up_per_suite_and_overall(report: Report) -> None:
    root = parse(report)
    assert root.tag == "testsuites"
    for suite in root.findall("testsuite"):
        found = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(found)
        for kind, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            assert int(suite.get(kind, "-1")) == sum(1 for c in found if c.find(tag) is not None)
    # Grouped by domain: each finding once, and the check skipped as a whole (--no-pages).
    assert int(root.get("tests", "-1")) == len(report.findings) + len(report.skipped)
    assert root.get("failures") == "5"
    assert root.get("errors") == "1"
    assert root.get("skipped") == "4"  # manual, not applicable, waived; the check not run
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names == ["UI/UX", "アクセシビリティ", "データ", "セキュリティ", "ガバナンス", "評価できなかったもの"]


def test_failures_carry_message_location_and_fix(report: Report) -> None:
    root = parse(report)
    by_id = {c.get("name", "").split()[0]: c for c in root.iter("testcase")}
    sec = by_id["SEC-004"]
    assert sec.get("file") == "digital-service.yaml"
    assert sec.get("line") == "21"
    failure = sec.find("failure")
    assert failure is not None
    assert failure.get("message") == "security.csirt_contact が空です"
    assert failure.get("type") == "high"
    assert "digital-service.yaml:21:3" in (failure.text or "")
    assert "CSIRT の連絡先を記入してください" in (failure.text or "")
    data = by_id["DATA-L1-01"]
    assert data.get("line") == "4"
    assert "data/施設一覧.csv 4行目 列「住所」" in (data.findtext("failure") or "")
    assert "ほか 5 か所" in (data.findtext("failure") or "")
    page = by_id["A11Y-1.1.1"]
    assert page.get("name", "").endswith("[http://127.0.0.1:8765/permit/index.html]")
    assert "main > img:nth-child(2)" in (page.findtext("failure") or "")


def test_manual_and_waived_are_skipped_errors_are_errors_passes_are_plain(report: Report) -> None:
    by_id = {c.get("name", "").split()[0]: c for c in parse(report, "en").iter("testcase")}
    manual = by_id["UX-012"].find("skipped")
    assert manual is not None and manual.get("message") == "manual: No evidence yet"
    waived = by_id["GOV-010"].find("skipped")
    assert waived is not None and waived.get("message", "").startswith("waived: Planned for the next release")
    error = by_id["A11Y-3.1.1"].find("error")
    assert error is not None and error.get("message") == "The page did not load within 30 s"
    assert list(by_id["UX-001"]) == []


def test_characters_xml_cannot_hold_are_replaced(report: Report) -> None:
    # The contrast finding's snippet holds a BEL character; the document must still parse.
    text = render(report, "junit", "ja")
    assert "\x07" not in text
    ET.fromstring(text.encode("utf-8"))


def test_grouped_by_principle_a_check_appears_under_each_of_its_principles(report: Report) -> None:
    root = junit.build(report, "en", group_by="principle")
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names[0] == "Principle 1 Design from the customer's point of view"
    suites = {s.get("name", "").split()[1]: s for s in root.findall("testsuite")}
    in_4 = {c.get("name", "").split()[0] for c in suites["4"].iter("testcase")}
    in_7 = {c.get("name", "").split()[0] for c in suites["7"].iter("testcase")}
    assert "DATA-L1-01" in in_4 and "DATA-L1-01" in in_7
    assert suites["3"].find("properties/property[@name='score']").get("value") == "42.5"
    assert "6" not in suites  # no finding for principle 6: no empty suite



@pytest.mark.parametrize("lang", ["ja", "en"])
def test_what_was_not_evaluated_is_skipped_and_listed_in_the_reports_language(report: Report, lang: str) -> None:
    # The lines the text, Markdown and HTML reports show: the skipped check, a page not audited, an empty glob.
    report.extensions["not_evaluated"] = [NOT_AUDITED, NO_MATCH]
    root = parse(report, lang)
    suite = root.findall("testsuite")[-1]
    assert suite.get("name") == ("評価できなかったもの" if lang == "ja" else "Not evaluated")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    check = "A11Y-PAGES-01 " + ("ページが表示できる" if lang == "ja" else "Pages can be shown")  # named as findings are
    assert list(cases) == [check, NOT_AUDITED[lang], NO_MATCH[lang]]
    reason = report.skipped[0].reason.get(lang)
    skipped = cases[check].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == ("未実施: " if lang == "ja" else "not run: ") + reason
    page = cases[NOT_AUDITED[lang]].find("skipped")
    assert page is not None and page.get("message") == NOT_AUDITED[lang]
    assert (suite.get("tests"), suite.get("skipped")) == ("3", "3")
    lines = suite.findtext("system-out") or ""
    assert NOT_AUDITED[lang] in lines and NO_MATCH[lang] in lines and reason in lines
    for other in root.findall("testsuite"):  # every suite names them in its properties
        said = [p.get("value") for p in other.findall("properties/property[@name='not_evaluated']")]
        assert NOT_AUDITED[lang] in said and NO_MATCH[lang] in said
    text = render(report, "junit", lang)
    assert "{" + "reason}" not in text and "{" + "count}" not in text


def test_by_principle_a_skipped_check_is_in_its_principles_suite_with_the_coverage(report: Report) -> None:
    root = junit.build(report, "en", group_by="principle")
    suites = {s.get("name", "").split()[1]: s for s in root.findall("testsuite")}
    skipped = suites["3"].find("testcase[@name='A11Y-PAGES-01 Pages can be shown']/skipped")
    assert skipped is not None and skipped.get("message") == "not run: pages not checked (--no-pages)"
    assert suites["3"].find("properties/property[@name='coverage']").get("value") == "80%"
    assert "Not evaluated" not in {s.get("name") for s in root.findall("testsuite")}  # no line without a check
