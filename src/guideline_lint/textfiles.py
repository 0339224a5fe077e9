"""Reading text files people give us: a size limit, special files (FIFO, device) refused before they are
opened, symbolic-link loops, and the encoding (UTF-8, with a guess at Shift_JIS or EUC-JP to say what to do).

Every problem becomes an ``InputError`` naming the file, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from guideline_lint.errors import InputError
from guideline_lint.model import Text

MAX_TEXT_BYTES = 1024 * 1024  # a manifest or check file is a few KiB; 1 MiB leaves room and bounds work


def read_text(path: Path, display: str, limit: int = MAX_TEXT_BYTES) -> str:
    """The file as text, refusing what is too large, binary, not UTF-8 (naming the encoding found) or not a
    regular file: a FIFO or device would block or never end."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; what was opened is judged by its fstat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(Text(ja="ファイルが見つかりません。", en="file not found."), file=display) from None
    except PermissionError:
        raise InputError(Text(ja="ファイルを読む権限がありません。", en="permission denied."), file=display) from None
    except OSError as exc:
        raise _os_problem(exc, display) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(Text(ja="ファイルではなくフォルダです。", en="is a folder, not a file."), file=display)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                Text(ja=f"通常のファイルではありません（{_file_type(info.st_mode)[0]}）。読み込みません。",
                     en=f"is not a regular file (a {_file_type(info.st_mode)[1]}); not read."),
                file=display,
                hint=Text(ja="YAML のテキストファイルを指定してください。", en="give a YAML text file."),
            )
        if info.st_size > limit:
            raise InputError(
                Text(
                    ja=f"ファイルが大きすぎます（{info.st_size:,} バイト、上限 {limit:,} バイト）。",
                    en=f"file is too large ({info.st_size:,} bytes; the limit is {limit:,}).",
                ),
                file=display,
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)  # the file may have grown since fstat
    except OSError as exc:
        raise _os_problem(exc, display) from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise InputError(Text(ja=f"ファイルが大きすぎます（上限 {limit:,} バイト）。",
                              en=f"file is too large (the limit is {limit:,} bytes)."), file=display)
    return decode_utf8(raw, display)


def _os_problem(exc: OSError, display: str) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(Text(ja="シンボリックリンクが循環しています。", en="the symbolic link loops back on itself."),
                          file=display, hint=Text(ja="リンク先を実在のファイルにしてください。",
                                                  en="point the link at a real file."))
    return InputError(Text(ja=f"ファイルを読めません: {exc.strerror}", en=f"cannot read the file: {exc.strerror}"),
                      file=display)


def _file_type(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return "名前付きパイプ（FIFO）", "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "デバイス", "device"
    if stat.S_ISSOCK(mode):
        return "ソケット", "socket"
    return "特殊ファイル", "special file"


def decode_utf8(raw: bytes, display: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            Text(ja="UTF-16 で保存されています。UTF-8 で保存し直してください。",
                 en="the file is UTF-16; save it as UTF-8."),
            file=display,
        )
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise InputError(
            Text(ja="バイナリファイルです（NUL 文字を含みます）。YAML のテキストファイルを指定してください。",
                 en="this is a binary file (it contains NUL bytes); give a YAML text file."),
            file=display, line=line,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        encoding = guess_japanese_encoding(raw)
        if encoding:
            message = Text(
                ja=f"文字コードが {encoding} です。UTF-8 で保存し直してください。",
                en=f"the file is encoded in {encoding}, not UTF-8; save it as UTF-8.",
            )
        else:
            message = Text(ja="UTF-8 として読めないバイトがあります。UTF-8 で保存し直してください。",
                           en="the file is not valid UTF-8; save it as UTF-8.")
        raise InputError(message, file=display, line=line, column=column) from None


def guess_japanese_encoding(raw: bytes) -> str | None:
    """Name the legacy Japanese encoding that decodes ``raw`` cleanly, if one does."""
    for codec, name in (("cp932", "Shift_JIS (CP932)"), ("euc_jp", "EUC-JP"), ("iso2022_jp", "ISO-2022-JP")):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text):
            return name
    return None
