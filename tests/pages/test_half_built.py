"""A page whose scripts, style sheets or data requests failed to load is audited as it was, and every report says
so: its results describe a half-built page (a CDN that did not answer, a 404 bundle)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from page_fixtures import FixtureServer, page_needs, page_options

from guideline_lint.collect.pages import collect_service_pages
from guideline_lint.commands.audit import audit

pytestmark = pytest.mark.browser


def closed_port() -> int:
    """A loopback port nothing listens on (a script host that refuses the connection)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def half_built_page(fixture_server: FixtureServer, name: str) -> str:
    port = closed_port()
    # The data request goes out first; a script the server answers 0.3 s later holds the load event, so the request
    # has failed before the audit runs (one still on its way then is not seen: the audit saw the page without it).
    fixture_server.add("/half/slow.js", text="window.slowScriptRan = true", delay=0.3,
                       headers={"Content-Type": "text/javascript"})
    return fixture_server.add(f"/half/{name}.html", f"""<!DOCTYPE html><html lang="ja"><head><title>一覧</title>
<script>fetch('/half/data-missing.json').catch(() => {{}})</script>
<link rel="stylesheet" href="/half/missing.css"><link rel="icon" href="/half/missing.ico">
<script src="http://127.0.0.1:{port}/app.js"></script><script src="/half/slow.js"></script></head>
<body><main><h1>一覧</h1><img src="/half/missing.png" alt="地図"><p id="list">読み込み中…</p></main></body></html>""")


def test_failed_scripts_style_sheets_and_data_are_recorded_images_are_not(fixture_server: FixtureServer,
                                                                        page_pool: Any) -> None:
    whole = fixture_server.add("/half/whole.html", "<p>すべて読み込めるページ</p>")
    half = half_built_page(fixture_server, "facts")
    pages = collect_service_pages([half, whole], [], None, page_options(), page_needs(), pool=page_pool)
    assert [p.error for p in pages] == [None, None]
    failed = {(item["kind"], item["url"].rsplit("/", 1)[-1]) for item in pages[0].failed_loads}
    assert failed == {("stylesheet", "missing.css"), ("script", "app.js"), ("data", "data-missing.json")}
    assert all(item["reason"] for item in pages[0].failed_loads)
    assert pages[1].failed_loads == []


def test_every_report_of_the_audit_names_the_half_built_page(fixture_server: FixtureServer, tmp_path: Path) -> None:
    half = half_built_page(fixture_server, "report")
    result = CliRunner().invoke(audit, [half, "--format", "json", "--format", "text", "--output-dir", str(tmp_path),
                                        "--workers", "1", "--quiet", "--lang", "en", "--viewports", "desktop"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(next(tmp_path.glob("*.json")).read_text("utf-8"))
    [page] = report["extensions"]["page_audit"]["half_built"]
    assert page["page"] == half and page["count"] == 3
    text = next(tmp_path.glob("*.txt")).read_text("utf-8")
    [line] = [line for line in text.splitlines() if "had failed to load (1)" in line]
    assert "app.js" in line and "missing.css" in line and "missing.png" not in line  # an image: the page is built
    # The other origin's script is the note's alone: UX-P12 judges the loads whose status the page may see.


def test_a_web_font_services_style_sheet_is_a_font_not_a_missing_part(fixture_server: FixtureServer,
                                                                       page_pool: Any) -> None:
    """Google Fonts and the like serve style sheets of @font-face only: without one the text falls back to another
    font, so a page is not called half-built for it (every page of the Digital Agency's design-system examples
    links one). The page's own Content-Security-Policy blocks the font service: no request leaves the machine."""
    from guideline_lint.collect.pages.scripts import asset
    from guideline_lint.collect.pages.session import load_page, run_script

    font = "https://fonts.googleapis.com/css2?family=Noto+Sans+JP&display=swap"
    page = fixture_server.add("/half/fonts.html", f'<link rel="stylesheet" href="{font}">'
                              '<link rel="stylesheet" href="/half/site-missing.css"><p>本文</p>',
                              headers={"Content-Security-Policy": "style-src 'self'"})
    with page_pool.session() as session:
        load_page(session, page)
        kinds = run_script(session, asset("load_kinds.js"), [font, f"{page.rsplit('/', 1)[0]}/site-missing.css"])
    assert kinds == [None, "stylesheet"]
