"""Facts about the repository: its files (links and vendored folders left out) and their texts."""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
from collections.abc import Callable
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
    # The enclosing repository when the service sits in a folder of a larger one (a monorepo): only its top
    # level, .github/ and docs/, where repository-wide files live (SECURITY.md, .github/dependabot.yml).
    outer: RepoFacts | None = None

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

    @classmethod
    def collect_folders(cls, root: Path, folders: list[str]) -> RepoFacts:
        """A partial listing: the files directly in ``folders`` (posix paths relative to ``root``, '' for the root
        itself). An audit of data files has no repository to walk; it looks only in the folders between each file
        and the root of the work tree it lies in (where a README may define its columns)."""
        files: list[str] = []
        for prefix in dict.fromkeys(folders):
            with contextlib.suppress(OSError), os.scandir(root / prefix if prefix else root) as scan:
                files += [f"{prefix}/{e.name}" if prefix else e.name for e in scan if e.is_file(follow_symlinks=False)]
        return cls(root=root, files=sorted(files))

    @staticmethod
    def work_tree_top(folder: Path) -> Path | None:
        """The top of the git work tree holding ``folder`` (found by its ``.git``, without running git), or None."""
        start = folder.resolve()
        return next((above for above in (start, *start.parents) if (above / ".git").exists()), None)

    @classmethod
    def collect_outer(cls, root: Path) -> RepoFacts | None:
        """The repository-wide files of the git work tree that holds ``root`` (found by its ``.git``, without
        running git), when that work tree starts above ``root``; None otherwise."""
        start = root.resolve()
        top = cls.work_tree_top(start)
        if top is None or top == start:
            return None
        files: list[str] = []
        for prefix in ("", ".github", "docs"):
            with contextlib.suppress(OSError), os.scandir(top / prefix if prefix else top) as scan:
                files += [f"{prefix}/{e.name}" if prefix else e.name for e in scan
                          if e.is_file(follow_symlinks=False)]
        return cls(root=top, files=sorted(files))

    def branch_names(self) -> list[str]:
        """Branches the git clone holding ``root`` knows, local and remote-tracking (``origin/`` left off), read
        from its ``.git`` without running git; [] outside a clone. Bots leave their branches there (Dependabot's
        security updates, set in the repository's settings, have no file in the repository)."""
        git_dir = self._git_dir()
        if git_dir is None:
            return []
        refs: set[str] = set()
        with contextlib.suppress(OSError, UnicodeDecodeError):
            for line in (git_dir / "packed-refs").read_text("utf-8").splitlines():
                parts = line.split(" ", 1)
                if len(parts) == 2 and not line.startswith(("#", "^")):
                    refs.add(parts[1].strip())
        for kind in ("heads", "remotes"):
            top = git_dir / "refs" / kind
            for folder, _, names in os.walk(top):
                refs.update(f"refs/{kind}/{Path(folder, name).relative_to(top).as_posix()}" for name in names)
        branches = {ref.removeprefix("refs/heads/") for ref in refs if ref.startswith("refs/heads/")}
        branches |= {ref.split("/", 3)[3] for ref in refs if ref.startswith("refs/remotes/") and ref.count("/") >= 3}
        return sorted(branches - {"HEAD"})

    def in_git_clone(self) -> bool:
        """Whether ``root`` lies in a git clone (a folder copied or unpacked from an archive does not)."""
        return self._git_dir() is not None

    def shallow_clone(self) -> bool:
        """Whether the git clone holding ``root`` is shallow (``git clone --depth``, CI's ``actions/checkout`` by
        default): it has fetched one branch's latest commits only, so it knows no other branch."""
        git_dir = self._git_dir()
        return git_dir is not None and (git_dir / "shallow").is_file()

    def _git_dir(self) -> Path | None:
        """The git directory of the clone holding ``root`` (a linked work tree's common one), found without running
        git; None outside a clone."""
        start = self.root.resolve()
        dot_git = next((folder / ".git" for folder in (start, *start.parents) if (folder / ".git").exists()), None)
        if dot_git is None:
            return None
        git_dir = dot_git
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if dot_git.is_file():  # a linked work tree or submodule: "gitdir: <path>"
                git_dir = (dot_git.parent / dot_git.read_text("utf-8").split("gitdir:", 1)[-1].strip()).resolve()
            if (git_dir / "commondir").is_file():
                git_dir = (git_dir / (git_dir / "commondir").read_text("utf-8").strip()).resolve()
        return git_dir

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
            matches = _glob_matcher(pattern)
            found = self._globbed[pattern] = [f for f in self.files if matches(f)]
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


