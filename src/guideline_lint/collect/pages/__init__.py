"""Collect facts about pages: HTTP status, headers and cookies, axe-core results and DOM facts.

- ``http``: the plain GETs (status, redirects, headers, cookies, source) and the per-origin facts;
- ``scripts`` and ``js/``: the JavaScript run in pages (the runner, the helpers, the Tab walk) and axe-core;
- ``session``: one page in a browser session (load, run, keyboard walk);
- ``audit``: one page from start to end, every fault made the page's ``error``;
- here: ``collect_service_pages``, which audits all pages on a pool of browser sessions, and audits a page again in a
  new session when its session was lost (a Selenium Grid node that died, a browser or driver that was killed).

Only what the checks' ``Needs`` ask for is gathered beyond the HTTP answer and the base facts.
Pages that time out or crash become facts with ``error`` set; the session is replaced and the audit goes on.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from guideline_lint.browser import BrowserOptions, SessionPool
from guideline_lint.collect.pages.audit import audit_page
from guideline_lint.collect.pages.http import OriginCache, ascii_url, comparable_url, fetch_http, parse_cookie
from guideline_lint.collect.pages.scripts import asset, axe_options, axe_source, build_runner
from guideline_lint.collect.pages.viewport import plan_viewports
from guideline_lint.collect.static_server import StaticServer, inside
from guideline_lint.facts.needs import Needs
from guideline_lint.facts.page import PageFacts

__all__ = [
    "PageFacts", "PageOptions", "ascii_url", "browser_options", "collect_service_pages", "comparable_url",
    "fetch_http", "parse_cookie",
]


@dataclass(slots=True)
class PageOptions:
    workers: int | None = None  # browser sessions in parallel; default the CPU count
    remote_url: str | None = None  # Selenium Grid
    chromedriver: str | None = None
    page_timeout: float = 30.0
    retries: int = 3  # new sessions a page gets after its session was lost (a Grid node died)
    on_page: Callable[[PageFacts], None] | None = None  # told of each page as it is done (progress)
    viewports: tuple[str, ...] = ("desktop", "mobile")  # the first is audited in full, the second what needs layout


def browser_options(options: PageOptions, axe: bool = True) -> BrowserOptions:
    """The browser settings for ``options``: the focus hook in every document, and axe-core too (in the audit's
    isolated world, out of the page's reach) when ``axe``."""
    return BrowserOptions(
        chromedriver=options.chromedriver,
        remote_url=options.remote_url,
        page_timeout=options.page_timeout,
        preload_script=asset("focus_hook.js"),
        isolated_script=axe_source() if axe else None,
    )


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the run as Ctrl-C does (an exception in the main thread), so the ``finally`` below quits the
    browsers and drivers; Python's default would end the process at once and leave them running."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the cleanup short
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _local_pages(local_pages: list[Path], server: StaticServer, root: str) -> list[PageFacts]:
    pages = []
    for path in local_pages:
        absolute = os.path.abspath(path)
        shown = Path(absolute).relative_to(root).as_posix() if inside(absolute, root) else str(path)
        if server.serves(path):
            pages.append(PageFacts(url=shown, address=server.url_for(path), local_file=str(path)))
        else:  # a link out of the site folder (or not a regular file): never served, never read
            pages.append(PageFacts(url=shown, local_file=str(path), error_kind="blocked",
                                   error="not audited: not a regular file inside the site folder (a link out of it?)",
                                   error_ja="検査していません: サイトのフォルダーの中の通常のファイルではありません"
                                            "（外へのリンク？）"))
    return pages


def collect_service_pages(urls: list[str], local_pages: list[Path], site_root: Path | None, options: PageOptions,
                          needs: Needs, pool: Any = None) -> list[PageFacts]:
    """Audit every URL and every local page (served from ``site_root`` on 127.0.0.1); one PageFacts each,
    in the order given (URLs first). Only what ``needs`` asks for is gathered beyond the HTTP answer and the
    base facts (forms, subresources): its axe rules, in-page scripts and optional facts. ``pool``: an open
    ``SessionPool`` to reuse (made with ``browser_options``); by default one is opened and closed here.

    Only http(s) URLs are fetched; local pages are served only if their real path is inside the site folder
    (the folder is never widened to where links point). SIGTERM and Ctrl-C quit the browsers on the way out."""
    pages = [PageFacts(url=url, address=url) for url in urls]
    server: StaticServer | None = None
    if local_pages:
        # Not resolved: a link to /etc/passwd must not widen the folder served to /.
        root = os.path.abspath(site_root or os.path.commonpath([os.path.dirname(os.path.abspath(p))
                                                                 for p in local_pages]))
        server = StaticServer(Path(root)).__enter__()
        pages += _local_pages(local_pages, server, root)
    if not pages:
        return []
    rules = sorted(needs.axe_rules)
    axe_opts = axe_options(rules) if rules else None
    runner = build_runner(needs.page_scripts)
    viewports = plan_viewports(options.viewports, rules, needs.page_scripts)
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(pages)))
    done = options.on_page or (lambda page: None)
    origins = OriginCache(options.page_timeout)
    own_pool = pool is None
    executor: concurrent.futures.ThreadPoolExecutor | None = None
    with _stop_on_sigterm():
        try:
            if own_pool:
                pool = SessionPool(browser_options(options, bool(needs.axe_rules)), workers)
            workers = min(workers, pool.size)
            # Start one session up front: a missing browser is an environment problem (exit 3), reported once.
            with pool.session():
                pass
            executor = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="page")
            futures = [
                executor.submit(_audit_with_retries, page, options.retries,
                                (pool, origins, runner, axe_opts, options.page_timeout, needs, viewports))
                for page in pages if page.error is None
            ]
            for page in pages:
                if page.error is not None:
                    done(page)
            for future in concurrent.futures.as_completed(futures):
                done(future.result())
        finally:
            interrupted = sys.exc_info()[1]
            if executor is not None:  # on an interrupt: drop the pages not started, do not wait for them
                executor.shutdown(wait=False, cancel_futures=True)
            if own_pool and pool is not None:
                pool.close()
            if server is not None:
                server.__exit__(None, None, None)
            if isinstance(interrupted, (KeyboardInterrupt, SystemExit)):
                _exit_soon(interrupted)
    return pages


