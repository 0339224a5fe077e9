"""Our DevTools connection: commands sent together are answered to their own waiters, the audit world is known from
the load's events, a chatty page's console does not pile up, and a page that never answers times out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from page_fixtures import FixtureServer, page_options
from selenium.common.exceptions import TimeoutException

from guideline_lint.browser import SessionPool
from guideline_lint.collect.pages import PageOptions, browser_options, collect_service_pages
from guideline_lint.collect.pages.session import load_page, run_script
from guideline_lint.facts.needs import Needs

pytestmark = pytest.mark.browser


@pytest.fixture
def session(page_pool: Any) -> Iterator[Any]:
    with page_pool.session() as held:
        assert held.devtools is not None, "the local Chromium is reached over our own DevTools connection"
        yield held


def test_answers_go_to_their_own_command_in_any_order(session: Any, fixture_server: FixtureServer) -> None:
    load_page(session, fixture_server.add("/devtools-order.html", "<p>順番</p>"))
    devtools = session.devtools
    first = devtools.send("Runtime.evaluate", {"expression": "1 + 1", "returnByValue": True})
    later = devtools.send("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(() => r('late'), 50))",
                                               "awaitPromise": True, "returnByValue": True})
    # Waiting for the later one first keeps the first one's answer (it arrived meanwhile) for its own wait.
    assert devtools.answer(later, 5)["result"]["value"] == "late"
    assert devtools.answer(first, 5)["result"]["value"] == 2


def test_an_answer_that_does_not_come_in_time_raises_timeout(session: Any, fixture_server: FixtureServer) -> None:
    load_page(session, fixture_server.add("/devtools-slow.html", "<p>遅い</p>"))
    slow = session.devtools.send("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 1500))",
                                                      "awaitPromise": True})
    with pytest.raises(TimeoutException):
        session.devtools.answer(slow, 0.2)
    session.devtools.answer(slow, 5)  # still answered later: the connection stays usable


def test_the_audit_world_is_known_from_the_load_without_asking(session: Any, fixture_server: FixtureServer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url = fixture_server.add("/devtools-world.html", "<script>window.axe = 'the page s own'; var secret = 1</script>")
    load_page(session, url)
    assert session.world_context is not None
    asked: list[str] = []
    call = session.devtools.call
    monkeypatch.setattr(session.devtools, "call", lambda method, *a, **k: asked.append(method) or call(method, *a, **k))
    # The context announced at the load is the isolated world: axe-core is ours there, the page's globals absent.
    assert run_script(session, "return [typeof axe.run, typeof secret]") == ["function", "undefined"]
    assert asked == ["Runtime.evaluate"]  # no Page.createIsolatedWorld


def test_a_document_that_replaced_the_page_is_audited_in_its_own_world(session: Any,
                                                                       fixture_server: FixtureServer) -> None:
    target = fixture_server.add("/devtools-after.html", "<title>後</title><p id=after>後のページ</p>")
    start = fixture_server.add("/devtools-before.html",
                               f"<script>location.replace({target!r})</script><p id=before>前</p>")
    load_page(session, start)
    assert run_script(session, "return [location.pathname, !!document.getElementById('after')]") == [
        "/devtools-after.html", True]


def test_console_messages_are_not_kept(session: Any, fixture_server: FixtureServer) -> None:
    load_page(session, fixture_server.add("/devtools-chatty.html",
                                          "<script>for (let i = 0; i < 3000; i++) console.log('行', i)</script>"))
    run_script(session, "return 1")
    kept = {event.get("method") for event in session.devtools._events}
    assert not {method for method in kept if not method.startswith(("Page.", "Runtime.executionContext"))}


def test_the_grown_time_limit_is_the_one_reported_on_a_timeout(fixture_server: FixtureServer) -> None:
    """The element count and the audit script go out together; a page that hangs the script is reported with the
    limit its size earned, not the plain page time limit."""
    url = fixture_server.add("/devtools-hang.html", "<ul>" + "<li>項目</li>" * 2500 + "</ul>"
                             "<script>document.addEventListener('focusin', () => { for (;;) {} })</script>")
    options = PageOptions(page_timeout=2.0)
    hang = "const item = document.querySelector('li'); item.tabIndex = 0; item.focus(); return 1"
    with SessionPool(browser_options(options, axe=False), 1) as pool:
        page = collect_service_pages([url], [], None, page_options(page_timeout=2.0),
                                     Needs(page_scripts={"hang": hang}), pool=pool)[0]
    assert page.error_kind == "timeout", page.error
    assert page.timings["time_limit_s"] > 2.0
    assert f"within {page.timings['time_limit_s']:g} s" in (page.error or "")


def test_the_browser_and_the_http_fetch_ask_for_japanese(page_pool: Any) -> None:
    """A site that picks its language by Accept-Language (codeforjapan/noto-house-map sent the audit's English
    browser to /en/about) is audited as a resident's Japanese browser sees it, by the browser and by our own GET."""
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            asked.append(self.headers.get("Accept-Language", ""))
            body = "<!DOCTYPE html><html lang=ja><title>言語</title><p>日本語</p>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/about/"
        [page] = collect_service_pages([url], [], None, page_options(), Needs(page_scripts={
            "lang": "return navigator.languages"}), pool=page_pool)
    finally:
        server.shutdown()
    assert page.error is None, page.error
    assert page.dom["lang"][0] == "ja"
    assert len(asked) >= 2 and all(header.startswith("ja") for header in asked), asked  # our GET, the browser's
