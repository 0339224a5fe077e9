"""Collects facts about open-data files (CSV/TSV, XLSX, JSON) for the data kinds to judge.

One streaming pass per file reads it and profiles it (``profile.py``): the encoding, the header, each
column's type, the records and cells the judges need with their physical positions. Which of them is a
problem is decided on the judging side (``kinds/data/``); nothing here names a problem type.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from guideline_lint.collect.data.delimited import scan_delimited
from guideline_lint.collect.data.jsonfile import MAX_JSON_BYTES, scan_json
from guideline_lint.collect.data.profile import failed
from guideline_lint.facts.data import DataFileFacts
from guideline_lint.model import Text

FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json",
           ".geojson": "json"}
MAX_SIBLINGS = 1000  # file names listed next to a data file (for its documentation)


def collect_service_data(patterns: list[str], repo_root: Path, extra_paths: list[Path]) -> list[DataFileFacts]:
    """Facts for every file the manifest's globs name (inside ``repo_root`` only) and every extra path."""
    root = repo_root.resolve()
    seen: set[Path] = set()
    found: list[tuple[Path, str]] = []
    refused: list[DataFileFacts] = []  # declared, but nothing that may be read: never a silent pass
    for pattern in patterns:
        clean = pattern.lstrip("/")
        if ".." in Path(clean).parts:
            continue  # never outside the repository
        matches = sorted(root.glob(clean))
        if not matches and not any(ch in clean for ch in "*?["):
            refused.append(failed(clean, _format(clean), 0, f"ファイルがありません: {clean}", f"no such file: {clean}"))
        for path in matches:
            resolved = path.resolve()
            shown = path.relative_to(root).as_posix()
            if resolved in seen or path.is_dir():
                continue
            seen.add(resolved)
            if not resolved.is_relative_to(root):
                refused.append(failed(shown, _format(shown), 0, f"リポジトリの外を指すリンクです: {shown}",
                                      f"a link to outside the repository: {shown}"))
                continue
            found.append((resolved, resolved.relative_to(root).as_posix()))
    for extra in extra_paths:
        resolved = extra.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        shown = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(extra)
        found.append((resolved, shown))
    facts: list[DataFileFacts] = refused
    for path, shown in found:
        facts.extend(scan_file(path, shown))
    return facts


def scan_file(path: Path, shown: str | None = None) -> list[DataFileFacts]:
    """Facts for one file (one per worksheet for XLSX). Problems reading it become ``error``."""
    shown = shown or path.name
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix, "other")
    started = time.perf_counter()
    try:
        status = path.stat()
    except OSError as exc:
        return [failed(shown, fmt, 0, f"{shown} を読み込めません: {exc.strerror}",
                       f"cannot read {shown}: {exc.strerror}")]
    size = status.st_size
    if not stat.S_ISREG(status.st_mode):  # a folder, FIFO (reading it would wait forever), device or socket
        return [failed(shown, fmt, 0, f"{shown} は通常のファイルではありません（フォルダー・FIFO・デバイスなど）",
                       f"{shown} is not a regular file (a folder, FIFO, device or socket)")]
    if size == 0:
        return [failed(shown, fmt, 0, f"{shown} は空（0 バイト）です", f"{shown} is empty (0 bytes)")]
    siblings = _siblings(path)
    if fmt == "other" or (suffix == ".geojson" and size > MAX_JSON_BYTES):
        return [DataFileFacts(path=shown, format="other", size=size, tabular=False, source=path, siblings=siblings)]
    try:
        if fmt in ("csv", "tsv"):
            results = [scan_delimited(path, shown, "\t" if fmt == "tsv" else ",", fmt, size)]
        elif fmt == "xlsx":
            # Imported here: the XML parser and the workbook reader cost a cold check ~8 M instructions (0.6 %),
            # and most services publish no workbook.
            from guideline_lint.collect.data.xlsx import scan_xlsx

            results = scan_xlsx(path, shown, size)
        else:
            results = [scan_json(path, shown, size)]
    except OSError as exc:
        return [failed(shown, fmt, size, f"読み込めません: {exc}", f"cannot be read: {exc}")]
    for facts in results:
        facts.seconds = time.perf_counter() - started
        facts.source = path
        facts.siblings = siblings
        if facts.error is None and facts.tabular and facts.format in ("csv", "tsv", "xlsx") and not _holds_data(facts):
            # Blank lines or a header alone: every table check would find nothing to judge and pass (issue #15).
            facts.error = Text(ja=f"{shown} にデータがありません（空白の行か見出しだけです）",
                               en=f"{shown} holds no data (blank lines or a header only)")
    return results


def _holds_data(facts: DataFileFacts) -> bool:
    """Whether the table has a record under its header with a value in it (past the kept sample, the file has
    more records than it: those are taken to hold data)."""
    start = (facts.header_index or 0) + 1
    kept = facts.sample[start:]
    return facts.records > len(facts.sample) or any(any(cell.strip() for cell in row.cells) for row in kept)


def _format(name: str) -> str:
    return FORMATS.get(Path(name).suffix.lower(), "other")


def _siblings(path: Path) -> tuple[str, ...]:
    """The names of the other regular files in ``path``'s folder, sorted."""
    return tuple(name for name in _files_in(path.parent) if name != path.name)[:MAX_SIBLINGS]


# Folder listings of this process, by folder and its modification time (a file added or removed changes it): a
# folder of 1,578 daily files (code4fukui/fukui-kanko-survey daily/) is listed once, not once per file.
_LISTINGS: dict[Path, tuple[int, tuple[str, ...]]] = {}


def _files_in(folder: Path) -> tuple[str, ...]:
    try:
        stamp = folder.stat().st_mtime_ns
        listed = _LISTINGS.get(folder)
        if listed is not None and listed[0] == stamp:
            return listed[1]
        with os.scandir(folder) as entries:
            names = tuple(sorted(entry.name for entry in entries if entry.is_file()))
    except OSError:
        return ()
    if len(_LISTINGS) >= 1024:
        _LISTINGS.clear()
    _LISTINGS[folder] = (stamp, names)
    return names
