"""Writing rendered reports: to standard output, one file, or one file per format in a folder."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from guideline_lint.errors import InputError
from guideline_lint.model import Report, Text


def check_output_options(formats: list[str], output: Path | None, output_dir: Path | None) -> None:
    if len(formats) > 1 and output_dir is None:
        raise InputError(Text(ja="複数の --format には --output-dir が必要です。",
                              en="several --format values need --output-dir."))
    if output is not None and output_dir is not None:
        raise InputError(Text(ja="--output と --output-dir は同時に使えません。",
                              en="use either --output or --output-dir, not both."))


def write_reports(report: Report, formats: list[str], *, lang: str, output: Path | None = None,
                  output_dir: Path | None = None, baseline: Report | None = None) -> None:
    from guideline_lint.report import EXTENSIONS, render

    for fmt in formats:
        text = render(report, fmt, lang, baseline)
        if output_dir is not None:
            write_atomically(output_dir / f"guideline-lint.{EXTENSIONS[fmt]}", text)
        elif output is not None:
            write_atomically(output, text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")


def write_atomically(target: Path, text: str) -> None:
    """Write through a temporary file and rename, so a failed run never leaves half a report."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InputError(Text(ja=f"書き込めません: {exc.strerror}", en=f"cannot write: {exc.strerror}"),
                         file=str(target)) from None
