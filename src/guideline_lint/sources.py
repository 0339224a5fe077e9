"""Findings on pages built in the repository, named as the user knows them: lines in the repository's own files, so
that an editor or code scanning can point at the element (a browser knows a node by its selector; the file by its
line), and paths instead of the audit's own local server (``http://<secret>.localhost:<port>/…`` means nothing to a
reader, changes every run and would change the finding's fingerprint with it).

The served HTML is the file itself, so an element is searched in it by what occurs once in the file: its opening tag
as the browser serialised it, else one of its attribute values, else the first words of its text. Nothing is guessed
otherwise (the finding keeps its selector and snippet).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from guideline_lint.japanese import lazy_regex
from guideline_lint.model import Finding, Location, Text

if TYPE_CHECKING:  # built only by a run with pages
    from guideline_lint.facts.page import PageFacts

# Compiled on first use: only a run with built pages looks for their elements in the files.
_OPENING = lazy_regex(r"^<[^>]*>?")
_TEXT = lazy_regex(r"\s*([^<>\s][^<>\n]{7,39})")  # the first words of the element's own text (8 to 40 characters)
_VALUES = lazy_regex(r'(?:id|src|href|name|for|action|aria-label)="([^"]{3,})"')


def line_of(source: str, snippet: str) -> tuple[int, int] | None:
    """(line, column), 1-based, of the element a snippet shows, when the source tells it unambiguously: its opening
    tag, else an attribute value, else the start of its text, each only where it occurs once in the file (a bare
    ``<p>`` is every paragraph)."""
    opening = _OPENING().match(snippet)
    if opening and source.count(opening.group(0)) == 1:
        return _position(source, source.find(opening.group(0)))
    for value in _VALUES().findall(snippet):
        if source.count(value) == 1:
            at = source.rfind("<", 0, source.find(value))
            return _position(source, max(at, 0))
    text = _TEXT().match(snippet[opening.end():] if opening else "")
    if text and source.count(text.group(1)) == 1:
        return _position(source, max(source.rfind("<", 0, source.find(text.group(1))), 0))
    return None


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def with_source_lines(findings: list[Finding], pages: list[PageFacts],
                      served: list[PageFacts] | None = None) -> list[Finding]:
    """``findings`` with ``line`` and ``column`` added to the places on local pages (their file in ``file``), and
    every address on the local page server (subjects, places, messages, reasons) written as the file's path;
    ``served``: the pages whose addresses name the server (the audited ones and those that could not be audited),
    ``pages`` by default."""
    findings = _named_as_given(findings, served_prefixes(pages if served is None else served))
    sources = {page.url: page.source for page in pages if page.local_file and page.source}
    if not sources:
        return findings
    out = []
    for finding in findings:
        source = sources.get(finding.subject or "")
        if source is None or finding.location is None:
            out.append(finding)
            continue
        located = _locate(finding.location, finding.subject or "", source)
        occurrences = [_locate(place, finding.subject or "", source) for place in finding.occurrences]
        out.append(finding.model_copy(update={"location": located, "occurrences": occurrences}))
    return out


def served_prefixes(pages: list[PageFacts]) -> dict[str, str]:
    """The local page server's origin (``http://<secret>.localhost:<port>``) → the path its root is shown as
    (``""`` when the pages are named from the served folder, ``site/public/`` when from the repository's root)."""
    out = {}
    for page in pages:
        if not (page.local_file and page.address):
            continue
        parts = urlsplit(page.address)
        served = unquote(parts.path).lstrip("/")
        if served == "" or served.endswith("/"):
            served += "index.html"  # a folder's URL serves its index.html
        if page.url.endswith(served) and (len(page.url) == len(served) or page.url[-len(served) - 1] == "/"):
            out[f"{parts.scheme}://{parts.netloc}"] = page.url[: len(page.url) - len(served)]
    return out


def named_texts(texts: list[Text], pages: list[PageFacts]) -> list[Text]:
    """``texts`` (the report's notes on what was not evaluated) with every address on the local page server written
    as the file's path, as in findings: a page that navigated away names where it went (noto-house-map
    ``about/index.html`` → ``/en/about`` on the audit's own server)."""
    prefixes = served_prefixes(pages)
    if not prefixes:
        return texts
    return [Text(ja=_named_string(text.ja, prefixes), en=_named_string(text.en, prefixes)) for text in texts]


def _named_string(value: str, prefixes: dict[str, str]) -> str:
    for origin, prefix in prefixes.items():
        if origin in value:
            value = value.replace(origin + "/", prefix).replace(origin, prefix.rstrip("/") or ".")
    return value


def _named_as_given(findings: list[Finding], prefixes: dict[str, str]) -> list[Finding]:
    if not prefixes:
        return findings

    def named(value: Any) -> Any:
        if isinstance(value, str):
            return _named_string(value, prefixes)
        if isinstance(value, dict):
            return {key: named(item) for key, item in value.items()}
        if isinstance(value, list):
            return [named(item) for item in value]
        return value

    out = []
    for finding in findings:
        if not any(origin in text for text in _texts(finding) for origin in prefixes):
            out.append(finding)  # most findings: no copy (dumping every finding cost 0.4 ms each)
            continue
        out.append(Finding.model_validate(named(finding.model_dump(exclude_defaults=True))))
    return out


def _texts(finding: Finding) -> Iterator[str]:
    """Every text of a finding that may hold an address (a new text field of Finding belongs here)."""
    yield finding.subject or ""
    for text in (finding.message, finding.reason, finding.remediation):
        if text is not None:
            yield text.ja
            yield text.en
    for place in (finding.location, *finding.occurrences):
        if place is not None:
            yield from (place.url or "", place.snippet or "", place.value or "", place.file or "")


def _locate(place: Location, file: str, source: str) -> Location:
    if place.line is not None or not place.snippet:
        return place
    found = line_of(source, place.snippet)
    if found is None:
        return place
    return place.model_copy(update={"file": file, "line": found[0], "column": found[1]})
