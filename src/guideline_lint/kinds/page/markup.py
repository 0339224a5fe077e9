"""Tests on the HTML as served (not the browser's DOM): duplicate ids and duplicate attributes."""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Literal

from guideline_lint.model import Status


class MarkupScan(HTMLParser):
    """Duplicate attributes on one element and duplicate id values, as the parser sees the source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, list[tuple[int, str]]] = {}
        self.duplicate_attributes: list[tuple[int, str]] = []
        self._in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "template":
            self._in_template += 1
        line = self.getpos()[0]
        raw = (self.get_starttag_text() or f"<{tag}>")[:200]
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.duplicate_attributes.append((line, raw))
        if self._in_template:
            return  # template contents are not in the document
        for name, value in attrs:
            if name == "id" and value and value.strip():
                self.ids.setdefault(value, []).append((line, raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "template":
            self._in_template -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self._in_template:
            self._in_template -= 1


@lru_cache(maxsize=32)  # a page is judged at each viewport from the same served HTML: parsed once (read only)
def scan_markup(source: str) -> MarkupScan:
    scanner = MarkupScan()
    try:
        scanner.feed(source)
        scanner.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it saw
        pass
    return scanner


MarkupTest = Literal["duplicate_id", "duplicate_attribute"]


def judge_markup(page: Any, tests: list[str]) -> tuple[Status, list[dict[str, Any]]]:
    if page.source is None or not page.is_html:
        return Status.NOT_APPLICABLE, []
    scan = scan_markup(page.source)
    nodes: list[dict[str, Any]] = []
    if "duplicate_attribute" in tests:
        nodes += [{"selector": f"line {line}", "snippet": raw} for line, raw in scan.duplicate_attributes]
    if "duplicate_id" in tests:
        for value, places in scan.ids.items():
            if len(places) > 1:
                nodes += [{"selector": f"line {line} (id={value})", "snippet": raw} for line, raw in places]
    return (Status.FAIL, nodes) if nodes else (Status.PASS, [])
