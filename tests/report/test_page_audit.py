"""Every report format says what produced the page results (axe-core, browser and driver versions, the viewports:
issue #14, a JIS X 8341-3 試験結果 names its tools) and which pages were audited again in a new browser session after
theirs was lost (a Selenium Grid node that died)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html import unescape
from typing import Any

import pytest
from report_fixtures import FORM, PAGE, make_report
from report_fixtures import sarif_validator as validator

from guideline_lint.model import Report
from guideline_lint.report import FORMATS, render

LOST = "the browser failed on this page: invalid session id"
AUDIT = {
    "axe": ["4.10.2"], "browser": ["chrome 156.0.8078.114"], "driver": ["chromedriver 156.0.8078.114"],
    "viewport": ["desktop 1280x881", "mobile 375x812 ×3 mobile touch"], "viewports": ["desktop", "mobile"],
    "userAgent": ["Mozilla/5.0 HeadlessChrome/156.0.0.0"],
    "retried": [{"page": FORM, "attempts": 2, "audited": True, "reasons": [LOST]},
                {"page": PAGE, "attempts": 4, "audited": False, "reasons": [LOST, LOST, "cannot start the browser"]}],
}
# What each format must name, in any language.
TOOLS = ["axe-core 4.10.2", "chrome 156.0.8078.114", "chromedriver 156.0.8078.114", "desktop 1280x881",
         "mobile 375x812 ×3 mobile touch"]


def audited(**changes: Any) -> Report:
    report = make_report()
    report.extensions["page_audit"] = {**AUDIT, **changes}
    return report


def shown(fmt: str, text: str) -> str:
    """The text a reader sees: HTML and XML entities decoded, JSON strings unescaped, Markdown's escapes dropped."""
    if fmt in ("json", "sarif"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return unescape(text).replace("\\", "") if fmt == "markdown" else unescape(text)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_the_tools_the_viewports_and_the_pages_audited_again(fmt: str, lang: str) -> None:
    text = shown(fmt, render(audited(), fmt, lang))
    structured = fmt in ("json", "sarif")  # fields, not a sentence: "axe": ["4.10.2"]
    assert all((tool.removeprefix("axe-core ") if structured else tool) in text for tool in TOOLS), fmt
    assert FORM in text and PAGE in text, fmt
    if fmt != "json":  # the sentences of the message catalogue, with the last reason of each page
        assert ("検査し直したページ（2）" if lang == "ja" else "Pages audited again in a new browser session") in text
        assert "cannot start the browser" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_without_pages_names_no_browser_and_no_page_retried(fmt: str) -> None:
    text = render(make_report(), fmt, "en")
    assert "axe-core" not in text and "Pages audited" not in text


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "json"])
def test_pages_retried_are_named_even_when_no_tool_was_recorded(fmt: str) -> None:
    # Every page lost: no browser answered, so no version is known, but the pages tried again still are.
    report = audited(axe=[], browser=[], driver=[], viewport=[])
    text = shown(fmt, render(report, fmt, "en"))
    assert "Pages audited again" in text and PAGE in text and "Pages audited with" not in text


def test_sarif_names_axe_as_a_tool_component_and_notes_the_pages_retried() -> None:
    log = json.loads(render(audited(), "sarif", "en"))
    assert list(validator().iter_errors(log)) == []
    run = log["runs"][0]
    assert run["tool"]["extensions"] == [{"name": "axe-core", "version": "4.10.2",
                                         "informationUri": "https://github.com/dequelabs/axe-core"}]
    assert run["properties"]["pageAudit"]["viewports"] == ["desktop", "mobile"]
    assert run["properties"]["pageAudit"]["driver"] == ["chromedriver 156.0.8078.114"]
    [note] = [n for n in run["invocations"][0]["toolExecutionNotifications"]
              if n["descriptor"]["id"] == "guideline-lint/pages-retried"]
    assert note["properties"]["pages"] == [FORM, PAGE] and "(2)" in note["message"]["text"]


def test_sarif_without_pages_has_no_tool_component_and_no_page_note() -> None:
    run = json.loads(render(make_report(), "sarif", "en"))["runs"][0]
    assert "extensions" not in run["tool"] and "pageAudit" not in run["properties"]


def test_junit_gives_every_suite_the_tools_and_the_pages_retried() -> None:
    root = ET.fromstring(render(audited(), "junit", "en"))
    suites = root.findall("testsuite")
    assert suites
    for suite in suites:
        props = {p.get("name"): p.get("value") or "" for p in suite.iter("property")}
        assert all(tool in props["page_audit"] for tool in TOOLS)
        assert FORM in props["pages_retried"] and PAGE in props["pages_retried"]


HALF_BUILT = [{"page": PAGE, "count": 5, "failed": [
    {"url": "https://cdn.example.invalid/app.js", "kind": "script",
     "reason": "Failed to load resource: net::ERR_NAME_NOT_RESOLVED"},
    {"url": "https://www.example.jp/css/site.css", "kind": "stylesheet",
     "reason": "Failed to load resource: the server responded with a status of 404 (Not Found)"},
]}]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_the_pages_audited_half_built(fmt: str, lang: str) -> None:
    """A page whose scripts or style sheets failed to load was audited as it was: every report says so, with what
    failed and why, so a reader does not take its results for the finished page's."""
    text = shown(fmt, render(audited(half_built=HALF_BUILT), fmt, lang))
    assert PAGE in text and "https://cdn.example.invalid/app.js" in text and "ERR_NAME_NOT_RESOLVED" in text, fmt
    if fmt != "json":
        assert ("読み込みに失敗したまま検査したページ（1）" if lang == "ja" else "had failed to load (1)") in text, fmt
        assert "+3" in text  # five failed, two shown


def test_sarif_warns_of_the_pages_audited_half_built() -> None:
    log = json.loads(render(audited(half_built=HALF_BUILT), "sarif", "en"))
    assert list(validator().iter_errors(log)) == []
    [note] = [n for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
              if n["descriptor"]["id"] == "guideline-lint/pages-half-built"]
    assert note["level"] == "warning" and note["properties"]["pages"] == [PAGE]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_half_built_line_when_every_page_loaded_whole(fmt: str) -> None:
    text = render(audited(), fmt, "en")
    assert "had failed to load" not in text and "half_built" not in text


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "json"])
def test_the_reason_a_page_was_audited_again_is_in_the_reports_language(fmt: str) -> None:
    retried = [{"page": FORM, "attempts": 2, "audited": True, "reasons": [LOST],
                "reasons_ja": ["このページでブラウザが止まりました: invalid session id"]}]
    japanese = shown(fmt, render(audited(retried=retried), fmt, "ja"))
    english = shown(fmt, render(audited(retried=retried), fmt, "en"))
    assert "このページでブラウザが止まりました: invalid session id" in japanese and LOST in english
    if fmt != "sarif":  # SARIF also carries the extension's fields (both languages) in run.properties.pageAudit
        assert LOST not in japanese and "ブラウザが止まりました" not in english
