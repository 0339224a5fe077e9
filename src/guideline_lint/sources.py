"""Lines in the repository's own files for findings on pages built in the repository, so that an editor or code
scanning can point at the element (a browser knows a node by its selector; the file by its line).

The served HTML is the file itself, so an element's opening tag is searched in it: the tag as the browser
serialised it, else one of its attribute values that occurs once in the file. Nothing is guessed when neither is
found (the finding keeps its selector and snippet).
"""

from __future__ import annotations

import re

from guideline_lint.facts import PageFacts
from guideline_lint.model import Finding, Location

_OPENING = re.compile(r"^<[^>]*>?")
_VALUES = re.compile(r'(?:id|src|href|name|for|action|aria-label)="([^"]{3,})"')


def line_of(source: str, snippet: str) -> tuple[int, int] | None:
    """(line, column), 1-based, of the element a snippet shows, when the source tells it unambiguously."""
    opening = _OPENING.match(snippet)
    if opening and (at := source.find(opening.group(0))) >= 0:
        return _position(source, at)
    for value in _VALUES.findall(snippet):
        if source.count(value) == 1:
            at = source.rfind("<", 0, source.find(value))
            return _position(source, max(at, 0))
    return None


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def with_source_lines(findings: list[Finding], pages: list[PageFacts]) -> list[Finding]:
    """``findings`` with ``line`` and ``column`` added to the places on local pages (their file in ``file``)."""
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


def _locate(place: Location, file: str, source: str) -> Location:
    if place.line is not None or not place.snippet:
        return place
    found = line_of(source, place.snippet)
    if found is None:
        return place
    return place.model_copy(update={"file": file, "line": found[0], "column": found[1]})
