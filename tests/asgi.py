"""A small ASGI app and a request to an ASGI layer, for checking the server's own layers
(webserver/) on their own; the real Starlette answers are checked against a real server."""

from __future__ import annotations

import asyncio
import concurrent.futures

TEXT = b"let reflect = 'a bundle';\n" * 400  # 10 KB of script, as a bundle is


def answer(status=200, kind=b"text/javascript", body=TEXT, extra=()):
    """A small ASGI app that answers every request the same way, counting its requests."""
    calls = []

    async def app(scope, receive, send):
        calls.append(scope.get("path"))
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                   *extra]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        # In two pieces, as Starlette's FileResponse sends a file in chunks.
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:], "more_body": False})

    app.calls = calls
    return app


def fetch(layer, path="/static/js/index.abc.js", headers=((b"accept-encoding", b"gzip, br"),),
          method="GET"):
    """One request through layer: its status, headers and whole body."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": list(headers)}
    # In a thread of its own: a browser test before may have left Playwright's event loop
    # running in this one, where asyncio.run cannot start another.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, layer(scope, receive, send)).result(timeout=30)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body
