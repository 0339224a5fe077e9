"""Connections a silent or slow client holds open cannot starve everyone else.

uvicorn has no timeout for a request's head: a client that connects and sends nothing (or half a
head) keeps its connection for good, and ``limit_concurrency`` counts it, so a few hundred such
sockets turn every later request into a 503. The protocol here closes a connection that has no
request in progress ``header_timeout`` seconds after it opened or answered, and when the open
connections reach the limit a new one closes the connection that has waited longest without a
request. Slow bodies are :class:`~.middleware.BodyLimit`'s job.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import uvicorn

try:  # the protocol uvicorn itself prefers when httptools is installed
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools comes with uvicorn[standard]
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base  # type: ignore[assignment]

HEADER_TIMEOUT_S = 10.0
# The order in which connections began to wait for a request head. Not the loop's clock: uvloop's has millisecond
# steps, so many connections of one burst tie, and the one evicted first was any of them, not the oldest.
_WAITING_ORDER = itertools.count()


class GuardedProtocol(_Base):  # type: ignore[misc, valid-type]
    """uvicorn's HTTP protocol plus a deadline for each request head and room-making at the limit."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.header_timeout: float = getattr(config, "header_timeout", HEADER_TIMEOUT_S)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_order = 0
        self._evicted = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()
        self._make_room()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # a kept-alive connection gets the same time for its next request head

    def waiting(self) -> bool:
        """No request in progress: nothing would be lost by closing it."""
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._waiting_order = next(_WAITING_ORDER)
        self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _expire(self) -> None:
        if self.waiting():
            self.transport.close()

    def _make_room(self) -> None:
        limit = self.limit_concurrency
        if limit is None:
            return
        live = list(self.connections)
        idle = sorted((c for c in live if c is not self and isinstance(c, GuardedProtocol) and c.waiting()),
                      key=lambda c: c._waiting_order)
        # Keep the count under the limit: uvicorn answers 503 to a request arriving at the limit.
        for connection in idle[:max(0, len(live) - limit + 1)]:
            connection._evicted = True
            connection.transport.close()
            # The loop reports the loss later, maybe after this connection's request head: count it gone now.
            self.connections.discard(connection)


def uvicorn_config(app: Any, *, host: str, port: int, max_connections: int = 200,
                   header_timeout: float = HEADER_TIMEOUT_S, log_level: str = "warning",
                   **options: Any) -> uvicorn.Config:
    """The uvicorn settings of the tracker (used by ``serve`` and the tests alike).

    ``limit_concurrency`` answers 503 beyond that many connections or running requests instead of queueing
    without bound; ``timeout_keep_alive`` closes idle kept-alive connections; the guarded protocol closes
    connections whose request head does not come."""
    config = uvicorn.Config(app, host=host, port=port, limit_concurrency=max_connections, timeout_keep_alive=5,
                            http=GuardedProtocol, log_level=log_level, access_log=False, **options)
    config.header_timeout = header_timeout  # type: ignore[attr-defined]  # read by GuardedProtocol
    return config
