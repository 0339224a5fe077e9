"""The parse cache stays bounded: old pickles are deleted when new ones are written."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from guideline_lint import yamlcache
from guideline_lint.errors import InputError


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


def _cache_holding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: int) -> tuple[Path, Path]:
    """A cache folder of the test's own, limited to 5 entries and holding ``entries``; and a source file to cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(yamlcache, "KEEP_FILES", 5)
    folder = tmp_path / "guideline-lint" / yamlcache.__version__
    folder.mkdir(parents=True)
    _make(folder, entries)
    source = tmp_path / "source.yaml"
    source.write_text("a: 1\n")
    return folder, source


def test_writing_a_cache_entry_prunes_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, source = _cache_holding(tmp_path, monkeypatch, 8)
    assert yamlcache.load_cached("probe", [source], lambda: {"built": True}) == {"built": True}
    remaining = sorted(p.name for p in folder.glob("*.pickle"))
    assert len(remaining) == 3  # over 5: down to three quarters, so the next writes need not prune
    assert any(name.startswith("probe-") for name in remaining)  # the new entry is the newest: kept
    # and it is served from the cache afterwards
    assert yamlcache.load_cached("probe", [source], lambda: {"built": False}) == {"built": True}


@pytest.fixture
def manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a manifest is written, with a parse cache of the test's own (tmp_path / 'cache')."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GUIDELINE_LINT_NO_CACHE", raising=False)
    return tmp_path / "digital-service.yaml"


def test_the_manifest_is_parsed_again_only_when_its_text_changes(manifest: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    manifest.write_text("service:\n  id: permit\n  name: {ja: 許可}\n", encoding="utf-8")
    first = yamlcache.load_manifest_yaml(manifest, "digital-service.yaml")
    assert first.data == {"service": {"id": "permit", "name": {"ja": "許可"}}}
    assert first.positions["service.id"] == (2, 7)

    def no_parsing(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlcache, "parse_yaml", no_parsing)
    assert yamlcache.load_manifest_yaml(manifest, "digital-service.yaml") == first  # from the cache
    manifest.write_text("service:\n  id: permit2\n", encoding="utf-8")  # same size class, new text: parsed again
    with pytest.raises(AssertionError, match="parsed again"):
        yamlcache.load_manifest_yaml(manifest, "digital-service.yaml")


def test_a_manifest_that_does_not_parse_is_refused_each_time_not_cached(manifest: Path, tmp_path: Path) -> None:
    manifest.write_text("service:\n  id: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            yamlcache.load_manifest_yaml(manifest, "digital-service.yaml")
        assert caught.value.file == "digital-service.yaml" and caught.value.line is not None
    assert not list((tmp_path / "cache").rglob("manifest-*.pickle"))


def test_a_damaged_manifest_cache_entry_is_parsed_again(manifest: Path, tmp_path: Path) -> None:
    manifest.write_text("a: 1\n", encoding="utf-8")
    yamlcache.load_manifest_yaml(manifest, "m.yaml")
    [entry] = (tmp_path / "cache").rglob("manifest-*.pickle")
    entry.write_bytes(b"\x80\x05 not a pickle")
    assert yamlcache.load_manifest_yaml(manifest, "m.yaml").data == {"a": 1}
    entry.write_bytes(pickle.dumps({"a": 2}))  # a pickle of something else is not taken for a parse
    assert yamlcache.load_manifest_yaml(manifest, "m.yaml").data == {"a": 1}


def test_a_write_into_a_folder_under_the_limit_deletes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, source = _cache_holding(tmp_path, monkeypatch, 4)
    yamlcache.load_cached("probe", [source], lambda: {"built": True})
    assert len(list(folder.glob("*.pickle"))) == 5  # at the limit, not over it: every entry stays
