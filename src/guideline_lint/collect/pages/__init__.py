"""Collect facts about pages: HTTP status, headers and cookies, axe-core results and DOM facts.

- ``http``: the plain GETs (status, redirects, headers, cookies, source) and the per-origin facts;
- ``scripts`` and ``js/``: the JavaScript run in pages (the runner, the helpers, the Tab walk) and axe-core;
- ``session``: one page in a browser session (load, run, keyboard walk);
- ``audit``: one page from start to end, every fault made the page's ``error``;
- here: ``collect_service_pages``, which audits all pages on a pool of browser sessions.

Only what the checks' ``Needs`` ask for is gathered beyond the HTTP answer and the base facts.
Pages that time out or crash become facts with ``error`` set; the session is replaced and the audit goes on.
"""

from __future__ import annotations

import concurrent.futures
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from guideline_lint.browser import BrowserOptions, SessionPool
from guideline_lint.collect.pages.audit import Progress, audit_page
from guideline_lint.collect.pages.http import OriginCache, ascii_url, comparable_url, fetch_http, parse_cookie
from guideline_lint.collect.pages.scripts import asset, axe_options, axe_source, build_runner
from guideline_lint.collect.static_server import StaticServer
from guideline_lint.facts.needs import Needs
from guideline_lint.facts.page import PageFacts

__all__ = [
    "PageFacts", "PageOptions", "ascii_url", "browser_options", "collect_service_pages", "comparable_url",
    "fetch_http", "parse_cookie",
]
_Progress = Progress  # the name the tests and benchmarks know


@dataclass(slots=True)
class PageOptions:
    workers: int | None = None  # browser sessions in parallel; default the CPU count
    remote_url: str | None = None  # Selenium Grid
    chromedriver: str | None = None
    quiet: bool = False
    page_timeout: float = 30.0
    progress: TextIO | None = None  # where the progress bar goes (stderr by default)


def browser_options(options: PageOptions, axe: bool = True) -> BrowserOptions:
    """The browser settings for ``options``: axe-core preloaded in every document when ``axe``."""
    return BrowserOptions(
        chromedriver=options.chromedriver,
        remote_url=options.remote_url,
        page_timeout=options.page_timeout,
        preload_script=asset("focus_hook.js") + (axe_source() if axe else ""),
    )


def collect_service_pages(urls: list[str], local_pages: list[Path], site_root: Path | None, options: PageOptions,
                          needs: Needs, pool: Any = None) -> list[PageFacts]:
    """Audit every URL and every local page (served from ``site_root`` on 127.0.0.1); one PageFacts each,
    in the order given (URLs first). Only what ``needs`` asks for is gathered beyond the HTTP answer and the
    base facts (forms, subresources): its axe rules, in-page scripts and optional facts. ``pool``: an open
    ``SessionPool`` to reuse (made with ``browser_options``); by default one is opened and closed here."""
    pages = [PageFacts(url=url, address=url) for url in urls]
    server: StaticServer | None = None
    if local_pages:
        root = (site_root or Path(os.path.commonpath([p.resolve().parent for p in local_pages]))).resolve()
        server = StaticServer(root).__enter__()
        for path in local_pages:
            shown = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else str(path)
            pages.append(PageFacts(url=shown, address=server.url_for(path), local_file=str(path)))
    if not pages:
        return []
    rules = sorted(needs.axe_rules)
    axe_opts = axe_options(rules) if rules else None
    runner = build_runner(needs.page_scripts)
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(pages)))
    progress = Progress(len(pages), options.quiet, options.progress)
    origins = OriginCache(options.page_timeout)
    own_pool = pool is None
    try:
        if own_pool:
            pool = SessionPool(browser_options(options, bool(needs.axe_rules)), workers)
        workers = min(workers, pool.size)
        # Start one session up front: a missing browser is an environment problem (exit 3), reported once.
        with pool.session():
            pass
        with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="page") as executor:
            futures = [
                executor.submit(audit_page, page, pool, origins, runner, axe_opts, options.page_timeout, needs)
                for page in pages
            ]
            for future in concurrent.futures.as_completed(futures):
                progress.step(future.result().url)
    finally:
        if own_pool and pool is not None:
            pool.close()
        if server is not None:
            server.__exit__(None, None, None)
    return pages
