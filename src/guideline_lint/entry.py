"""The console script and ``python -m guideline_lint``: the command line, with the garbage collector tuned
and pydantic's plugin search skipped, for a process that starts, judges and exits."""

from __future__ import annotations

import gc
import os
import sys
import types


def run() -> None:
    # A run builds many long-lived objects (pydantic validators, checks, findings) and frees few, so the
    # default threshold (a collection every 700 allocations) rescans them again and again: ~50 ms of a cold
    # `check`. Long-running commands (tracker serve, audit of a whole site) still collect, less often.
    gc.set_threshold(50_000, 20, 100)
    skip_pydantic_plugin_search()
    from guideline_lint.cli import main

    try:
        main()
    finally:
        # At exit the interpreter collects over every object once more (~100 ms here) only to free memory
        # the process is about to give back; freezing them skips that. Files are closed by their `with`s.
        gc.freeze()


def skip_pydantic_plugin_search() -> None:
    """The package turns pydantic's plugins off (``PYDANTIC_DISABLE_PLUGINS``, see ``__init__``), but the module
    that would look for them is still imported when pydantic builds its first validator, and it imports
    ``importlib.metadata`` with zipfile, email and socket: 57 M instructions, 4 % of a cold ``check --no-pages``.
    While plugins are off that module only ever answers "none", so it is replaced by one that does just that.
    A user who names plugins to skip (or sets the variable empty) gets pydantic's own search."""
    name = "pydantic.plugin._loader"
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true") or name in sys.modules:
        return
    loader = types.ModuleType(name, "guideline-lint: pydantic plugins are off (see guideline_lint.entry)")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # (): pydantic's own answer when they are off
    sys.modules[name] = loader
