"""Pages audited at a desktop and a mobile viewport, in a real headless Chromium, pages served on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from page_fixtures import FixtureServer, page_needs

from guideline_lint.browser import BrowserOptions, Session
from guideline_lint.collect.pages.scripts import axe_options, build_runner
from guideline_lint.collect.pages.session import audit_in_browser
from guideline_lint.collect.pages.viewport import plan_viewports
from guideline_lint.commands.audit import audit
from guideline_lint.facts.page import PageFacts

pytestmark = pytest.mark.browser

HEAD = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><style>'
        "body {{ color: #000; background: #fff; }} .phone {{ display: none; }}"
        "@media (max-width: 600px) {{ .phone {{ display: block; }} .wide {{ display: none; }}"
        " .note {{ color: #bbb; }} }}</style></head><body><main><h1>{title}</h1>")
# A menu shown only on phones: a link with no name and a faint one; a note whose colour fades only on phones.
PHONE_MENU = (HEAD.format(title="Phone menu") + '<nav class="phone"><a href="/search"><svg width="10" height="10">'
              '</svg></a> <a href="/home" style="color: #bbb">Home</a></nav><nav class="wide"><a href="/a">Wide</a>'
              '</nav><p class="note">A note on every layout.</p></main></body></html>')
# No language on the document: the same at every viewport.
NO_LANG = HEAD.format(title="No language").replace(' lang="en"', "") + "<p>Text.</p></main></body></html>"
# A link without a name and an image without alt on every layout, and a link shown only on wide screens.
BOTH = (HEAD.format(title="Both") + '<a href="/x"><img src="data:," alt=""></a><img src="data:," class="photo">'
        '<nav class="wide"><a href="/y"><svg width="10" height="10"></svg></a></nav></main></body></html>')


def _audit(site: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(audit, [str(site), "--ruleset", "jis-x-8341-3-aa", "--format", "json", "--output",
                                        str(out), "--workers", "1", "--quiet", "--lang", "en", *extra])
    assert result.exit_code in (0, 1), result.output
    return json.loads(out.read_text("utf-8"))


def _findings(report: dict[str, Any], page: str, check: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["check_id"] == check and f.get("subject") == page]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    for name, html in {"menu.html": PHONE_MENU, "nolang.html": NO_LANG, "both.html": BOTH}.items():
        (folder / name).write_text(html, "utf-8")
    return folder


def test_a_menu_shown_only_on_phones_is_found_at_mobile_and_says_so(site: Path, tmp_path: Path) -> None:
    report = _audit(site, tmp_path / "r.json")
    assert report["extensions"]["page_audit"]["viewports"] == ["desktop", "mobile"]
    assert any(v.startswith("mobile 375x812") for v in report["extensions"]["page_audit"]["viewport"])
    [name] = _findings(report, "menu.html", "A11Y-4-1-2")  # one finding per check and page, not one per viewport
    assert name["status"] == "fail" and name["viewports"] == ["mobile"]
    assert 'href="/search"' in name["location"]["snippet"] and name["location"]["viewports"] == ["mobile"]
    [contrast] = _findings(report, "menu.html", "A11Y-1-4-3")
    assert contrast["status"] == "fail" and contrast["viewports"] == ["mobile"]
    places = [contrast["location"], *contrast["occurrences"]]
    snippets = {p["snippet"].split(">")[0]: p.get("viewports") for p in places}
    # The faint link shown only on phones, and the note whose colour fades only there (a style-changed element).
    assert snippets == {'<a href="/home" style="color: #bbb"': ["mobile"], '<p class="note"': ["mobile"]}

    # Layout-independent: found once, at both viewports, with no viewport on the place.
    [lang] = _findings(report, "nolang.html", "A11Y-3-1-1")
    assert lang["status"] == "fail" and lang["viewports"] == ["desktop", "mobile"]
    assert "viewports" not in lang["location"]

    # A link without a name on every layout (once, no viewport said), and one shown only on wide screens.
    [both] = _findings(report, "both.html", "A11Y-4-1-2")
    assert both["status"] == "fail" and both["viewports"] == ["desktop", "mobile"]
    places = {p["snippet"].split(">")[0]: p.get("viewports") for p in [both["location"], *both["occurrences"]]}
    assert places == {'<a href="/x"': None, '<a href="/y"': ["desktop"]}
    [alt] = _findings(report, "both.html", "A11Y-1-1-1")  # a rule run again only where the layout changed
    assert alt["status"] == "fail" and alt["viewports"] == ["desktop", "mobile"] and alt["occurrences"] == []
    assert alt["location"]["selector"] == ".photo" and "viewports" not in alt["location"]

    text = CliRunner().invoke(audit, [str(site / "menu.html"), "--ruleset", "jis-x-8341-3-aa", "--workers", "1",
                                      "--quiet", "--lang", "ja"]).output
    assert 'a[href$="search"] [スマートフォン表示のみ]' in text


def test_one_viewport_can_be_chosen(site: Path, tmp_path: Path) -> None:
    desktop = _audit(site, tmp_path / "d.json", "--viewports", "desktop")
    assert desktop["extensions"]["page_audit"]["viewports"] == ["desktop"]
    [name] = _findings(desktop, "menu.html", "A11Y-4-1-2")
    assert name["status"] != "fail" and name["viewports"] == ["desktop"]  # the phone menu is never seen

    mobile = _audit(site, tmp_path / "m.json", "--viewports", "mobile")
    assert mobile["extensions"]["page_audit"]["viewports"] == ["mobile"]
    assert mobile["extensions"]["page_audit"]["viewport"] == ["mobile 375x812 ×3 mobile touch"]
    [name] = _findings(mobile, "menu.html", "A11Y-4-1-2")
    assert name["status"] == "fail" and name["viewports"] == ["mobile"]
    assert "viewports" not in name["location"]  # the only viewport audited: nothing to tell apart


def test_a_page_that_leaves_on_resize_keeps_its_desktop_results(fixture_server: FixtureServer,
                                                                  tmp_path: Path) -> None:
    leaving = fixture_server.add("/viewports/leave.html", '<img src="data:,"><script>addEventListener("resize", '
                                 '() => { location.href = "/viewports/elsewhere.html"; });</script>')
    # The other page answers late: the mobile pass ends before the new document replaces this one, and the navigation
    # its resize handler asked for must still make that viewport "not audited" (a race before: flaky under load).
    fixture_server.add("/viewports/elsewhere.html", "<p>elsewhere</p>", delay=1.0)
    after = fixture_server.add("/viewports/after.html", '<img src="data:,">', headers={"Vary": "User-Agent"})
    out = tmp_path / "r.json"
    # One session (the next page reuses it), and time to spare on a busy machine.
    result = CliRunner().invoke(audit, [leaving, after, "--ruleset", "jis-x-8341-3-aa", "--format", "json",
                                        "--output", str(out), "--workers", "1", "--timeout", "30", "--quiet",
                                        "--lang", "en"])
    assert result.exit_code == 1, result.output
    report = json.loads(out.read_text("utf-8"))
    notices = [n["en"] for n in report["extensions"]["not_evaluated"]]
    assert any(n.startswith(f"not audited at the mobile viewport: {leaving} (") for n in notices), notices
    [first] = _findings(report, leaving, "A11Y-1-1-1")  # judged at desktop only, and says so
    assert first["status"] == "fail" and first["viewports"] == ["desktop"] and "viewports" not in first["location"]
    # The next page in the same session starts again at the desktop viewport and is audited at both.
    [second] = _findings(report, after, "A11Y-1-1-1")
    assert second["status"] == "fail" and second["viewports"] == ["desktop", "mobile"]
    assert f"{after} answers by User-Agent (Vary: User-Agent): its mobile layout was audited on the desktop HTML" \
        in notices


def test_without_devtools_the_window_is_resized(fixture_server: FixtureServer) -> None:
    """The Selenium Grid path (no DevTools: WebDriver scripts, a resized window), on the local Chromium."""
    url = fixture_server.add("/viewports/grid.html", PHONE_MENU)
    options = BrowserOptions(page_timeout=30)
    session = Session(options).start()
    try:
        session.options = replace(options, remote_url="http://grid.invalid/wd/hub")  # as a Grid session would be
        session.devtools, session.preloaded = None, False
        needs = page_needs()
        rules = sorted(needs.axe_rules)
        facts = PageFacts(url=url, address=url)
        audit_in_browser(session, facts, build_runner(needs.page_scripts), axe_options(rules), False,
                         plan_viewports(("desktop", "mobile"), rules, needs.page_scripts))
    finally:
        session.quit()
    assert facts.error is None and "link-name" not in facts.axe["violations"]
    mobile = facts.views["mobile"]
    assert mobile.error is None and mobile.engine["viewport"].endswith("(window resized)")
    assert mobile.engine["viewport"].startswith("mobile 375x")
    assert [n["selector"] for n in mobile.axe["violations"]["link-name"]["nodes"]] == ['a[href$="search"]']


def test_a_criterion_only_a_person_can_judge_asks_for_one_instead_of_counting_zero_places(site: Path,
                                                                                          tmp_path: Path) -> None:
    report = _audit(site, tmp_path / "r.json", "--viewports", "desktop")
    [sequence] = _findings(report, "nolang.html", "A11Y-1-3-2")  # 1.3.2 reading order: no machine test
    assert sequence["status"] == "manual"
    assert "0 箇所" not in sequence["message"]["ja"] and "人が確認" in sequence["message"]["ja"]
    assert "0 place" not in sequence["message"]["en"] and "a person checks" in sequence["message"]["en"]
