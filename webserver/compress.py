"""Compressed answers for the first visit, compressed once per process, not per request.

Streamlit 1.67 compresses its other routes, but on purpose not the page ("/") nor its
content-hashed bundles (/static/): compressing them again for every visitor costs CPU under
load, and it leaves them to a proxy. Served without one (the README's run command, or behind
a proxy that does not compress), a first visit is then about 2.7 MB, most of it script text
that gzip makes about a third of that. Here each answer is compressed the first time it is
asked for and kept in memory: a bundle by its path and ETag (its name carries its contents'
hash), the page and the app's own scripts by their exact bytes. After that a visitor costs a
dictionary lookup, never a compression, so many visitors at once pay nothing for it.

What is compressed: the app's page, Streamlit's /static/ bundles and the app's own scripts
(/reflect-assets/), when the browser accepts gzip, for a whole 200 answer of a text type.
Never: downloads (/media/, the reader's own files, exactly the bytes built), the WebSocket,
a range request, an answer already encoded, or anything else (Streamlit's own gzip covers its
other routes). Compression is Python's own zlib (gzip level 9, the most it can, since it is
done once); a large bundle is compressed in a worker thread, so the other visitors' sessions
are never held up by it.

This layer sits outside the first-paint layer (webserver/middleware.py): the page is
compressed after the help lines are put in.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import threading
from collections import OrderedDict

from webserver.middleware import ASGIApp, Message, Receive, Scope, Send, is_page_request

PREFIXES = ("/static/", "/reflect-assets/")
TYPES = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml")
MIN_BYTES = 1024  # smaller answers gain less than the gzip header costs them
THREAD_BYTES = 64 * 1024  # larger ones are compressed away from the event loop
LEVEL = 9
# At most this much compressed text is kept (Streamlit's whole /static/ folder, every
# bundle of every widget, is about 7 MB compressed; a first visit uses about 0.8 MB).
BUDGET_BYTES = 16 * 1024 * 1024


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's Accept-Encoding takes gzip (and does not refuse it with q=0)."""
    for name, value in scope.get("headers", []):
        if name.lower() != b"accept-encoding":
            continue
        for item in value.decode("latin-1").lower().split(","):
            coding, _, params = item.strip().partition(";")
            if coding.strip() in ("gzip", "*"):
                quality = params.strip().removeprefix("q=").strip() if params else "1"
                try:
                    if float(quality) > 0:
                        return True
                except ValueError:
                    continue
    return False


def _header(headers: list, name: bytes) -> bytes | None:
    return next((v for n, v in headers if n.lower() == name), None)


class Store:
    """Compressed bodies by key, least recently used dropped first past the budget.
    Shared by the event loop and worker threads, so guarded by a lock."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget, self.size = budget, 0
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()
        self.made = 0  # how many compressions ran: the tests read it

    def get(self, key: tuple) -> bytes | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple, body: bytes) -> None:
        with self.lock:
            self.made += 1
            if key in self.items or len(body) > self.budget:
                return
            self.items[key] = body
            self.size += len(body)
            while self.size > self.budget:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)


def _compress(body: bytes) -> bytes:
    # mtime=0: the same bytes give the same answer, whenever they are compressed.
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


class Compress:
    """The ASGI layer; see the module's docstring."""

    def __init__(self, app: ASGIApp, store: Store | None = None) -> None:
        self.app = app
        self.store = store if store is not None else Store()

    def _wanted(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        path = scope.get("path", "")
        if not (path.startswith(PREFIXES) or is_page_request(scope)):
            return False
        if _header(scope.get("headers", []), b"range") is not None:
            return False
        return accepts_gzip(scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._wanted(scope):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        start: Message | None = None
        held: list[bytes] = []
        bundle_key: tuple | None = None  # a bundle's (path, ETag): its contents, named
        passing = False  # True once the answer is one this layer leaves as it is
        done = False  # True once the compressed answer was sent: what follows is dropped

        async def relay(message: Message) -> None:
            nonlocal start, bundle_key, passing, done
            if done:
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                kind = _header(headers, b"content-type") or b""
                if message.get("status") != 200 or not kind.startswith(TYPES) \
                        or _header(headers, b"content-encoding") is not None:
                    passing = True
                    await send(message)
                    return
                start = message
                etag = _header(headers, b"etag")
                # A bundle's ETag names its contents: its compressed copy may be sent at
                # once, and the file's bytes Streamlit goes on to send are not needed.
                if etag is not None and path.startswith(PREFIXES):
                    bundle_key = ("etag", path, etag)
                    found = self.store.get(bundle_key)
                    if found is not None:
                        done = True
                        await self._send(start, found, send)
                return
            if passing or message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            held.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            done = True
            body = b"".join(held)
            await self._send_compressed(start, body, bundle_key, send)

        await self.app(scope, receive, relay)

    async def _send_compressed(self, start: Message, body: bytes, bundle_key: tuple | None,
                               send: Send) -> None:
        if len(body) < MIN_BYTES:
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        key = bundle_key or ("bytes", hashlib.blake2b(body, digest_size=20).digest())
        found = self.store.get(key)
        if found is None:
            found = (await asyncio.to_thread(_compress, body) if len(body) > THREAD_BYTES
                     else _compress(body))
            self.store.put(key, found)
        await self._send(start, found, send)

    @staticmethod
    async def _send(start: Message, body: bytes, send: Send) -> None:
        headers = []
        for name, value in start.get("headers", []):
            lower = name.lower()
            if lower in (b"content-length", b"content-encoding"):
                continue
            if lower == b"etag" and not value.startswith(b"W/"):
                # The same contents, another encoding: a weak validator, which Starlette's
                # own check for a repeat visit (If-None-Match) still matches.
                value = b"W/" + value
            if lower == b"vary":
                continue
            headers.append((name, value))
        vary = _header(list(start.get("headers", [])), b"vary")
        vary = vary if vary and b"accept-encoding" in vary.lower() else (
            vary + b", Accept-Encoding" if vary else b"Accept-Encoding")
        headers += [(b"content-encoding", b"gzip"), (b"content-length", str(len(body)).encode()),
                    (b"vary", vary)]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
