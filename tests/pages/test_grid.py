"""Page audits through a real Selenium Grid 4 (a hub and two nodes on 127.0.0.1, tests/local_grid.py): pages are
spread over the nodes, give the local Chromium's results, and survive a node that dies mid-run."""

from __future__ import annotations

import html
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_viewports import HEAD, PHONE_MENU

from guideline_lint.browser import HEADLESS_FLAGS, DevTools
from guideline_lint.collect.pages import PageOptions, collect_service_pages, lost_session, session_lost
from guideline_lint.commands.audit import audit
from guideline_lint.facts import Needs
from guideline_lint.facts.page import PageFacts, ViewFacts
from guideline_lint.report import FORMATS
from local_grid import GRID, LocalGrid, findings
from security.test_page_local_server import FORGERIES

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "bad.html": '<img src="logo.png"><a href="next.html"></a><input type="text" name="q">',
    "good.html": "<h1>お知らせ</h1><p>東京都のデジタルサービスです。</p><a href='news.html'>お知らせ一覧</a>",
    "contrast.html": '<h1>申請</h1><p style="color:#ccc;background:#fff">薄い文字の説明です。</p>',
    "form.html": '<h1>申込</h1><form><input id="n"><select><option>1</option></select><button></button></form>',
    "headings.html": "<h1>一</h1><h4>四</h4><p>見出しの順番が飛んでいます。</p>",
    "table.html": "<h1>表</h1><table><tr><td>名前</td><td>年齢</td></tr><tr><td>太郎</td><td>20</td></tr></table>",
    "frame.html": '<h1>地図</h1><iframe src="good.html"></iframe>',
    "media.html": '<h1>動画</h1><video src="movie.mp4" autoplay></video><area><svg role="img"></svg>',
}
TEMPLATE = ('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head>'
            "<body><main>{body}</main></body></html>")
# A link with no name shown only on a narrow screen of 2 device pixels per CSS pixel or more (a phone's): a window
# resized to 375 px wide does not show it, the mobile emulation (device pixel ratio 3) does.
SHARP = (HEAD.format(title="Sharp").replace("</style>", ".sharp { display: none; } @media (max-width: 600px) and "
                                             "(min-resolution: 2dppx) { .sharp { display: block; } }</style>")
         + '<nav class="sharp"><a href="/sharp"><svg width="10" height="10"></svg></a></nav><p>Text.</p>'
         "</main></body></html>")


def write_site(folder: Path, copies: int = 1) -> Path:
    folder.mkdir()
    for n in range(copies):
        for name, body in PAGES.items():
            (folder / f"{n}-{name}").write_text(TEMPLATE.format(title=name, body=body), "utf-8")
    (folder / "no-lang.html").write_text("<!DOCTYPE html><html><head><title>x</title></head><body>x</body></html>")
    return folder


def audit_json(site: Path, out: Path, *flags: str) -> dict[str, Any]:
    result = CliRunner().invoke(audit, [str(site), "--format", "json", "--output", str(out), "-q", "--lang", "en",
                                        "--workers", "2", *flags])
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return report


def test_the_node_configuration_names_debians_browser_and_the_tools_own_flags() -> None:
    node = tomllib.loads((GRID / "node.toml").read_text("utf-8"))
    hub = tomllib.loads((GRID / "hub.toml").read_text("utf-8"))
    assert hub["server"]["host"] == node["server"]["host"] == "127.0.0.1"
    assert node["node"]["detect-drivers"] is False and node["node"]["selenium-manager"] is False
    (driver,) = node["node"]["driver-configuration"]
    assert driver["webdriver-executable"] == "/usr/bin/chromedriver"
    stereotype = json.loads(driver["stereotype"])
    assert stereotype["goog:chromeOptions"]["binary"] == "/usr/bin/chromium"
    assert stereotype["goog:chromeOptions"]["args"] == list(HEADLESS_FLAGS)  # kept in step with browser.py


