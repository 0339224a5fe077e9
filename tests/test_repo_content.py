"""file_content passes over files in one whole-text search only when that can never miss a line's match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guideline_lint.facts import RepoFacts
from guideline_lint.kinds.repo import _whole_text_regex

TEXTS = [
    "key: gho_" + "a" * 36 + "\n-----BEGIN RSA PRIVATE KEY-----\n",
    "first line\nsecond line\n",
    "key: AKIA0123456789ABCDEF\n",
    "  indented\n\nafter a blank line\nlast line without newline",
    "café\r\nwindows line\r\n",
    "",
]

PATTERNS = [
    r"\bAKIA[0-9A-Z]{16}\b",
    r"[A-Z0-9_]{3,}",
    r"x*",
    r"\bline\b",
    r"é\B",
    r"-----BEGIN (?:RSA )?PRIVATE KEY-----|\bgh[pousr]_[A-Za-z0-9]{36}\b",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_line_that_matches_is_never_missed(pattern: str, flags: int) -> None:
    line_regex = re.compile(pattern, flags)
    whole = _whole_text_regex(pattern, flags)
    assert whole is not None
    for text in TEXTS:
        if any(line_regex.search(line) for line in text.splitlines()):
            assert whole.search(text), (pattern, text)


@pytest.mark.parametrize("pattern", [r"line$", r"^second", r"foo(?!\n)", r"(?<!\s)bar", r"\Atitle", r"end\Z",
                                     r"a(?=b)"])
def test_patterns_that_see_past_a_line_are_searched_line_by_line(pattern: str) -> None:
    assert _whole_text_regex(pattern, 0) is None


def test_file_texts_are_kept_only_up_to_a_budget(tmp_path: Path) -> None:
    (tmp_path / "small.md").write_text("small", encoding="utf-8")
    (tmp_path / "large.md").write_text("x" * 100, encoding="utf-8")
    repo = RepoFacts.collect(tmp_path)
    repo._text_budget = 50
    assert repo.read_text("large.md") == "x" * 100  # read, answered, not kept
    assert repo.read_text("small.md") == "small"
    assert "large.md" not in repo._texts and repo._texts["small.md"] == "small"
    (tmp_path / "small.md").write_text("changed", encoding="utf-8")
    assert repo.read_text("small.md") == "small"  # one run sees one state of the file
