"""Where the bench scripts find the team's folder ``shared/`` (benchmarks, real-world files): beside the checkout
(``<parent>/shared`` for ``<parent>/<checkout>``), or further up when the checkout is a git worktree in a folder of
its own (``<parent>/<worktrees>/<name>``), as ``tests/helpers.SHARED`` finds it for the tests.

    from shared_folder import ACT, BENCHMARKS, SHARED  # bench/ is on the path of a script run as bench/<name>.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((folder / "shared" for folder in ROOT.parents if (folder / "shared").is_dir()), ROOT.parent / "shared")
BENCHMARKS = SHARED / "benchmarks"
ACT = BENCHMARKS / "act-rules"  # the W3C ACT Rules test cases (cases.json, cases/, test-assets/)
