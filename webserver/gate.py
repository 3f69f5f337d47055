"""The server's front gate, as plain ASGI middleware: routes this app never offers, and
connections from other sites, are refused before Streamlit sees them.

- Uploads: the app has no file uploader, yet Streamlit accepts files for any live session
  on /_stcore/upload_file. Refused, whatever the method.
- Operator routes: /_stcore/metrics (unless the operator turns it on) and the agent API under
  /_stcore/agent answer 404. Behind a proxy every request comes from loopback, so "local
  only" would open them to everyone.
- Foreign origins: a request whose Origin is not this server (the same host and port as its
  Host header) nor one the operator listed is refused with 403. Streamlit's own check would
  ask a public service for this machine's address for such an Origin, blocking the server
  and telling a third party. No Origin at all stays allowed, for non-browser clients.

Plain ASGI; webserver/middleware.py puts it in front of the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import MappingProxyType
from urllib.parse import urlsplit

from webserver.middleware import ASGIApp, Receive, Scope, Send

# A route under /_stcore/, also after a base path: (^|/)_stcore/<name>(/...|end).
_UPLOADS = re.compile(r"(^|/)_stcore/upload_file(/|$)")
_AGENT = re.compile(r"(^|/)_stcore/agent(/|$)")
_METRICS = re.compile(r"(^|/)_stcore/metrics(/|$)")
DEFAULT_PORTS = MappingProxyType({"http": 80, "https": 443})

Origin = tuple[str, str, int]  # scheme, host (lower case), port


def parse_origin(value: str) -> Origin | None:
    """Return an Origin header's scheme, host and port, or None if it is not a web origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _host_and_port(host: str, default_port: int) -> tuple[str, int] | None:
    """Return a Host header's name and port; a missing port is the scheme's default."""
    try:
        parts = urlsplit("//" + host.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, port or default_port


def same_origin(origin: Origin, host: str) -> bool:
    """Say whether an origin names the server the request was sent to (its Host header).

    A Host without a port means the default port of the scheme the browser used.
    """
    scheme, name, port = origin
    return _host_and_port(host, DEFAULT_PORTS[scheme]) == (name, port)


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v for n, v in scope.get("headers", []) if n.lower() == name]
    return values[0].decode("latin-1") if values else None


class Gate:
    """Refuse uploads, operator routes and foreign origins; pass everything else on."""

    def __init__(self, app: ASGIApp, metrics: bool = False,
                 allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.metrics = metrics
        self.allowed = {parsed for parsed in map(parse_origin, allowed_origins) if parsed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if _UPLOADS.search(path) or _AGENT.search(path) or (
                not self.metrics and _METRICS.search(path)):
            await _refuse(scope, send, 404, b"Not found", receive)
            return
        origin_header = _header(scope, b"origin")
        if origin_header is not None:
            origin = parse_origin(origin_header)
            host = _header(scope, b"host") or ""
            same = origin is not None and same_origin(origin, host)
            if not (same or origin in self.allowed):
                await _refuse(scope, send, 403, b"Forbidden", receive)
                return
            if not same:
                # Listed by the operator. Streamlit would now look for this machine's public
                # address to decide; the gate has decided, so hand it a same-origin request.
                scope = dict(scope)
                scope["headers"] = [
                    (n, f"{origin[0]}://{host}".encode("latin-1") if n.lower() == b"origin"
                     else v) for n, v in scope.get("headers", [])]
        await self.app(scope, receive, send)


# A refused request's body is read and dropped, up to this much, so that a client still
# sending it gets the answer instead of a broken connection. Nothing of it is kept.
DRAIN_BYTES = 2 * 1024 * 1024


async def _refuse(scope: Scope, send: Send, status: int, words: bytes,
                  receive: Receive) -> None:
    if scope["type"] == "websocket":
        # Closing before accepting makes the server answer the handshake with 403.
        await send({"type": "websocket.close", "code": 1008})
        return
    read = 0
    while read <= DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            break
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(words)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": words})
