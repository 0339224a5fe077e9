"""The page collector in a real headless Chromium against pages served on 127.0.0.1."""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from page_fixtures import FixtureServer, page_needs, page_options

from guideline_lint.collect.pages import _Progress, ascii_url, collect_service_pages, comparable_url
from guideline_lint.commands.audit import audit
from guideline_lint.errors import InputError
from guideline_lint.targets import read_sitemap, read_url_list

pytestmark = pytest.mark.browser

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
BAD_PAGE = '<img src="/logo.png"><a href="/next"></a><input type="text" name="q">'
GOOD_PAGE = '<h1>お知らせ</h1><p>東京都のデジタルサービスです。</p><a href="/news">お知らせ一覧</a>'


def test_violations_are_found_with_selector_and_snippet(fixture_server: FixtureServer, page_pool: Any) -> None:
    bad = fixture_server.add("/browser/bad.html", BAD_PAGE)
    good = fixture_server.add("/browser/good.html", GOOD_PAGE)
    pages = collect_service_pages([bad, good], [], None, page_options(), page_needs(), pool=page_pool)
    assert [p.url for p in pages] == [bad, good]
    bad_page, good_page = pages
    assert bad_page.error is None and bad_page.status == 200
    assert {"image-alt", "link-name", "label"} <= set(bad_page.axe["violations"])
    node = bad_page.axe["violations"]["image-alt"]["nodes"][0]
    assert node["selector"] == "img" and node["snippet"].startswith("<img")
    assert good_page.axe["violations"] == {}
    assert "document-title" in good_page.axe["passes"]
    assert bad_page.forms == [{"selector": "(no form)", "fields": 1}]


def test_hung_and_looping_pages_become_errors_and_the_audit_goes_on(
    fixture_server: FixtureServer, page_pool: Any
) -> None:
    hung = fixture_server.add("/browser/hang.html", hang=True)
    looping = fixture_server.add("/browser/loop.html", "<script>while (true) {}</script>")
    after = [fixture_server.add(f"/browser/after-{i}.html", GOOD_PAGE) for i in range(3)]
    pages = collect_service_pages([hung, looping, *after], [], None, page_options(page_timeout=2), page_needs(),
                                  pool=page_pool)
    by_url = {p.url: p for p in pages}
    assert by_url[hung].error_kind == "timeout" and by_url[hung].axe is None
    assert by_url[looping].error_kind == "timeout"
    for url in after:  # a fresh session replaced the one stuck in the script
        assert by_url[url].error is None and by_url[url].axe is not None


def test_http_errors_and_redirects_are_reported(fixture_server: FixtureServer, page_pool: Any) -> None:
    broken = fixture_server.add("/browser/500.html", "<p>error</p>", status=500)
    target = fixture_server.add("/browser/target.html", GOOD_PAGE, headers={"X-Frame-Options": "DENY"})
    moved = fixture_server.add("/browser/moved", text="", status=301, headers={"Location": "/browser/target.html"})
    pages = collect_service_pages([broken, moved], [], None, page_options(), page_needs(), pool=page_pool)
    error_page, moved_page = pages
    assert error_page.status == 500 and error_page.error_kind == "http" and error_page.axe is None
    assert moved_page.redirects == [{"url": moved, "status": 301, "location": target}]
    assert moved_page.final_url == target and moved_page.browser_url == target
    assert moved_page.header("x-frame-options") == "DENY"
    assert moved_page.axe is not None


def test_urls_with_japanese_paths_and_hosts_are_audited(fixture_server: FixtureServer, page_pool: Any) -> None:
    fixture_server.add(quote("/browser/申請/手続き.html"), GOOD_PAGE)
    url = f"{fixture_server.base}/browser/申請/手続き.html?区分=転入"
    (page,) = collect_service_pages([url], [], None, page_options(), page_needs(), pool=page_pool)
    assert page.error is None and page.status == 200 and page.axe is not None
    assert ascii_url("https://例え.jp/申請?q=東京#見出し") == (
        "https://xn--r8jz45g.jp/%E7%94%B3%E8%AB%8B?q=%E6%9D%B1%E4%BA%AC#%E8%A6%8B%E5%87%BA%E3%81%97")
    assert ascii_url("https://x.jp/%E7%94%B3?a=b") == "https://x.jp/%E7%94%B3?a=b"  # escapes kept
    # the browser's spelling of the same address is the same page, not a navigation away
    browser_spelling = "https://xn--r8jz45g.jp/%E7%94%B3%E8%AB%8B?q=%E6%9D%B1%E4%BA%AC"
    assert comparable_url("HTTPS://例え.jp/申請?q=東京#x") == comparable_url(browser_spelling)
    assert comparable_url("http://a.jp") == comparable_url("http://a.jp/")