@pytest.mark.parametrize(("kind", "error", "lost"), [
    ("crash", "the browser failed on this page: Unable to execute request for an existing session: Failed to "
              "execute request (POST http://127.0.0.1:5555/session/4f19/url)", True),
    ("crash", "the browser failed on this page: invalid session id", True),
    ("crash", "the browser failed on this page: the browser session was lost: the hub no longer lists it on a live "
              "node", True),
    ("crash", "the browser could not be restarted: cannot start the browser: Could not start a new session.", True),
    ("tool", "the audit of this page failed: MaxRetryError: HTTPConnectionPool(host='hub', port=4444): Max retries "
             "exceeded with url: /session/1/url (Caused by NewConnectionError: Connection refused)", True),
    ("crash", "the browser could not load the page: net::ERR_CONNECTION_REFUSED", False),
    ("crash", "the browser could not load the page: net::ERR_INTERNET_DISCONNECTED", False),
    ("crash", "the browser failed on this page: tab crashed (Inspector.targetCrashed)", False),
    ("timeout", "the page did not finish within 30 s", False),
    ("script", "the audit script failed: TypeError: connection refused by the page's own code", False),
])
def test_a_lost_session_is_told_from_a_fault_of_the_page(kind: str, error: str, lost: bool) -> None:
    assert session_lost(PageFacts(url="u", error=error, error_kind=kind)) is lost
    assert (lost_session(PageFacts(url="u", error=error, error_kind=kind)) == error) is lost


@pytest.mark.parametrize(("error", "lost"), [
    ("the mobile viewport could not be audited: the browser session was lost: the hub no longer lists it on a live "
     "node", True),
    ("the mobile viewport could not be audited: invalid session id", True),
    ("the mobile viewport could not be audited: script timeout", False),
    ("the mobile viewport could not be audited: the page navigated away", False),
    ("the mobile viewport's audit script failed: Error: connection refused by the page's own code", False),
])
def test_a_session_lost_at_the_mobile_viewport_is_a_lost_session_too(error: str, lost: bool) -> None:
    # The node died during the mobile pass: the desktop results stand, but the page is audited again to get both.
    page = PageFacts(url="u", views={"mobile": ViewFacts(error=error)})
    assert (lost_session(page) == error) is lost



@pytest.mark.grid
@pytest.mark.browser
@pytest.mark.slow
def test_pages_are_spread_over_the_nodes_with_the_local_chromiums_results(
    selenium_grid: LocalGrid, tmp_path: Path
) -> None:
    selenium_grid.wait_ready(2)
    site = write_site(tmp_path / "site")
    before = selenium_grid.sessions_created()
    remote = audit_json(site, tmp_path / "grid.json", "--remote-url", selenium_grid.url)
    after = selenium_grid.sessions_created()
    local = audit_json(site, tmp_path / "local.json")
    assert all(b > a for a, b in zip(before, after, strict=True)), (before, after)  # each node ran a session
    assert "not_evaluated" not in remote["extensions"], remote["extensions"]["not_evaluated"]
    assert remote["extensions"]["page_audit"]["browser"] == local["extensions"]["page_audit"]["browser"]
    assert findings(remote) == findings(local)
    assert "retried" not in remote["extensions"]["page_audit"]


@pytest.mark.grid
@pytest.mark.browser
@pytest.mark.slow
def test_a_page_cannot_forge_a_clean_result_on_the_grid_either(selenium_grid: LocalGrid, tmp_path: Path) -> None:
    # The audit reaches the node's Chromium through the hub's DevTools endpoint: axe and the checks run in their
    # isolated world there too, out of the page's reach.
    files = []
    for n, forgery in enumerate(FORGERIES):
        path = tmp_path / f"forged-{n}.html"
        path.write_text(f'<!DOCTYPE html><html lang="ja"><head><title>t</title><script>{forgery}</script></head>'
                        '<body><main><img src="x.png"></main></body></html>', "utf-8")
        files.append(path)
    script = "return {status: document.querySelectorAll('img:not([alt])').length ? 'fail' : 'pass'};"
    selenium_grid.wait_ready(2)
    pages = collect_service_pages([], files, tmp_path, PageOptions(workers=2, remote_url=selenium_grid.url),
                                  Needs(axe_rules={"image-alt"}, page_scripts={"probe": script}))
    for page, forgery in zip(pages, FORGERIES, strict=True):
        assert page.error is None, (forgery, page.error)
        assert "image-alt" in page.axe["violations"], forgery
        assert page.dom["probe"]["status"] == "fail", forgery


