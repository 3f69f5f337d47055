"""Plain ASGI middleware wrapped around Streamlit's server: headers on every response, and the
help lines in the first page a visitor receives.

Plain ASGI; webserver/app.py puts it in front of the app.
"""

from __future__ import annotations

import html
import json
import logging
import re
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
# no camera, microphone or location. And the Content-Security-Policy (reflect/csp.py), given
# at start: only the app's own scripts run, and no other site can frame the app.
ALWAYS = MappingProxyType({
    b"referrer-policy": b"no-referrer",
    b"x-content-type-options": b"nosniff",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
})
CSP = b"content-security-policy"
# Content-hashed bundles may be cached for long; they hold nothing about a reader.
# The app's own served scripts too (webserver/assets.py): the same text for every visitor.
CACHEABLE_PREFIXES = ("/static/", "/favicon", "/reflect-assets/")


def _keeps_no_copy(path: str) -> bool:
    """Pages, downloads and app endpoints: nothing a browser or proxy should keep."""
    return not path.startswith(CACHEABLE_PREFIXES)


class SecurityHeaders:
    """Add the headers above and the policy to each HTTP response, and Cache-Control:
    no-store where due."""

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.always = [*ALWAYS.items(), (CSP, policy.encode("ascii"))]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = _keeps_no_copy(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, value) for name, value in message.get("headers", [])
                           if name.lower() not in ALWAYS and name.lower() != CSP
                           and not (no_store and name.lower() in (b"cache-control", b"expires",
                                                                  b"etag", b"last-modified"))]
                headers += self.always
                if no_store:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


log = logging.getLogger("reflect.web")
# The page Streamlit serves at "/" (and at any address it does not know, for its own routing).
_HTML_LANG = re.compile(rb"<html[^>]*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_ICON = re.compile(rb"<link[^>]*\brel=\"shortcut icon\"[^>]*>", re.IGNORECASE)
_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
# Streamlit's words for a browser without JavaScript address developers and AI agents (and
# point to its agent API, which this app turns off): a reader gets the app's own instead.
_NOSCRIPT = re.compile(rb"<noscript>.*?</noscript>", re.IGNORECASE | re.DOTALL)
# And the page's pointer to that agent API (answered 404 here, webserver/gate.py), with the
# comment that explains it.
_AGENT_POINTER = re.compile(
    rb"(<!--(?:(?!-->).)*?agent API(?:(?!-->).)*?-->\s*)?<link\s+rel=\"service-desc\"[^>]*>\s*",
    re.IGNORECASE | re.DOTALL)
# Streamlit's page asks for its 20 script modules up front (modulepreload). On a slow phone
# they all download at high priority before anything is painted, help lines included
# (Lighthouse mobile: first paint 3.0 s with them, 1.8 s without). Without the hints the
# browser finds the same modules as soon as the first one runs; time to interactive was the
# same (8.9 and 8.8 s), since the phone's bandwidth, not the order, sets it.
_MODULE_PRELOAD = re.compile(rb'<link\s+rel="modulepreload"[^>]*>\s*', re.IGNORECASE)
# Where the app's own scripts go: before Streamlit's, so they run first (webserver/app.py).
_STREAMLIT_SCRIPT = re.compile(rb'<script\s+type="module"', re.IGNORECASE)
MAX_PAGE_BYTES = 1 << 20  # Streamlit's page is about 8 KB; anything far larger is left alone


class FirstPaint:
    """Put the help lines into the first HTML page, in the language the browser asks for,
    and leave out the module preload hints that would hold back their paint on a slow phone.

    page_for(accept_language) returns an object with lang, title and block (an HTML string),
    or None to leave the help lines out (for example, while the content files are broken: the
    app then shows its own calm page). styles, the app's stylesheets every session draws
    (reflect/modes.page_stylesheets), go into every page, help lines or not, first in its
    body: after Streamlit's own styles in the head, so they win a tie as they did drawn by a
    run, and there for the whole visit, so no run sends them. The request's Accept-Encoding
    is dropped for the page only, so it comes back plain and can be edited;
    webserver/compress.py (or a proxy) compresses it after.
    """

    def __init__(self, app: ASGIApp, page_for: Callable[[str], Any], styles: str = "") -> None:
        self.app = app
        self.page_for = page_for
        self.styles = styles

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" \
                or not is_page_request(scope):
            await self.app(scope, receive, send)
            return
        wanted = b", ".join(value for name, value in scope.get("headers", [])
                            if name.lower() == b"accept-language").decode("latin-1")
        try:
            page = self.page_for(wanted)
        except Exception:  # never let the help lines stop the page itself
            log.exception("Building the first page's help lines failed")
            page = None
        if page is None and not self.styles:
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(n, v) for n, v in scope.get("headers", [])
                            if n.lower() != b"accept-encoding"]
        await _whole_response(self.app, scope, receive, send,
                              lambda start, body: _send_page(start, body, page, self.styles,
                                                             send))


