"""ASGI middleware of the tracker: request body limits (size and time) and security headers on every answer.

Plain ASGI rather than BaseHTTPMiddleware: cheaper per request, and it sees the body before FastAPI does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import JSONResponse


def _msg(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, by header or, for chunked uploads, by reading
    at most ``limit`` bytes before the application sees the request (frameworks turn errors raised while
    they read the body into a 400); a body that takes longer than ``timeout`` seconds gets 408."""

    def __init__(self, app: Any, limit: int, timeout: float = 60.0) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                       send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunks.append(message.get("body", b""))
                    size += len(chunks[-1])
                    if size > self.limit:
                        await self._refuse(scope, receive, send)
                        return
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            detail = _msg(f"報告の受信が {self.timeout:g} 秒以内に終わりませんでした。",
                          f"the report did not arrive within {self.timeout:g} seconds.")
            await JSONResponse({"detail": detail}, status_code=408, headers={"connection": "close"})(
                scope, receive, send)
            return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        detail = _msg(f"報告が大きすぎます（上限 {self.limit} バイト）。",
                      f"the report is too large (limit {self.limit} bytes).")
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


SECURITY_HEADERS = {
    # Pages use no script at all and only our own stylesheet.
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: cheaper than a BaseHTTPMiddleware per request)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in self.headers if k not in present]]
            await send(message)

        await self.app(scope, receive, with_headers)
