"""Headers every response carries: plain ASGI middleware, wrapped around Streamlit's server.

It never imports streamlit; server.py puts it in front of the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from types import MappingProxyType
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# On every response: send no Referer when a reader follows a link (the page address says
# nothing, but the next site need not know where a reader came from); never guess a type;
# never be framed by another site; no camera, microphone or location.
ALWAYS = MappingProxyType({
    b"referrer-policy": b"no-referrer",
    b"x-content-type-options": b"nosniff",
    b"content-security-policy": b"frame-ancestors 'none'",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
})
# Content-hashed bundles may be cached for long; they hold nothing about a reader.
CACHEABLE_PREFIXES = ("/static/", "/favicon")


def _keeps_no_copy(path: str) -> bool:
    """Pages, downloads and app endpoints: nothing a browser or proxy should keep."""
    return not path.startswith(CACHEABLE_PREFIXES)


class SecurityHeaders:
    """Add the headers above to each HTTP response, and Cache-Control: no-store where due."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = _keeps_no_copy(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, value) for name, value in message.get("headers", [])
                           if name.lower() not in ALWAYS
                           and not (no_store and name.lower() in (b"cache-control", b"expires",
                                                                  b"etag", b"last-modified"))]
                headers += list(ALWAYS.items())
                if no_store:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware() -> list:
    """Return the middleware list for st.App(..., middleware=...), outermost first."""
    from starlette.middleware import Middleware

    return [Middleware(SecurityHeaders)]