async def _whole_response(app: ASGIApp, scope: Scope, receive: Receive, send: Send,
                          finish: Callable[[Message, bytes], Awaitable[None]]) -> None:
    """Run app, holding back its response until the whole body is in; then finish(start,
    body) sends it, changed as it needs. Any other message passes on as it comes."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def collect(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        await finish(start, b"".join(chunks))

    await app(scope, receive, collect)


def is_page_request(scope: Scope) -> bool:
    """A request for the app's page: a path with no file extension outside Streamlit's own."""
    path = scope.get("path", "")
    if path.startswith(("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")):
        return False
    return "." not in path.rsplit("/", 1)[-1] or path.endswith("/index.html")


async def _send_page(start: Message, body: bytes, page: Any, styles: str, send: Send) -> None:
    headers = list(start.get("headers", []))
    kind = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    encoded = any(n.lower() == b"content-encoding" for n, _ in headers)
    if start.get("status") == 200 and kind.startswith(b"text/html") and not encoded \
            and len(body) <= MAX_PAGE_BYTES and _BODY.search(body):
        body = _with_first_paint(body, page, styles)
        headers = [(n, v) for n, v in headers if n.lower() not in (b"content-length", b"vary")]
        headers += [(b"content-length", str(len(body)).encode()),
                    (b"vary", b"Accept-Language, Accept-Encoding")]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _with_first_paint(body: bytes, page: Any, styles: str = "") -> bytes:
    sheet = b"<style>" + styles.encode("utf-8") + b"</style>" if styles else b""
    if page is None:  # the stylesheets alone
        return _BODY.sub(lambda m: m.group(0) + sheet, body, count=1)
    lang = html.escape(page.lang, quote=True).encode()
    title = html.escape(page.title).encode()
    body = _HTML_LANG.sub(lambda m: b'<html lang="' + lang + b'">', body, count=1)
    body = _TITLE.sub(lambda m: b"<title>" + title + b"</title>", body, count=1)
    body = _MODULE_PRELOAD.sub(b"", body)
    noscript = b"<noscript>" + getattr(page, "noscript", "").encode("utf-8") + b"</noscript>"
    body = _NOSCRIPT.sub(lambda m: noscript, body)
    body = _AGENT_POINTER.sub(b"", body)
    icon = getattr(page, "icon", "")
    if icon:  # the app's own icon from the first byte, never Streamlit's crown
        link = b'<link rel="icon" type="image/svg+xml" href="' + html.escape(
            icon, quote=True).encode("ascii") + b'" />'
        body = _ICON.sub(lambda m: link, body, count=1)
    scripts = b"".join(b'<script defer src="' + html.escape(url, quote=True).encode("ascii")
                       + b'"></script>\n    ' for url in getattr(page, "scripts", ()))
    if scripts:  # deferred, as Streamlit's is: fetched alongside, run in order, after parsing
        found = _STREAMLIT_SCRIPT.search(body)
        at = found.start() if found else body.lower().find(b"</head>")
        if at >= 0:
            body = body[:at] + scripts + body[at:]
    block = page.block.encode("utf-8")
    return _BODY.sub(lambda m: m.group(0) + sheet + block, body, count=1)


HOST_CONFIG = "/_stcore/host-config"


class NoErrorDialogs:
    """Answer Streamlit's page, when it asks the server for its host settings, that it may not
    open its own error dialogs. Streamlit 1.67 reads blockErrorDialogs there once, at the
    first connection; set, a lost connection never shows a visitor "Is Streamlit still
    running? … streamlit run yourscript.py". The page's own script (assets/page.js) says
    instead, in the reader's words and language, that the connection is lost, with the
    crisis lines.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != HOST_CONFIG:
            await self.app(scope, receive, send)
            return
        await _whole_response(self.app, scope, receive, send,
                              lambda start, body: _send_host_config(start, body, send))


async def _send_host_config(start: Message, body: bytes, send: Send) -> None:
    headers = list(start.get("headers", []))
    if start.get("status") == 200:
        try:
            settings = json.loads(body)
        except ValueError:
            settings = None
        if isinstance(settings, dict):
            settings["blockErrorDialogs"] = True
            # No other site may talk to the page through postMessage (Streamlit lists its own
            # cloud hosts by default); the page cannot be framed anyway (frame-ancestors).
            settings["allowedOrigins"] = []
            body = json.dumps(settings).encode()
            headers = [(n, v) for n, v in headers if n.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def middleware(policy: str, page_for: Callable[[str], Any] | None = None,
               metrics: bool = False, allowed_origins: tuple[str, ...] = (),
               styles: str = "") -> list:
    """Return the middleware list for st.App(..., middleware=...), outermost first; policy is
    the Content-Security-Policy (reflect/csp.py's app_policy); page_for and styles, what goes
    into the first page (FirstPaint).

    The gate (webserver/gate.py) refuses uploads, operator routes and foreign origins, inside
    the headers layer so its refusals carry the same headers.
    """
    from starlette.middleware import Middleware

    from webserver.compress import Compress
    from webserver.gate import Gate

    layers = [Middleware(SecurityHeaders, policy=policy),
              Middleware(Gate, metrics=metrics, allowed_origins=allowed_origins),
              Middleware(NoErrorDialogs),
              # Outside the first paint: the page is compressed with its help lines in it.
              Middleware(Compress)]
    if page_for is not None:
        layers.append(Middleware(FirstPaint, page_for=page_for, styles=styles))
    return layers