# What WebDriver and the Grid say when a session itself is gone (its Grid node died, its browser or driver was killed),
# not the page: the page is audited again in a new session, on another node if the Grid has one.
SESSION_LOST = (
    "invalid session id", "no such session", "session deleted", "unable to execute request for an existing session",
    "chrome not reachable", "not connected to devtools", "unable to connect to renderer", "devtools connection lost",
    "could not be restarted", "connection refused", "connection reset", "connection aborted", "max retries exceeded",
    "remote end closed", "session was lost",
)


def session_lost(page: PageFacts) -> bool:
    """Whether ``page`` failed because its browser session was lost rather than because of the page itself (a load
    error such as ``net::ERR_CONNECTION_REFUSED`` is the page's)."""
    return page.error_kind in ("crash", "tool") and _says_lost(page.error or "")


def _says_lost(error: str) -> bool:
    text = error.lower()
    return "net::err_" not in text and any(sign in text for sign in SESSION_LOST)


def lost_session(page: PageFacts, lang: str = "en") -> str | None:
    """Why the audit of ``page`` was cut short by a lost session, in ``lang``: the page's error, or a further
    viewport's (its first viewport's results stand, the mobile one is missing); None when it was not."""
    if session_lost(page):
        return page.error_in(lang)
    # A script of the page that failed ("audit script failed") is the page's, whatever its message says.
    return next((view.error_in(lang) for view in page.views.values()
                 if view.error and "viewport could not be audited: " in view.error and _says_lost(view.error)), None)


def _audit_with_retries(page: PageFacts, retries: int, audit_args: tuple[Any, ...]) -> PageFacts:
    """``audit_page``, again in a new session (up to ``retries`` times) while the page's session is lost, at any of its
    viewports; the reasons are kept in ``page.retries``. A page still not audited after them keeps its last error,
    which says so."""
    url, address, local_file = page.url, page.address, page.local_file
    reasons: list[str] = []
    reasons_ja: list[str] = []
    while True:
        audit_page(page, *audit_args)
        lost = lost_session(page)
        if lost is None or len(reasons) >= retries:
            break
        reasons.append(lost)
        reasons_ja.append(lost_session(page, "ja") or lost)
        start = PageFacts(url=url, address=address, local_file=local_file)
        for item in fields(PageFacts):  # back to what the page was before this attempt, in place (shared object)
            setattr(page, item.name, getattr(start, item.name))
        # 2, 4, 8 s: a Grid may send the new session to the dead node until it sees it is down (its health check runs
        # every 10 s at most with grid/hub.toml; a failed session on a node usually tells it at once).
        time.sleep(2 ** len(reasons))
    page.retries, page.retries_ja = reasons, reasons_ja
    suffix = f" (after {len(reasons) + 1} attempts, each in a new browser session)"
    suffix_ja = f"（{len(reasons) + 1} 回、毎回新しいブラウザのセッションで試しました）"
    if reasons and page.error is not None:
        page.fail(page.error + suffix, f"{page.error_in('ja')}{suffix_ja}")
    elif reasons and lost is not None:
        for view in page.views.values():
            if view.error == lost:
                view.error, view.error_ja = view.error + suffix, f"{view.error_in('ja')}{suffix_ja}"
    return page


def _exit_soon(interrupted: BaseException, grace: float = 5.0) -> None:
    """After an interrupt the browsers are gone, but a worker thread may still sit in a call that never returns,
    and the interpreter joins the pool's threads before it exits: end the process after ``grace`` seconds."""
    code = interrupted.code if isinstance(interrupted, SystemExit) and isinstance(interrupted.code, int) else 130
    timer = threading.Timer(grace, os._exit, args=(code,))
    timer.daemon = True
    timer.start()
