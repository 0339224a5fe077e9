"""A parse cache for the bundled YAML (checks, rulesets, catalogues).

ruamel.yaml's pure-Python parser needs about a millisecond per check; a linter that starts on every
commit should not pay that each time. Parsed documents are pickled under the user's cache folder,
keyed by path, size and modification time, so an edited file is parsed again. Only our own bundled
files go through here: pickles are never read from anywhere a user's input could have written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from guideline_lint import __version__
from guideline_lint.yamlio import load_yaml


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


def _code_stamp() -> str:
    """Size and time of every module of the package: a pickle of our models is only good for the code that
    wrote it (a field added to a model would be missing from an older pickle)."""
    package = Path(__file__).resolve().parent
    return "|".join(f"{p.name}|{s.st_size}|{s.st_mtime_ns}" for p in sorted(package.rglob("*.py")) if (s := p.stat()))


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
        pass
