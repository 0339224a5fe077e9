"""Writing rendered reports: to standard output, one file (``--output``) or one file per format (``--output-dir``).

A report file is written whole or not at all (a temporary file in the same folder, then a rename), with the
permissions the user's umask gives any new file, and ``--output -`` means standard output.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from guideline_lint.errors import InputError
from guideline_lint.model import Report, Text
from guideline_lint.report import extension, render

STDOUT = "-"
FILE_NAME = "guideline-lint"  # --output-dir files are guideline-lint.<extension>


def check_output_options(formats: Sequence[str], output: Path | str | None, output_dir: Path | None) -> None:
    """Refuse combinations that cannot be written, before any work is done (exit 2)."""
    if output is not None and output_dir is not None:
        raise InputError(Text(ja="--output と --output-dir は同時に使えません。",
                              en="use either --output or --output-dir, not both."))
    if len(formats) > 1 and output_dir is None:
        raise InputError(Text(ja="複数の --format には --output-dir が必要です。",
                              en="several --format values need --output-dir."),
                         hint=Text(ja="例: --format sarif --format html --output-dir reports/",
                                   en="e.g. --format sarif --format html --output-dir reports/"))


def write_reports(report: Report, formats: Sequence[str], *, lang: str, output: Path | str | None = None,
                  output_dir: Path | None = None, baseline: Report | None = None, quiet: bool = False,
                  render_options: Mapping[str, Mapping[str, Any]] | None = None,
                  stdout: TextIO | None = None, stderr: TextIO | None = None) -> list[Path]:
    """Render ``report`` in each format and write it; return the files written.

    Without ``output`` and ``output_dir`` (or with ``output`` ``-``) the report goes to standard output.
    ``render_options`` gives a format its own keywords, e.g. ``{"sarif": {"category": "web"}}``. Unless
    ``quiet``, each file written is named on standard error, so a CI log says where the reports are."""
    check_output_options(formats, output, output_dir)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    options = render_options or {}
    written: list[Path] = []
    for fmt in formats:
        text = render(report, fmt, lang, baseline, **options.get(fmt, {}))
        if output_dir is not None:
            target: Path | None = Path(output_dir) / f"{FILE_NAME}.{extension(fmt)}"
        elif output is not None and str(output) != STDOUT:
            target = Path(output)
        else:
            target = None
        if target is None:
            stdout.write(text if text.endswith("\n") else text + "\n")
            stdout.flush()
            continue
        write_atomically(target, text)
        written.append(target)
        if not quiet:
            message = Text(ja=f"レポートを書き込みました: {target}", en=f"report written: {target}")
            stderr.write(f"guideline-lint: {message.get(lang)}\n")
    return written


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to a new file next to ``target``, then rename it over ``target``.

    The file is created with mode 0666 so the kernel applies the user's umask (``tempfile`` would make it
    0600, unreadable to the CI user that publishes the report); the name is random and exclusive."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp, fd = _create_next_to(target)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())  # the rename must not publish a file whose data is still in flight
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InputError(Text(ja=f"書き込めません: {exc.strerror or exc}", en=f"cannot write: {exc.strerror or exc}"),
                         file=str(target)) from None


def _create_next_to(target: Path) -> tuple[Path, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {target}")
