"""Progress of a page audit on standard error, for people at a terminal and for CI logs.

- At a terminal: one line redrawn in place (``\\r``), cut to the terminal's width so it never wraps into one
  line per page.
- Elsewhere (a CI log, a file): plain lines, so a long audit shows it is alive; at most one every
  ``interval`` seconds (and always the last), so 2,000 fast pages do not flood the log.
- ``--quiet``: nothing.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

BAR = 20


class Progress:
    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None, interval: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = not quiet and total > 0
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = interval
        self.clock = clock
        self.done = 0
        self.failed = 0
        self._last = clock() - interval  # the first page is always reported
        self._lock = threading.Lock()

    def step(self, name: str, ok: bool = True) -> None:
        """One page finished (``ok`` False: it could not be audited)."""
        if not self.enabled:
            return
        with self._lock:
            self.done += 1
            self.failed += not ok
            if self.terminal:
                self._redraw(name)
            else:
                self._log(name, ok)

    def _redraw(self, name: str) -> None:
        filled = BAR * self.done // self.total
        line = f"[{'#' * filled}{'.' * (BAR - filled)}] {self.done}/{self.total} {name}"
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)  # one column spare: no wrap at the edge
        self.stream.write("\r" + line[:width].ljust(width))
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()

    def _log(self, name: str, ok: bool) -> None:
        now = self.clock()
        if self.done < self.total and now - self._last < self.interval:
            return
        self._last = now
        state = "" if ok else " (could not be audited)"
        failed = f", {self.failed} could not be audited" if self.failed else ""
        if self.done == self.total:
            self.stream.write(f"guideline-lint: {self.done}/{self.total} pages audited{failed}\n")
        else:
            self.stream.write(f"guideline-lint: [{self.done}/{self.total}] {name}{state}\n")
        self.stream.flush()
