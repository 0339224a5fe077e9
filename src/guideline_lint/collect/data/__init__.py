"""Collects facts about open-data files (CSV/TSV, XLSX, JSON) for the data kinds to judge.

One streaming pass per file reads it and profiles it (``profile.py``): the encoding, the header, each
column's type, the records and cells the judges need with their physical positions. Which of them is a
problem is decided on the judging side (``kinds/data/``); nothing here names a problem type.
"""

from __future__ import annotations

import time
from pathlib import Path

from guideline_lint.collect.data.delimited import scan_delimited
from guideline_lint.collect.data.jsonfile import MAX_JSON_BYTES, scan_json
from guideline_lint.collect.data.xlsx import failed, scan_xlsx
from guideline_lint.facts.data import DataFileFacts

FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json",
           ".geojson": "json"}
MAX_SIBLINGS = 1000  # file names listed next to a data file (for its documentation)


def collect_service_data(patterns: list[str], repo_root: Path, extra_paths: list[Path]) -> list[DataFileFacts]:
    """Facts for every file the manifest's globs name (inside ``repo_root`` only) and every extra path."""
    root = repo_root.resolve()
    seen: set[Path] = set()
    found: list[tuple[Path, str]] = []
    for pattern in patterns:
        clean = pattern.lstrip("/")
        if ".." in Path(clean).parts:
            continue  # never outside the repository
        for path in sorted(root.glob(clean)):
            resolved = path.resolve()
            if not resolved.is_file() or not resolved.is_relative_to(root) or resolved in seen:
                continue
            seen.add(resolved)
            found.append((resolved, resolved.relative_to(root).as_posix()))
    for extra in extra_paths:
        resolved = extra.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        shown = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(extra)
        found.append((resolved, shown))
    facts: list[DataFileFacts] = []
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
        size = path.stat().st_size
    except OSError as exc:
        return [failed(shown, fmt, 0, f"読み込めません: {exc.strerror}", f"cannot be read: {exc.strerror}")]
    siblings = _siblings(path)
    if fmt == "other" or (suffix == ".geojson" and size > MAX_JSON_BYTES):
        return [DataFileFacts(path=shown, format="other", size=size, tabular=False, source=path, siblings=siblings)]
    try:
        if fmt in ("csv", "tsv"):
            results = [scan_delimited(path, shown, "\t" if fmt == "tsv" else ",", fmt, size)]
        elif fmt == "xlsx":
            results = scan_xlsx(path, shown, size)
        else:
            results = [scan_json(path, shown, size)]
    except OSError as exc:
        return [failed(shown, fmt, size, f"読み込めません: {exc}", f"cannot be read: {exc}")]
    for facts in results:
        facts.seconds = time.perf_counter() - started
        facts.source = path
        facts.siblings = siblings
    return results


def _siblings(path: Path) -> tuple[str, ...]:
    """The names of the other regular files in ``path``'s folder, sorted."""
    try:
        names = sorted(p.name for p in path.parent.iterdir() if p != path and p.is_file())
    except OSError:
        return ()
    return tuple(names[:MAX_SIBLINGS])