def _glob_matcher(pattern: str) -> Callable[[str], object]:
    """What matches a file name against ``pattern``. Most globs of the checks are a file name ('SECURITY.md') or a
    name's start ('LICENSE*'); those are compared as text, which spares compiling a regex for each (a cold run
    has 56 globs, 43 of them such)."""
    pattern = pattern.removeprefix("./")
    head, star, tail = pattern.partition("*")
    if "?" not in head and not tail:
        if not star:
            return pattern.__eq__
        return lambda name: name.startswith(head) and "/" not in name[len(head):]  # '*' stays in its segment
    return _glob_regex(pattern).match


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a glob that cannot backtrack catastrophically, whatever the pattern and file name.

    '*' and '?' stay within a path segment; '**' as a whole segment is any number of segments ('**/' also
    none; a final '**' anything below). A naive translation ('*a*a*a*b' → '[^/]*a[^/]*a…') backtracks
    exponentially on a long name; here every '*' but the last of a segment and every '**/…' chunk but the
    last takes the leftmost match in an atomic group. That is exact: the star after it can absorb anything
    a later match would have consumed (within the segment, or whole segments), so no other choice can help.
    """
    cached = _GLOB_CACHE.get(pattern)
    if cached is None:
        if len(_GLOB_CACHE) > 4096:  # patterns come from manifests and checks; keep the cache bounded
            _GLOB_CACHE.clear()
        cached = _GLOB_CACHE[pattern] = re.compile(_translate(pattern.removeprefix("./")), re.DOTALL)
    return cached


def _translate(pattern: str) -> str:
    segments: list[str] = []
    for segment in pattern.split("/"):
        if segment == "**" and segments and segments[-1] == "**":
            continue  # '**/**' is '**'
        segments.append(segment)
    # Chunks of ordinary segments, split at the '**' segments.
    chunks: list[list[str]] = [[]]
    for segment in segments:
        if segment == "**":
            chunks.append([])
        else:
            chunks[-1].append(segment)
    out = "/".join(_segment_regex(s) for s in chunks[0])
    if len(chunks) > 1 and chunks[0]:
        out += "/"  # the first chunk ends where a '**' begins
    for index, chunk in enumerate(chunks[1:], start=1):
        body = "/".join(_segment_regex(s) for s in chunk)
        if index == len(chunks) - 1:
            out += f"(?:[^/]*/)*{body}" if chunk else ".*"  # a final '**': everything below
        else:  # the leftmost place this chunk fits (to its closing '/'), committed: the next '**' absorbs the rest
            out += f"(?>(?:[^/]*/)*?{body}/)"
    return out + r"\Z"


def _segment_regex(segment: str) -> str:
    """One path segment: '*' is any run of characters but '/', '?' one of them."""
    pieces = re.split(r"\*+", segment)
    parts = [_literal(p) for p in pieces]
    if len(parts) == 1:
        return parts[0]
    middle = "".join(f"(?>[^/]*?{p})" for p in parts[1:-1])
    return f"{parts[0]}{middle}[^/]*{parts[-1]}"


def _literal(text: str) -> str:
    return "".join("[^/]" if ch == "?" else re.escape(ch) for ch in text)
