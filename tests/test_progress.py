"""Progress on stderr: a bar that fits the terminal, plain lines in a CI log, nothing with --quiet."""

from __future__ import annotations

import io

import pytest

from guideline_lint.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn_within_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    stream = Terminal()
    progress = Progress(3, stream=stream)
    for name in ("https://example.jp/" + "a" * 200, "b.html", "c.html"):
        progress.step(name)
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")  # one line, closed at the end
    assert all(len(part) <= 79 for part in text.rstrip("\n").split("\r") if part)
    assert "3/3 c.html" in text


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_log_gets_a_plain_line_every_few_seconds_and_the_total() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(100, stream=stream, interval=2.0, clock=clock)
    for index in range(100):
        clock.now = index * 0.1  # 10 pages a second
        progress.step(f"page-{index}.html", ok=index != 50)
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert lines[0] == "guideline-lint: [1/100] page-0.html"
    assert 5 <= len(lines) <= 7  # one every 2 s over 10 s, not 100
    assert lines[-1] == "guideline-lint: 100/100 pages audited, 1 could not be audited"


def test_quiet_prints_nothing() -> None:
    stream = Terminal()
    progress = Progress(2, quiet=True, stream=stream)
    progress.step("a")
    progress.step("b")
    assert stream.getvalue() == ""
