"""Where a SARIF result points: a file of the checkout, relative to the repository root (``%SRCROOT%``).

Code scanning resolves relative URIs against the root of the analysed repository, so a service in a
subfolder (``check services/permit``) must report ``services/permit/digital-service.yaml``, not the path
relative to its own folder. It refuses ``http(s)://`` URIs (they are not files of the checkout): findings on
live pages have no physical location. A page built in the repository is located at its file.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from guideline_lint.model import Finding, Location, Target

SRCROOT = "%SRCROOT%"
MANIFEST = "digital-service.yaml"
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True, slots=True)
class Roots:
    """The checkout root and the service folder inside it, as a posix prefix (``""`` when they are one)."""

    prefix: str = ""
    service_root: Path | None = None
    repo_root: Path | None = None

    @classmethod
    def of(cls, repo_root: Path | None, service_root: Path | None) -> Roots:
        if repo_root is None or service_root is None:
            return cls(service_root=service_root, repo_root=repo_root)
        repo, service = repo_root.resolve(), service_root.resolve()
        if service.is_file():
            service = service.parent  # the manifest was given
        prefix = service.relative_to(repo).as_posix() if service.is_relative_to(repo) else ""
        return cls(prefix="" if prefix == "." else prefix, service_root=service, repo_root=repo)

    def file_uri(self, path: str) -> str | None:
        """``path`` (relative to the service folder, or absolute) relative to the repository root as a URI
        reference; None when it lies outside the checkout."""
        text = path.replace("\\", "/")
        if text.startswith("/") or _WINDOWS_DRIVE.match(path):
            if self.repo_root is None:
                return None
            absolute = Path(path).resolve()
            if not absolute.is_relative_to(self.repo_root):
                return None
            text = absolute.relative_to(self.repo_root).as_posix()
        else:
            text = posixpath.normpath(posixpath.join(self.prefix, text)) if self.prefix else posixpath.normpath(text)
        if text in ("", ".") or text == ".." or text.startswith("../"):
            return None
        return quote(str(PurePosixPath(text)), safe="/:@!$&'()*+,;=-._~")


def is_live_url(text: str | None) -> bool:
    return bool(text) and bool(_ABSOLUTE_URI.match(text or "")) and not _WINDOWS_DRIVE.match(text or "")


def local_file(loc: Location, finding: Finding) -> str | None:
    """The repository file a location is in: its ``file``, or a page built in the repository (reported by
    its path in ``url``), or the finding's subject when that is a path."""
    if loc.file:
        return loc.file
    if loc.url and not is_live_url(loc.url):
        return loc.url
    if not loc.url and finding.subject and not is_live_url(finding.subject):
        return finding.subject
    return None


def live_url(finding: Finding) -> str | None:
    """The http(s) address a page finding is about, when it is not a file of the repository."""
    loc = finding.location
    for text in (loc.url if loc else None, finding.subject):
        if is_live_url(text):
            return text
    return None


def region(loc: Location) -> dict[str, Any] | None:
    line = loc.line if loc.line is not None else loc.row
    if line is None or line < 1:
        return None
    found: dict[str, Any] = {"startLine": line}
    if isinstance(loc.column, int) and loc.column >= 1:
        found["startColumn"] = loc.column
    if loc.snippet:
        found["snippet"] = {"text": loc.snippet}
    return found


def logical(loc: Location) -> list[dict[str, Any]] | None:
    if loc.selector:
        return [{"name": loc.selector, "fullyQualifiedName": loc.selector, "kind": "element"}]
    if loc.path:
        return [{"fullyQualifiedName": loc.path, "kind": "member"}]
    return None


def file_location(loc: Location, finding: Finding, roots: Roots) -> dict[str, Any] | None:
    """A SARIF location at a file of the checkout, or None when the place is not such a file."""
    path = local_file(loc, finding)
    uri = roots.file_uri(path) if path else None
    if uri is None:
        return None
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
    found = region(loc)
    if found:
        physical["region"] = found
    result: dict[str, Any] = {"physicalLocation": physical}
    names = logical(loc)
    if names:
        result["logicalLocations"] = names
    if loc.snippet and not found:
        # A page has no lines; SARIF wants a start line in any region, so the snippet goes here.
        result["message"] = {"text": loc.snippet}
    return result


def url_location(loc: Location, url: str) -> dict[str, Any]:
    """A live page, with no physical location (code scanning accepts only files of the checkout)."""
    where = f"{url} {loc.selector}" if loc.selector else url
    result: dict[str, Any] = {"logicalLocations": [{"name": where, "fullyQualifiedName": where,
                                                    "kind": "element" if loc.selector else "resource"}]}
    if loc.snippet:
        result["message"] = {"text": loc.snippet}
    return result


def fallback_location(finding: Finding, roots: Roots) -> dict[str, Any] | None:
    """Where a finding without a place of its own belongs: every attested item and every setting lives in
    the manifest (a manifest or repository check without a file points there)."""
    if finding.target not in (Target.MANIFEST, Target.REPO):
        return None
    uri = roots.file_uri(MANIFEST)
    return {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}} if uri else None