class SlowPages:
    """Pages on 127.0.0.1 that each keep the browser busy for a moment, counting the browsers' loads."""

    def __init__(self, count: int) -> None:
        self.loads = 0
        self.lock = threading.Lock()
        body = ("<h1>ページ</h1><img src='x.png'><script>for (let t = Date.now(); Date.now() - t < 400;);</script>"
                .encode())
        page = TEMPLATE.format(title="slow", body=body.decode()).encode()
        pages = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if "Chrome" in (self.headers.get("User-Agent") or "") and self.path.endswith(".html"):
                    with pages.lock:
                        pages.loads += 1
                self.send_response(200 if self.path.endswith(".html") else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.urls = [f"http://127.0.0.1:{self.server.server_address[1]}/page-{n:02d}.html" for n in range(count)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_pages() -> Iterator[SlowPages]:
    pages = SlowPages(16)
    yield pages
    pages.close()


def audit_killing_nodes(grid: LocalGrid, pages: SlowPages, out: Path, nodes: list[int]) -> tuple[dict[str, Any],
                                                                                              dict[str, str]]:
    """Audit ``pages`` through ``grid`` with the CLI (2 workers, a report in every format in ``out``), and kill
    ``nodes`` once both nodes run a session and 3 pages have been loaded: the pages in flight on them lose their
    session. The nodes are started again afterwards, for the tests after this one. The JSON report, read, and every
    report's text by file extension."""
    grid.wait_ready(2)
    before = grid.sessions_created()
    command = [sys.executable, "-m", "guideline_lint", "audit", *pages.urls, "--remote-url", grid.url,
               "--workers", "2", *(f"--format={fmt}" for fmt in FORMATS), "--output-dir", str(out), "--lang", "en",
               "-q"]
    run = subprocess.Popen(command, cwd=out.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        deadline = time.monotonic() + 240
        while not (all(b > a for a, b in zip(before, grid.sessions_created(), strict=True)) and pages.loads >= 3):
            assert run.poll() is None, run.communicate()[0]
            assert time.monotonic() < deadline, "the Grid never ran a session on both nodes"
            time.sleep(0.1)
        for index in nodes:
            grid.kill_node(index)
        killed_at = pages.loads
        output = run.communicate(timeout=600)[0].decode()
    finally:
        if run.poll() is None:
            run.kill()
        for index in nodes:
            grid.start_node(index)
    assert run.returncode in (0, 1), output
    assert killed_at < len(pages.urls), "the run ended before the nodes were killed"
    report: dict[str, Any] = json.loads(next(out.glob("*.json")).read_text("utf-8"))
    return report, {path.suffix: path.read_text("utf-8") for path in out.iterdir()}


@pytest.mark.grid
@pytest.mark.browser
@pytest.mark.slow
def test_a_node_killed_mid_run_loses_no_page_and_the_report_names_the_pages_retried(
    selenium_grid: LocalGrid, slow_pages: SlowPages, tmp_path: Path
) -> None:
    report, formats = audit_killing_nodes(selenium_grid, slow_pages, tmp_path / "out", [0])
    assert "not_evaluated" not in report["extensions"], report["extensions"]["not_evaluated"]  # no page lost
    assert report["extensions"]["jis_x_8341_3"][0]["pages_tested"] == len(slow_pages.urls)
    retried = report["extensions"]["page_audit"]["retried"]  # the page in flight on the node that died, at least
    assert retried and all(item["audited"] and item["attempts"] >= 2 for item in retried)
    assert {item["page"] for item in retried} <= set(slow_pages.urls)
    assert any("session" in reason for item in retried for reason in item["reasons"])
    line = next(line for line in formats[".txt"].splitlines()
                if line.startswith("Pages audited again in a new browser session"))
    assert all(item["page"] in line for item in retried)
    assert len(formats) == len(FORMATS)
    for text in formats.values():  # every format names them (tests/report/test_page_audit.py: how each does)
        assert all(item["page"] in html.unescape(text) for item in retried)


@pytest.mark.grid
@pytest.mark.browser
@pytest.mark.slow
def test_pages_left_with_no_node_are_one_error_each_after_their_retries(
    selenium_grid: LocalGrid, slow_pages: SlowPages, tmp_path: Path
) -> None:
    report, _ = audit_killing_nodes(selenium_grid, slow_pages, tmp_path / "out", [0, 1])
    loads = [f for f in report["findings"] if f["check_id"] == "UX-P10"]
    errors = [f for f in loads if f["status"] == "error"]
    assert errors and not any(f["status"] == "fail" for f in loads)  # the tool's environment, not the service
    assert len(loads) == len(slow_pages.urls)
    lost = report["extensions"]["not_evaluated"]
    attempts = PageOptions().retries + 1
    assert len(lost) == len(errors) and all(f"after {attempts} attempts" in item["en"] for item in lost)


def viewport_site(folder: Path) -> Path:
    folder.mkdir()
    (folder / "menu.html").write_text(PHONE_MENU, "utf-8")
    (folder / "sharp.html").write_text(SHARP, "utf-8")
    return folder


def failed_at(report: dict[str, Any], page: str, check: str = "A11Y-4-1-2") -> list[str] | None:
    """The viewports at which ``check`` failed on ``page`` (None: it did not fail)."""
    found = [f for f in report["findings"] if f["check_id"] == check and f.get("subject") == page]
    return next((f["viewports"] for f in found if f["status"] == "fail"), None)


@pytest.mark.grid
@pytest.mark.browser
@pytest.mark.slow
def test_the_mobile_viewport_is_emulated_through_the_hubs_devtools(selenium_grid: LocalGrid, tmp_path: Path) -> None:
    site = viewport_site(tmp_path / "site")
    selenium_grid.wait_ready(2)
    remote = audit_json(site, tmp_path / "grid.json", "--remote-url", selenium_grid.url)
    local = audit_json(site, tmp_path / "local.json")
    audit = remote["extensions"]["page_audit"]
    assert audit["viewports"] == ["desktop", "mobile"]
    assert audit["viewport"] == local["extensions"]["page_audit"]["viewport"] == [
        "desktop 1280x881", "mobile 375x812 ×3 mobile touch"]
    # The phone menu (a media query on width) and the sharp-screen link (device pixel ratio): found at mobile only.
    assert failed_at(remote, "menu.html") == failed_at(remote, "sharp.html") == ["mobile"]
    assert findings(remote) == findings(local)


@pytest.mark.grid
@pytest.mark.browser
@pytest.mark.slow
def test_a_grid_without_devtools_resizes_the_window_to_the_mobile_layout_viewport(
    selenium_grid: LocalGrid, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> DevTools:
        raise OSError("no se:cdp on this Grid")

    monkeypatch.setattr(DevTools, "connect_grid", refuse)
    site = viewport_site(tmp_path / "site")
    selenium_grid.wait_ready(2)
    report = audit_json(site, tmp_path / "grid.json", "--remote-url", selenium_grid.url, "--workers", "1")
    audit = report["extensions"]["page_audit"]
    assert audit["viewports"] == ["desktop", "mobile"]
    # The layout viewport is the phone's (the window's frame added), and every page starts again at the desktop one.
    assert audit["viewport"] == ["desktop 1280x881", "mobile 375x812 (window resized)"]
    assert failed_at(report, "menu.html") == ["mobile"]
    assert failed_at(report, "sharp.html") is None  # what a resized window cannot show: no device pixel ratio
