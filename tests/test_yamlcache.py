"""The parse cache stays bounded: old pickles are deleted when new ones are written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guideline_lint import yamlcache


def _make(folder: Path, count: int) -> list[Path]:
    files = []
    for i in range(count):
        path = folder / f"old-{i:04d}.pickle"
        path.write_bytes(b"x")
        os.utime(path, ns=(1_000_000_000 * i, 1_000_000_000 * i))  # file i is older than file i + 1
        files.append(path)
    return files


def test_prune_keeps_the_newest_files(tmp_path: Path) -> None:
    files = _make(tmp_path, 10)
    (tmp_path / "notes.txt").write_text("not ours")
    yamlcache.prune(tmp_path, keep=4)
    assert sorted(p.name for p in tmp_path.glob("*.pickle")) == [p.name for p in files[6:]]
    assert (tmp_path / "notes.txt").exists()  # only cache files are touched


def test_writing_a_cache_entry_prunes_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(yamlcache, "KEEP_FILES", 5)
    folder = tmp_path / "guideline-lint" / yamlcache.__version__
    folder.mkdir(parents=True)
    _make(folder, 8)
    source = tmp_path / "source.yaml"
    source.write_text("a: 1\n")
    assert yamlcache.load_cached("probe", [source], lambda: {"built": True}) == {"built": True}
    remaining = sorted(p.name for p in folder.glob("*.pickle"))
    assert len(remaining) == 5
    assert any(name.startswith("probe-") for name in remaining)  # the new entry is the newest: kept
    # and it is served from the cache afterwards
    assert yamlcache.load_cached("probe", [source], lambda: {"built": False}) == {"built": True}