def test_local_pages_are_served_on_loopback(tmp_path: Path, page_pool: Any) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(f"<!DOCTYPE html><html lang='ja'><title>t</title>{GOOD_PAGE}", "utf-8")
    (tmp_path / "sub" / "form.html").write_text(
        "<!DOCTYPE html><html lang='ja'><title>t</title><form><input name=a><input name=b><select name=c>"
        "</select><input type=submit></form>", "utf-8")
    pages = collect_service_pages([], [tmp_path / "index.html", tmp_path / "sub" / "form.html"], tmp_path,
                                  page_options(), page_needs(), pool=page_pool)
    assert [p.url for p in pages] == ["index.html", "sub/form.html"]
    assert all(re.match(r"http://[0-9a-f]{32}\.localhost:\d+/", p.address) and p.error is None for p in pages), [
        (p.address, p.error) for p in pages]
    assert pages[1].forms == [{"selector": "html > body > form", "fields": 3}]


def test_progress_goes_to_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream, quiet in ((terminal, False), (pipe, False), (Terminal(), True)):
        progress = _Progress(2, quiet, stream)
        progress.step("a")
        progress.step("b")
    assert "2/2 b" in terminal.getvalue() and terminal.getvalue().endswith("\n")
    assert pipe.getvalue() == ""


def test_sitemap_is_read_and_bounded(new_server: FixtureServer) -> None:
    pages = "".join(f"<url><loc>{new_server.base}/p{i}.html</loc></url>" for i in range(5))
    new_server.add("/sitemap.xml", text=f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                   f'sitemap/0.9">{pages}</urlset>', headers={"Content-Type": "application/xml"})
    new_server.add("/index.xml", text=f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   f"<sitemap><loc>{new_server.base}/sitemap.xml</loc></sitemap></sitemapindex>")
    assert read_sitemap(new_server.base + "/sitemap.xml", 3) == [f"{new_server.base}/p{i}.html" for i in range(3)]
    assert len(read_sitemap(new_server.base + "/index.xml", 10)) == 5
    new_server.add("/broken.xml", text="<urlset><url>")
    with pytest.raises(InputError):
        read_sitemap(new_server.base + "/broken.xml", 10)


