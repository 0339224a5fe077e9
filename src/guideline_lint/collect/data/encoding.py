"""Opening a text data file: binary files refused, the encoding guessed from the first 64 KiB."""

from __future__ import annotations

import io
from pathlib import Path

from guideline_lint import japanese as jp
from guideline_lint.facts.data import DataFileFacts
from guideline_lint.model import Text

HEAD_BYTES = 65536


def open_text(path: Path, facts: DataFileFacts) -> io.TextIOWrapper | None:
    """The file as text (undecodable bytes become U+FFFD), with the encoding noted in ``facts``;
    None, with ``facts.error`` set, for a binary file."""
    raw = path.open("rb")
    head = raw.read(HEAD_BYTES)
    if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw.close()
        facts.error = Text(ja="テキストではなくバイナリのファイルです。", en="the file is binary, not text.")
        facts.tabular = False
        return None
    codec, label, bom = jp.detect_encoding(head)
    facts.encoding, facts.encoding_label, facts.bom = codec, label, bom
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding=codec, errors="replace", newline="")
