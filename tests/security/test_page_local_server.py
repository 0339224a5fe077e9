"""Issue #15, pages: the local page server serves only regular files inside its root, under a secret host name,
and a page cannot forge a clean audit by redefining the globals the audit would call."""

from __future__ import annotations

import secrets
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guideline_lint.collect.pages import PageOptions, browser_options, collect_service_pages
from guideline_lint.collect.static_server import StaticServer
from guideline_lint.facts import Needs

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PAGE = '<!DOCTYPE html><html lang="ja"><head><title>t</title></head><body><main>{}</main></body></html>'


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, str]:
    """A site whose links point out of it: to a secret file, and to a folder holding it."""
    value = "secret-" + secrets.token_hex(8)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(value, "utf-8")
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_text(PAGE.format('<img src="x.png" alt="x">'), "utf-8")
    (root / "sub" / "page.html").write_text(PAGE.format("<p>x</p>"), "utf-8")
    (root / "zz-leak.html").symlink_to(outside / "secret.txt")
    (root / "linked").symlink_to(outside)
    (root / "inner.html").symlink_to(root / "index.html")  # a link that stays inside is fine
    return root, value


def status(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with OPENER.open(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_only_regular_files_inside_the_root_under_the_secret_host(site: tuple[Path, str]) -> None:
    root, value = site
    with StaticServer(root) as server:
        host = server.base_url.split("/")[2]
        loopback = server.base_url.replace(server.host, "127.0.0.1")
        assert status(loopback + "index.html", host)[0] == 200
        assert status(loopback + "inner.html", host)[0] == 200
        assert status(loopback + "sub/", host)[0] == 404  # no listing, no index.html there
        for path in ("zz-leak.html", "linked/secret.txt", "linked/", "..%2Foutside%2Fsecret.txt",
                     "sub/..%2F..%2Foutside/secret.txt", "%2E%2E/outside/secret.txt"):
            code, body = status(loopback + path, host)
            assert code == 404 and value.encode() not in body, path
        # Another local user who finds the port but not the host name gets nothing.
        assert status(loopback + "index.html")[0] == 404
        assert status(loopback + "index.html", "localhost:" + host.split(":")[1])[0] == 404
        assert not server.serves(root / "zz-leak.html") and server.serves(root / "inner.html")


@pytest.fixture(scope="module")
def pool() -> Iterator[Any]:
    if not (shutil.which("chromedriver") and shutil.which("chromium")):
        pytest.skip("needs Debian's chromium and chromium-driver")
    from guideline_lint.browser import SessionPool

    with SessionPool(browser_options(PageOptions(page_timeout=5)), 1) as sessions:
        yield sessions


@pytest.mark.browser
@pytest.mark.parametrize("give_root", [True, False])
def test_a_link_out_of_the_site_is_not_audited_nor_read(site: tuple[Path, str], pool: Any, give_root: bool) -> None:
    root, value = site
    # The page's own script tries to read the secret through the server, by every spelling.
    probe = ("<p id=out></p><script>Promise.all(['/zz-leak.html', '/linked/secret.txt', '/../outside/secret.txt']"
             ".map(u => fetch(u).then(r => r.text()).catch(e => ''))).then(t => { out.textContent = t.join('|'); "
             "document.title = t.join('|'); });</script>")
    (root / "probe.html").write_text(PAGE.format(probe), "utf-8")
    files = [root / "index.html", root / "zz-leak.html", root / "probe.html"]
    pages = collect_service_pages([], files, root if give_root else None, PageOptions(workers=1, quiet=True),
                                  Needs(axe_rules={"image-alt", "document-title"}), pool=pool)
    index, leak, probe_page = pages
    assert index.error is None and leak.error_kind == "blocked"
    assert [p.url for p in pages] == ["index.html", "zz-leak.html", "probe.html"]  # the root was not widened
    assert probe_page.error is None
    assert all(value not in repr(page) for page in pages)


FORGERIES = [
    "window.axe = {run: async () => ({violations: [], incomplete: [], passes: ['image-alt'], inapplicable: []})};"
    "Object.defineProperty(window, 'axe', {get: () => window.__fake, set: () => {}});",
    "Array.prototype.map = function () { return []; }; Array.from = () => [];",
    "Object.entries = () => []; Object.keys = () => [];",
    "Promise.prototype.then = function () { return this; }; window.Promise = function () {};",
    "JSON.stringify = () => '{}'; JSON.parse = () => ({});",
    "Element.prototype.querySelectorAll = () => []; Document.prototype.querySelectorAll = () => [];",
]


@pytest.mark.browser
def test_a_page_cannot_forge_a_clean_result(tmp_path: Path, pool: Any) -> None:
    files = []
    for n, forgery in enumerate(FORGERIES):
        path = tmp_path / f"forged-{n}.html"
        path.write_text(f'<!DOCTYPE html><html lang="ja"><head><title>t</title><script>{forgery}</script></head>'
                        '<body><main><img src="x.png"><form><input name=a></form></main></body></html>', "utf-8")
        files.append(path)
    script = "return {status: document.querySelectorAll('img:not([alt])').length ? 'fail' : 'pass'};"
    pages = collect_service_pages([], files, tmp_path, PageOptions(workers=1, quiet=True),
                                  Needs(axe_rules={"image-alt"}, page_scripts={"probe": script}), pool=pool)
    for page, forgery in zip(pages, FORGERIES, strict=True):
        assert page.error is None, (forgery, page.error)
        assert "image-alt" in page.axe["violations"], forgery
        assert page.dom["probe"]["status"] == "fail", forgery
        assert page.forms == [{"selector": "html > body > main > form", "fields": 1}], forgery