def test_url_list_names_the_bad_line(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# pages\nhttps://example.jp/a\n\nexample.jp/b\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_url_list(listing)
    assert caught.value.line == 4
    listing.write_text("https://example.jp/a\n# comment\nhttp://example.jp/b\n", "utf-8")
    assert read_url_list(listing) == ["https://example.jp/a", "http://example.jp/b"]


def test_audit_command_writes_a_report_with_the_jis_table(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f"<!DOCTYPE html><html lang='ja'><title>t</title><main>{BAD_PAGE}</main>",
                                     "utf-8")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(audit, [str(site), "--ruleset", "jis-x-8341-3-aa", "--format", "json",
                                        "--output", str(out), "--workers", "1", "--quiet", "--lang", "en"])
    assert result.exit_code == 1, result.output  # image without alt: a high-severity failure gates
    report = json.loads(out.read_text("utf-8"))
    table = {row["jis"]: row for row in report["extensions"]["jis_x_8341_3"]}
    assert len(table) == 38
    assert table["1.1.1"]["result"] == "fail" and table["1.1.1"]["pages_failed"] == 1
    assert table["1.3.2"]["result"] == "not_tested"
    assert table["2.4.2"]["result"] == "no_problem_found"
    labels = {row["result_label"]["ja"] for row in table.values()}
    assert not any("準拠" in label or label.startswith("適合") for label in labels)
    assert report["metrics"]["input_fields"]["total"] == 1
    failed = {f["check_id"] for f in report["findings"] if f["status"] == "fail"}
    assert {"A11Y-1-1-1", "A11Y-4-1-2"} <= failed


def test_audit_without_targets_or_browser_is_a_clear_error(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(audit, ["--lang", "en"])
    assert result.exit_code == 2 and "give the URLs" in result.output
    result = runner.invoke(audit, [str(tmp_path / "missing.html"), "--lang", "en"])
    assert result.exit_code == 2 and "missing.html" in result.output
    page = tmp_path / "a.html"
    page.write_text("<p>x</p>", "utf-8")
    result = runner.invoke(audit, [str(page), "--chromedriver", str(tmp_path / "nope"), "--lang", "en", "-q"])
    assert result.exit_code == 3
    assert "chromium-driver" in result.output and "Traceback" not in result.output


def test_a_page_that_navigates_away_is_an_error_not_another_pages_result(
    fixture_server: FixtureServer, page_pool: Any
) -> None:
    fixture_server.add("/browser/landing.html", GOOD_PAGE)
    leaving = fixture_server.add(
        "/browser/leaving.html",
        '<!DOCTYPE html><html lang="ja"><head><title>t</title><meta http-equiv="refresh" content="0; url=/browser/'
        'landing.html"></head><body><img src="/x.png"><script>for (let t = Date.now(); Date.now() - t < 300;);'
        "</script></body></html>",
    )
    (page,) = collect_service_pages([leaving], [], None, page_options(), page_needs(), pool=page_pool)
    assert page.error_kind == "navigated" or (page.error is None and "image-alt" in page.axe["violations"])


def test_unreachable_selenium_grid_is_an_environment_problem(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text("<p>x</p>", "utf-8")
    result = CliRunner().invoke(audit, [str(page), "--remote-url", "http://127.0.0.1:9/wd/hub", "--lang", "en", "-q"])
    assert result.exit_code == 3, result.output
    assert "cannot start the browser" in result.output


def test_the_page_after_one_that_navigated_away_gets_its_own_results(
    fixture_server: FixtureServer, page_pool: Any
) -> None:
    # The leaving page navigates during its audit; the events of that navigation may still be unread when
    # the next page starts loading in the same session: they must not be taken for the next page's load.
    fixture_server.add("/browser/landing-2.html", GOOD_PAGE)
    leaving = fixture_server.add(
        "/browser/leaving-2.html",
        '<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body><script>addEventListener("load", () => '
        'setTimeout(() => { location.href = "/browser/landing-2.html"; }, 5));</script></body></html>',
    )
    nexts = [fixture_server.add(f"/browser/next-{i}.html", BAD_PAGE) for i in range(3)]
    pages = collect_service_pages([leaving, *nexts], [], None, page_options(workers=1), page_needs(), pool=page_pool)
    for page in pages[1:]:
        assert page.error is None and page.browser_url == page.url
        assert "image-alt" in page.axe["violations"]


def test_fragments_no_content_and_downloads_do_not_stop_the_audit(
    fixture_server: FixtureServer, page_pool: Any
) -> None:
    page = fixture_server.add("/browser/frag.html", BAD_PAGE)
    empty = fixture_server.add("/browser/empty", text="", status=204)
    download = fixture_server.add("/browser/data.csv", text="a,b",
                                  headers={"Content-Type": "text/csv", "Content-Disposition": "attachment"})
    after = fixture_server.add("/browser/after-download.html", BAD_PAGE)
    urls = [page, page + "#part", empty, download, after]
    pages = collect_service_pages(urls, [], None, page_options(workers=1), page_needs(), pool=page_pool)
    for audited in (pages[0], pages[1], pages[4]):
        assert audited.error is None and "image-alt" in audited.axe["violations"]
    assert pages[2].error and pages[2].axe is None
    assert pages[3].error and pages[3].axe is None


def test_local_pages_are_revalidated_not_served_stale(tmp_path: Path) -> None:
    from guideline_lint.collect.pages.http import Deadline, fetch_once
    from guideline_lint.collect.static_server import StaticServer

    def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, headers=headers)
        try:
            with OPENER.open(request, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), b""

    style = tmp_path / "style.css"
    style.write_text("p { color: red }", "utf-8")
    with StaticServer(tmp_path) as server:
        url = server.url_for(style)
        status, headers, _, _ = fetch_once(url, Deadline(5))
        etag = headers["etag"]
        assert status == 200 and headers["cache-control"] == "no-cache" and etag
        loopback = url.replace(server.host, "127.0.0.1")  # what another local user could try, with the right Host
        assert get(loopback, Host=url.split("/")[2], **{"If-None-Match": etag})[0] == 304
        style.write_text("p { color: blue; }", "utf-8")
        assert get(loopback, Host=url.split("/")[2], **{"If-None-Match": etag})[2] == b"p { color: blue; }"
