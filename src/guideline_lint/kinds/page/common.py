"""What every page kind shares: the audited pages of the facts, node locations,
the key of an in-page script (the same text gives the same key in collector and kind)."""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import Any

from guideline_lint.facts import Facts
from guideline_lint.kinds.base import Observation
from guideline_lint.model import Location, Status, Text

MAX_OCCURRENCES = 20

# Rules about the root <html> document: meaningless on SVG or XML documents (where axe still fires them).
HTML_DOCUMENT_RULES = {
    "html-has-lang", "html-lang-valid", "html-xml-lang-mismatch", "document-title", "bypass", "meta-viewport",
    "landmark-one-main", "page-has-heading-one", "region",
}

NOT_HTML = Text(ja="HTML 文書ではありません", en="not an HTML document")
LOOPBACK_REASON = Text(
    ja="127.0.0.1 のテスト用サーバーでは判定しません（本番の URL で確認してください）",
    en="not judged on a 127.0.0.1 test server (check the production URL)",
)
LOCAL_FILE = Text(
    ja="リポジトリの HTML を検査用サーバーで配信しているため、本番の応答ヘッダーではありません"
    "（公開 URL で確認してください）",
    en="a repository file served by the audit's own server: not the production headers (check the live URL)",
)
LOCAL_SITE = Text(
    ja="リポジトリのファイルを検査用サーバーで配信しているため、本番のサイトとしては判定しません"
    "（公開 URL で確認してください）",
    en="a repository file served by the audit's own server is not judged as the live site (check the live URL)",
)
NOT_HTTPS = Text(ja="https のページにだけ適用されます", en="applies to https pages only")


def script_key(script: str) -> str:
    """A stable name for an in-page script: the same text gives the same key in collector and kind."""
    return "dom-" + hashlib.sha1(script.encode("utf-8")).hexdigest()[:12]


def pages_of(facts: Facts) -> list[Any]:
    """The audited pages. A page that could not be audited is judged by one kind only, the one that declares
    ``judges_unaudited_pages`` (``http_status``), which reads ``facts.pages`` whole; every other kind sees the
    audited pages alone, however it is called."""
    return [page for page in facts.pages or [] if not page.error]


def script_result(page: Any, key: str) -> dict[str, Any] | Observation:
    """What the in-page script ``key`` returned on an HTML page, or the observation that stands instead: not
    applicable on a page that is not HTML, an error when the script failed or did not run."""
    if not page.is_html:
        return Observation(Status.NOT_APPLICABLE, subject=page.url, location=Location(url=page.url), reason=NOT_HTML)
    result = page.dom.get(key)
    if not isinstance(result, dict) or result.get("error"):
        problem = str(result.get("error"))[:200] if isinstance(result, dict) else "did not run"
        return Observation(Status.ERROR, subject=page.url, location=Location(url=page.url),
                           reason=Text(ja=f"ページ内スクリプトが動きませんでした: {problem}",
                                       en=f"the in-page script failed: {problem}"))
    return result


def nodes_at(nodes: list[dict[str, Any]], url: str, total: int | None = None) -> tuple[Location, list[Location], int]:
    """The first node as the location, the next ones as occurrences (capped), and how many more."""
    locations = [Location(url=url, selector=n.get("selector") or None, snippet=n.get("snippet") or None) for n in nodes]
    count = max(total or 0, len(locations))
    if not locations:
        return Location(url=url), [], 0
    shown = locations[1 : MAX_OCCURRENCES + 1]
    return locations[0], shown, max(0, count - 1 - len(shown))


def read_script(module: str, name: str) -> str:
    """The text of an in-page script kept as a ``.js`` file beside a kind module (``read_script(__name__,
    "x.js")``); shipped in the wheel with the package."""
    package = module.rpartition(".")[0]
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")
