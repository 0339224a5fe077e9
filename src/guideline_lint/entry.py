"""The console script and ``python -m guideline_lint``: the command line, with the garbage collector tuned
for a process that starts, judges and exits."""

from __future__ import annotations

import gc


def run() -> None:
    # A run builds many long-lived objects (pydantic validators, checks, findings) and frees few, so the
    # default threshold (a collection every 700 allocations) rescans them again and again: ~50 ms of a cold
    # `check`. Long-running commands (tracker serve, audit of a whole site) still collect, less often.
    gc.set_threshold(50_000, 20, 100)
    from guideline_lint.cli import main

    try:
        main()
    finally:
        # At exit the interpreter collects over every object once more (~100 ms here) only to free memory
        # the process is about to give back; freezing them skips that. Files are closed by their `with`s.
        gc.freeze()
