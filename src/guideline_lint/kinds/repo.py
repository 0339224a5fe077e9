"""Kinds that judge the service's repository files (globs relative to the repository root)."""

import os
import posixpath
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from guideline_lint.facts import Facts, RepoFacts
from guideline_lint.japanese import WORD_LISTS
from guideline_lint.kinds.base import Kind, Observation, Params
from guideline_lint.model import Location, Status, Target, Text

MAX_OCCURRENCES = 20


def _repo(facts: Facts) -> RepoFacts:
    if facts.repo is None:
        raise LookupError("repository facts were not collected")
    return facts.repo


def _matching(repo: RepoFacts, globs: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for pattern in globs:
        for name in repo.glob(pattern):
            seen.setdefault(name)
    return list(seen)


class FilesParams(Params):
    globs: list[str] = Field(min_length=1, description="e.g. ['LICENSE*', 'docs/**/*.md']")
    min_count: int = Field(1, ge=1)
    repository_level: bool = Field(False, description="a file of the whole repository (SECURITY.md, dependabot): "
                                   "when the service sits in a folder of a larger repository, its root counts too")


def _repository_level(repo: RepoFacts, globs: list[str]) -> list[str]:
    """Matches at the root of the enclosing repository, named from the service's folder (``../../SECURITY.md``)."""
    if repo.outer is None:
        return []
    up = os.path.relpath(repo.outer.root, repo.root.resolve())
    return [posixpath.join(Path(up).as_posix(), name) for name in _matching(repo.outer, globs)]


class FileExistsKind(Kind):
    name = "file_exists"
    target = Target.REPO
    Params = FilesParams
    summary = Text(ja="glob に一致するファイルがある", en="a file matching the globs exists")

    def evaluate(self, params: FilesParams, facts: Facts) -> list[Observation]:
        found = _matching(_repo(facts), params.globs)
        if len(found) < params.min_count and params.repository_level:
            found += _repository_level(_repo(facts), params.globs)
        detail = {"globs": ", ".join(params.globs), "count": len(found)}
        if len(found) >= params.min_count:
            return [Observation(Status.PASS, location=Location(file=found[0], line=1, column=1), detail=detail)]
        return [Observation(Status.FAIL, location=Location(file=params.globs[0]), detail=detail)]


class FileAbsentKind(Kind):
    name = "file_absent"
    target = Target.REPO
    Params = FilesParams
    summary = Text(ja="glob に一致するファイルがない", en="no file matches the globs")

    def evaluate(self, params: FilesParams, facts: Facts) -> list[Observation]:
        found = _matching(_repo(facts), params.globs)
        detail = {"globs": ", ".join(params.globs), "count": len(found)}
        if not found:
            return [Observation(Status.PASS, detail=detail)]
        return [Observation(
            Status.FAIL, location=Location(file=found[0], line=1, column=1), detail={**detail, "value": found[0]},
            occurrences=[Location(file=f) for f in found[1:MAX_OCCURRENCES]],
            more_occurrences=max(0, len(found) - MAX_OCCURRENCES),
        )]


def _compiles(value: str) -> str:
    re.compile(value)
    return value


Regex = Annotated[str, AfterValidator(_compiles)]  # a regular expression, refused at load time if it does not compile


class BranchesParams(Params):
    pattern: Regex = Field(min_length=1, description="regular expression a branch name must match, e.g. "
                                                     "'^(dependabot|renovate)/'")


SHALLOW_CLONE = Text(
    ja="浅いクローン（shallow clone。CI の actions/checkout は既定で fetch-depth: 1）にはほかのブランチがないため、"
       "Dependabot や Renovate が作るブランチの有無を判定できません。actions/checkout に fetch-depth: 0 を指定するか、"
       "完全なクローンで検査してください。",
    en="Could not judge: a shallow clone (CI's actions/checkout uses fetch-depth: 1 by default) holds no other "
       "branch, so the branches Dependabot or Renovate open cannot be seen. Set fetch-depth: 0 on actions/checkout, "
       "or check a full clone.")


NOT_A_CLONE = Text(
    ja="git のクローンではないフォルダ（コピーやアーカイブの展開）にはブランチの記録がないため、"
       "Dependabot や Renovate が作るブランチの有無を判定できません。git clone したリポジトリで検査してください。",
    en="Could not judge: the folder is not a git clone (a copy, or an unpacked archive), so it records no branches and "
       "the branches Dependabot or Renovate open cannot be seen. Check a git clone of the repository.")


class GitBranchesKind(Kind):
    name = "git_branches"
    target = Target.REPO
    Params = BranchesParams
    summary = Text(ja="git のクローンに名前がパターンに一致するブランチがある（ボットが作るブランチなど）",
                   en="the git clone has a branch whose name matches a pattern (e.g. a bot's branches)")

    def evaluate(self, params: BranchesParams, facts: Facts) -> list[Observation]:
        repo = _repo(facts)
        regex = re.compile(params.pattern)
        found = [name for name in repo.branch_names() if regex.search(name)]
        detail = {"pattern": params.pattern, "count": len(found)}
        if found:
            return [Observation(Status.PASS, location=Location(value=found[0]), detail=detail)]
        if not repo.in_git_clone():  # no branches recorded at all: nothing to judge by
            return [Observation(Status.ERROR, detail=detail, reason=NOT_A_CLONE)]
        if repo.shallow_clone():  # the branches are on the server, not in this clone: nothing to judge by
            return [Observation(Status.ERROR, detail=detail, reason=SHALLOW_CLONE)]
        return [Observation(Status.FAIL, detail=detail)]


class ContentParams(Params):
    globs: list[str] = Field(min_length=1)
    pattern: Regex = Field("", description="regular expression, searched line by line")
    words: Literal["placeholders"] | None = Field(
        None, description="a shared word list instead of pattern (japanese.WORD_LISTS): 'placeholders'")
    expect: Literal["match", "no_match"] = "match"
    ignore_case: bool = False
    leave_audited_pages: bool = Field(
        False, description="files this run audited as pages in the browser are left to the page checks (one problem, "
                           "one finding); with --no-pages, or for a page that could not be audited, they are read here")

    @model_validator(mode="after")
    def _one_pattern(self) -> "ContentParams":
        if bool(self.pattern) == bool(self.words):
            raise ValueError("give either pattern or words")
        if self.words:
            self.pattern = WORD_LISTS[self.words]
        return self


class FileContentKind(Kind):
    name = "file_content"
    target = Target.REPO
    Params = ContentParams
    summary = Text(ja="ファイルの内容がパターンに一致する（または一致しない）",
                   en="file content matches (or does not match) a pattern")

    def evaluate(self, params: ContentParams, facts: Facts) -> list[Observation]:
        repo = _repo(facts)
        flags = re.IGNORECASE if params.ignore_case else 0
        regex = re.compile(params.pattern, flags)
        whole_text = _whole_text_regex(params.pattern, flags)
        files = _matching(repo, params.globs)
        if params.leave_audited_pages:
            audited = _audited_pages(repo, facts)
            files = [name for name in files if name not in audited]
        hits: list[Location] = []
        total = 0
        for name in files:
            text = repo.read_text(name)
            if text is None or (whole_text is not None and not whole_text.search(text)):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                if m := regex.search(line):
                    total += 1
                    if len(hits) < MAX_OCCURRENCES:
                        # A secret must not be copied into the report: show only where it starts.
                        shown = line.strip()[:60] if params.expect == "match" else m.group(0)[:8] + "…"
                        hits.append(Location(file=name, line=number, column=m.start() + 1, value=shown))
                    if params.expect == "match":
                        break
            if params.expect == "match" and hits:
                break
        detail = {"globs": ", ".join(params.globs), "pattern": params.pattern, "count": total}
        if params.expect == "match":
            if hits:
                return [Observation(Status.PASS, location=hits[0], detail=detail)]
            where = Location(file=files[0], line=1, column=1) if files else Location(file=params.globs[0])
            return [Observation(Status.FAIL, location=where, detail={**detail, "files": len(files)})]
        if not hits:
            return [Observation(Status.PASS, detail=detail)]
        return [Observation(Status.FAIL, location=hits[0], occurrences=hits[1:],
                            more_occurrences=max(0, total - len(hits)), detail={**detail, "value": hits[0].file})]


def _audited_pages(repo: RepoFacts, facts: Facts) -> set[str]:
    """Repository paths of the local pages audited in the browser in this run (none with --no-pages)."""
    root = repo.root.resolve()
    names = set()
    for page in facts.pages or []:
        if page.local_file and page.error is None:
            path = Path(page.local_file).resolve()
            if path.is_relative_to(root):
                names.add(path.relative_to(root).as_posix())
    return names


def _whole_text_regex(pattern: str, flags: int) -> re.Pattern[str] | None:
    """A regex that finds something in a file whenever some line of it matches ``pattern``, so that files
    without a match (nearly all, for a secrets scan over every file) are passed over in one search.

    A match inside one line is a match in the whole text, except where the pattern looks past the line's
    ends: anchors (a line may end in "\\r\\n" or other breaks `$` does not know), lookarounds, `\\A`, `\\Z`.
    Such patterns are searched line by line only."""
    if any(token in pattern for token in ("^", "$", "(?=", "(?!", "(?<", "\\A", "\\Z")):
        return None
    return re.compile(pattern, flags)


class DocumentParams(Params):
    globs: list[str] = Field(min_length=1, description="e.g. ['README*']; the first file that is long enough passes")
    min_units: int = Field(100, ge=1, description="prose size: a CJK character counts 2, any other visible one 1")
    min_lines: int = Field(2, ge=1, description="prose lines besides headings")


_CODE_BLOCK = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_MARKUP = re.compile(r"<[^>]+>|\]\([^)]*\)|https?://\S+|!\[[^\]]*\]|[#*_`>|\[\]()~=-]+")
_HEADING = re.compile(r"^\s*(#{1,6}\s|<h[1-6])", re.IGNORECASE)


def _units(ch: str) -> int:
    """2 for kana, CJK ideographs (and compatibility ones), half-width katakana; 1 for any other character.

    Compared by code point, not with a regex class: compiling a class over these ranges fills a 64 K table in
    Python (3 ms, about 1 % of a cold `check`)."""
    code = ord(ch)
    if code < 0x3040:
        return 1
    cjk = code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF66 <= code <= 0xFF9F
    return 2 if cjk else 1


def prose_size(text: str) -> tuple[int, int]:
    """(units, lines) of prose in a Markdown/text document: code blocks, HTML tags, URLs and markup left out,
    headings not counted as lines. A CJK character carries about two Latin ones' meaning, so counts 2."""
    body = _CODE_BLOCK.sub("", text)
    units = lines = 0
    for line in body.splitlines():
        words = _MARKUP.sub("", line).strip()
        if not words:
            continue
        units += sum(_units(ch) for ch in words if not ch.isspace())
        if not _HEADING.match(line):
            lines += 1
    return units, lines


class DocumentKind(Kind):
    name = "document"
    target = Target.REPO
    Params = DocumentParams
    summary = Text(ja="文書（README など）があり、内容を説明できるだけの本文がある",
                   en="a document (README …) exists with enough prose to explain something")

    def evaluate(self, params: DocumentParams, facts: Facts) -> list[Observation]:
        repo = _repo(facts)
        files = _matching(repo, params.globs)
        best: tuple[int, int, str] | None = None
        for name in files:
            units, lines = prose_size(repo.read_text(name) or "")
            detail = {"file": name, "units": units, "lines": lines, "min_units": params.min_units,
                      "min_lines": params.min_lines, "count": len(files)}
            if units >= params.min_units and lines >= params.min_lines:
                return [Observation(Status.PASS, location=Location(file=name, line=1, column=1), detail=detail,
                                    metrics={"units": float(units)})]
            if best is None or units > best[0]:
                best = (units, lines, name)
        units, lines, name = best or (0, 0, params.globs[0])
        return [Observation(Status.FAIL, location=Location(file=name, line=1, column=1) if files else
                            Location(file=name),
                            detail={"file": name, "units": units, "lines": lines, "min_units": params.min_units,
                                    "min_lines": params.min_lines, "count": len(files)})]


KINDS: list[type[Kind]] = [FileExistsKind, FileAbsentKind, FileContentKind, DocumentKind, GitBranchesKind]
