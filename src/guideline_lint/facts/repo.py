"""Facts about the repository: its files (links and vendored folders left out) and their texts."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

# Folders that never hold a service's own sources.
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
MAX_REPO_FILES = 50_000
MAX_TEXT_BYTES = 2 * 1024 * 1024
TEXT_CACHE_CHARS = 8 * 1024 * 1024


@dataclass(slots=True)
class RepoFacts:
    root: Path
    files: list[str] = field(default_factory=list)  # posix paths relative to root, sorted
    truncated: bool = False
    _file_set: frozenset[str] | None = None
    # Several checks look at the same globs and files (README, LICENSE …): each is answered once. Texts are
    # kept up to a budget, so a secrets scan over a large repository does not hold all of it in memory.
    _globbed: dict[str, list[str]] = field(default_factory=dict)
    _texts: dict[str, str | None] = field(default_factory=dict)
    _text_budget: int = TEXT_CACHE_CHARS

    @classmethod
    def collect(cls, root: Path) -> RepoFacts:
        files: list[str] = []
        truncated = False
        stack = [""]
        while stack and not truncated:
            prefix = stack.pop()
            try:
                with os.scandir(root / prefix if prefix else root) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                name = f"{prefix}/{entry.name}" if prefix else entry.name
                if entry.is_symlink():
                    continue  # a link may point outside the repository
                if entry.is_dir():
                    if entry.name not in _SKIP_DIRS:
                        stack.append(name)
                elif entry.is_file():
                    files.append(name)
                    if len(files) >= MAX_REPO_FILES:
                        truncated = True
                        break
        files.sort()
        return cls(root=root, files=files, truncated=truncated)

    def has_file(self, relative: str) -> bool:
        """Whether ``relative`` (e.g. 'docs/../docs/bcp.md') names a collected file inside the root."""
        if self._file_set is None:
            self._file_set = frozenset(self.files)
        normal = posixpath.normpath(relative.replace("\\", "/"))
        return not normal.startswith(("../", "/")) and normal != ".." and normal in self._file_set

    def glob(self, pattern: str) -> list[str]:
        """Files matching a glob; '**/' matches any depth including none; case-sensitive."""
        found = self._globbed.get(pattern)
        if found is None:
            regex = _glob_regex(pattern)
            found = self._globbed[pattern] = [f for f in self.files if regex.match(f)]
        return found

    def read_text(self, relative: str) -> str | None:
        """The file's text, or None for binary, unreadable or over-large files."""
        if relative in self._texts:
            return self._texts[relative]
        text = self._read_text(relative)
        if text is None or len(text) <= self._text_budget:
            self._texts[relative] = text
            self._text_budget -= len(text or "")
        return text

    def _read_text(self, relative: str) -> str | None:
        try:  # one open and fstat: a secrets scan reads every file of the repository
            with open(os.path.join(self.root, relative), "rb") as handle:
                if os.fstat(handle.fileno()).st_size > MAX_TEXT_BYTES:
                    return None
                raw = handle.read()
        except OSError:
            return None
        if b"\0" in raw[:8192]:
            return None
        return raw.decode("utf-8", errors="replace")


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def _glob_regex(pattern: str) -> re.Pattern[str]:
    if pattern not in _GLOB_CACHE:
        text = pattern.removeprefix("./")
        out = ""
        i = 0
        while i < len(text):
            if text.startswith("**/", i):
                out += "(?:.*/)?"
                i += 3
            elif text.startswith("**", i):
                out += ".*"
                i += 2
            elif text[i] == "*":
                out += "[^/]*"
                i += 1
            elif text[i] == "?":
                out += "[^/]"
                i += 1
            else:
                out += re.escape(text[i])
                i += 1
        _GLOB_CACHE[pattern] = re.compile(out + r"\Z")
    return _GLOB_CACHE[pattern]
