"""Errors the command line turns into exit codes and one clear message (DESIGN §3.1)."""

from __future__ import annotations

from guideline_lint.model import Text


class GuidelineLintError(Exception):
    """Base class: carries a bilingual message and where the problem is."""

    exit_code = 2

    def __init__(
        self,
        message: Text,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        url: str | None = None,
        hint: Text | None = None,
    ) -> None:
        super().__init__(message.en)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.url = url
        self.hint = hint

    def where(self) -> str:
        if self.url:
            return self.url
        if self.file is None:
            return ""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self, lang: str) -> str:
        where = self.where()
        text = f"{where}: {self.message.get(lang)}" if where else self.message.get(lang)
        if self.hint:
            text += "\n  " + self.hint.get(lang)
        return text


class InputError(GuidelineLintError):
    """Invalid input or usage: bad YAML, schema violation, unknown ruleset (exit 2)."""

    exit_code = 2


class EnvironmentProblem(GuidelineLintError):
    """The environment cannot do the job: no browser, tracker unreachable (exit 3)."""

    exit_code = 3
