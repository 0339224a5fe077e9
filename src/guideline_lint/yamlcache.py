"""A parse cache for the bundled YAML (checks, rulesets, catalogues) and for the manifest.

ruamel.yaml's pure-Python parser needs about a millisecond per check; a linter that starts on every
commit should not pay that each time. Parsed documents are pickled under the user's cache folder,
keyed by path, size and modification time, so an edited file is parsed again. The manifest, which a
person writes, is keyed by its content instead, and only a successful parse is kept: an unchanged
manifest then needs neither the parser nor ruamel.yaml's import (52 M instructions, 4 % of a cold
``check --no-pages``). Every pickle is one this module wrote, of plain values it built; nothing is
read from a pickle anyone else could have placed outside the user's own cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from guideline_lint import __version__
from guideline_lint.textfiles import read_text
from guideline_lint.yamlio import LoadedYaml, load_yaml, parse_yaml

# Enough for every bundled file and the validated checks many times over (a user's install writes a dozen).
KEEP_FILES = 256


def _cache_dir() -> Path | None:
    if os.environ.get("GUIDELINE_LINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "guideline-lint" / __version__


def load_trusted(path: Path) -> Any:
    stat = path.stat()
    key = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    folder = _cache_dir()
    cached = folder / f"{key}.pickle" if folder else None
    if cached is not None:
        try:
            with cached.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass

    # Our own files, but a user may have edited an installed copy: errors still name file and line.
    data = load_yaml(path, str(path), positions=False).data
    if cached is not None:
        _write_atomically(cached, data)
    return data


def load_manifest_yaml(path: Path, display: str, *, redact: bool = False) -> LoadedYaml:
    """``parse_yaml`` of the file's text (values and positions), parsed again only when the text or the parser
    changes. A file that does not parse raises its ``InputError`` every time: errors are never cached."""
    text = read_text(path, display)
    folder = _cache_dir()
    if folder is None:
        return parse_yaml(text, display, redact=redact)
    key = hashlib.sha1(f"{_parser_stamp()}|".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()
    cached = folder / f"manifest-{key}.pickle"
    try:
        with cached.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, LoadedYaml):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    loaded = parse_yaml(text, display, redact=redact)
    _write_atomically(cached, loaded)
    return loaded


@cache
def _parser_stamp() -> str:
    """Size and time of the parser's modules: a parse is only good for the code that made it."""
    package = Path(__file__).resolve().parent
    return "|".join(f"{p.name}|{s.st_size}|{s.st_mtime_ns}" for p in (package / "yamlio.py", package / "yamlnodes.py")
                    if (s := p.stat()))


@cache
def _code_stamp() -> str:
    """Size and time of the modules whose classes the pickles hold (the models, the kinds' parameters): a pickle
    is only good for the code that wrote it (a field added to a model would be missing from an older one)."""
    package = Path(__file__).resolve().parent
    modules = [package / "model.py", *package.glob("kinds/**/*.py")]
    return "|".join(f"{p.name}|{s.st_size}|{s.st_mtime_ns}" for p in sorted(modules) if (s := p.stat()))


def load_cached(name: str, sources: list[Path], build: Any) -> Any:
    """``build()``'s result, cached under ``name`` until any of ``sources`` or of our modules changes (path, size,
    mtime).

    Used for the validated bundled checks: validating ~200 checks costs more than the rest of a run."""
    folder = _cache_dir()
    if folder is None:
        return build()
    stamp = _code_stamp() + "|" + "|".join(f"{p}|{s.st_size}|{s.st_mtime_ns}" for p in sources if (s := p.stat()))
    cached = folder / f"{name}-{hashlib.sha1(stamp.encode()).hexdigest()}.pickle"
    try:
        with cached.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    _write_atomically(cached, value)
    return value


def _write_atomically(target: Path, data: Any) -> None:
    """Write then rename, so a concurrent run never reads half a file; a read-only home is fine."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, target)
    except OSError:
        return
    try:
        over = len(os.listdir(target.parent)) > KEEP_FILES  # names only: no stat while the folder is small
    except OSError:
        return
    if over:
        prune(target.parent, KEEP_FILES * 3 // 4)


def prune(folder: Path, keep: int | None = None) -> None:
    """Keep the ``keep`` (default ``KEEP_FILES``) newest cache files, delete the rest.

    Every edit of a bundled file or of our modules leaves a new pickle behind (a key names path, size and
    time), so without this the folder only grows: one day of development left 2,032 files (41 MB). A user's
    install writes a dozen. A write prunes only a folder over ``KEEP_FILES``, down to three quarters of it, so
    a process that checks many different manifests (each a new entry) stats the folder once per 64 writes, not
    at every one. A file deleted under a concurrent run is simply rebuilt by it."""
    try:
        entries = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                   if entry.name.endswith((".pickle", ".tmp")) and entry.is_file()]
    except OSError:
        return
    entries.sort(reverse=True)
    for _, path in entries[KEEP_FILES if keep is None else keep:]:
        with contextlib.suppress(OSError):
            os.remove(path)
