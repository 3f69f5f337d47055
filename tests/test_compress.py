"""The first visit without a proxy: the page, Streamlit's bundles and the app's own scripts
come compressed, each compressed once per process (webserver/compress.py), and the page and
kiosk scripts are files the browser keeps (webserver/assets.py), not text sent in every run.

The layer is checked first on its own, against a small ASGI app (tests/asgi.py) (the real
Starlette answers are checked against the real server below): what it compresses, what it
never touches, and that a second visitor costs no compression.
"""

from __future__ import annotations

import asyncio
import gzip
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit.file_util import get_static_dir

from reflect import csp
from tests.asgi import TEXT, answer, fetch
from tests.browser_support import ROOT, choose, heading, open_app, press, running_server
from webserver.compress import Compress, Store, accepts_gzip


def test_a_bundle_is_compressed_for_a_browser_that_takes_gzip():
    layer = Compress(answer(extra=[(b"etag", b'"abc"')]))
    status, headers, body = fetch(layer)
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == TEXT
    assert int(headers[b"content-length"]) == len(body) < len(TEXT) / 5
    assert headers[b"vary"] == b"Accept-Encoding"
    # The same contents in another encoding: a weak validator, which Starlette still matches.
    assert headers[b"etag"] == b'W/"abc"'


def test_a_second_visitor_costs_no_compression():
    """Compressed once: the second answer for the same bundle (same path, same ETag) is the
    kept copy, and the same page bytes are compressed once too, whoever asks."""
    store = Store()
    layer = Compress(answer(extra=[(b"etag", b'"abc"')]), store)
    first = fetch(layer)
    second = fetch(layer)
    assert store.made == 1 and first == second
    pages = Compress(answer(kind=b"text/html; charset=utf-8"), store)
    fetch(pages, path="/")
    fetch(pages, path="/")
    assert store.made == 2
    # Other bytes at the same address (an edited help-line file, another language): new.
    other = Compress(answer(kind=b"text/html", body=TEXT + b"<p>es</p>"), store)
    fetch(other, path="/")
    assert store.made == 3


def test_the_kept_copies_stay_within_their_budget():
    store = Store(budget=3000)
    for number in range(5):
        store.put(("bytes", number), bytes(1000))
    assert store.size <= 3000 and list(store.items) == [("bytes", 2), ("bytes", 3),
                                                        ("bytes", 4)]
    store.put(("bytes", "huge"), bytes(4000))  # larger than the budget: never kept
    assert ("bytes", "huge") not in store.items


@pytest.mark.parametrize("case", [
    "no accept-encoding", "gzip refused", "download", "range", "already encoded",
    "partial", "not modified", "picture", "tiny", "head", "stream"])
def test_what_is_never_compressed_passes_exactly_as_it_came(case):
    path, headers, method = "/static/js/index.abc.js", [(b"accept-encoding", b"gzip")], "GET"
    app = answer()
    if case == "no accept-encoding":
        headers = []
    elif case == "gzip refused":
        headers = [(b"accept-encoding", b"gzip;q=0, identity")]
    elif case == "download":  # a reader's own file: exactly the bytes the app built
        path = "/media/abc.html"
        app = answer(kind=b"text/html")
    elif case == "range":
        headers.append((b"range", b"bytes=0-99"))
    elif case == "already encoded":
        app = answer(extra=[(b"content-encoding", b"gzip")])
    elif case == "partial":
        app = answer(status=206)
    elif case == "not modified":
        app = answer(status=304, body=b"")
    elif case == "picture":
        app = answer(kind=b"image/png")
    elif case == "tiny":
        app = answer(body=b"x" * 100)
    elif case == "head":
        method = "HEAD"
    elif case == "stream":  # an app route that is neither a page nor a bundle
        path = "/_stcore/host-config"
    layer = Compress(app)
    status, got, body = fetch(layer, path=path, headers=headers, method=method)
    assert b"content-encoding" not in got or case == "already encoded"
    assert body == fetch(app, path=path, headers=headers, method=method)[2]


def test_the_websocket_passes_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    async def run():
        await Compress(app)({"type": "websocket", "path": "/_stcore/stream", "headers": [
            (b"accept-encoding", b"gzip")]}, None, None)

    asyncio.run(run())
    assert seen == ["websocket"]


@pytest.mark.parametrize(("header", "takes"), [
    ("gzip, deflate, br, zstd", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("identity", False), ("gzip;q=0", False), ("GZIP", True), ("gzip;q=x", False)])
def test_accept_encoding_is_read_as_browsers_write_it(header, takes):
    assert accepts_gzip({"headers": [(b"accept-encoding", header.encode())]}) is takes


# The real server.

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("compress") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


def get(url, gzipped=True):
    headers = {"Accept-Encoding": "gzip, deflate, br"} if gzipped else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                timeout=20) as response:
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.headers, body


@pytest.mark.server
def test_the_served_page_and_bundles_come_compressed_and_whole(server):
    headers, page = get(server + "/")
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert b'id="reflect-first"' in page and b"988" in page  # the help lines went in first
    assert headers["Cache-Control"] == "no-store"
    script = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', page).group(1).decode()
    headers, bundle = get(f"{server}/{script}")
    assert headers["Content-Encoding"] == "gzip"
    assert bundle == (Path(get_static_dir()) / script).read_bytes()
    plain_headers, plain = get(f"{server}/{script}", gzipped=False)
    assert plain_headers.get("Content-Encoding") is None and plain == bundle


@pytest.mark.server
def test_the_page_and_kiosk_scripts_are_files_kept_by_their_fingerprint(server):
    for name in csp.SERVED:
        headers, text = get(server + csp.script_url(str(ROOT), name))
        assert text == (ROOT / "assets" / name).read_bytes()
        assert headers["Content-Type"].startswith("text/javascript")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Content-Encoding"] == "gzip"
        # An address of an earlier text gets today's, but is not kept.
        headers, text = get(f"{server}{csp.ASSETS_PATH}/{name}?v=0000000000000000")
        assert headers["Cache-Control"] == "no-cache"
        assert text == (ROOT / "assets" / name).read_bytes()
    for name in ("fresh-start.js", "app.css", "..%2Fapp.py"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(f"{server}{csp.ASSETS_PATH}/{name}")
        # A way out of the folder is refused by Streamlit's own path check, first.
        refused.value.close()
        assert refused.value.code == (400 if ".." in name else 404)


@pytest.mark.browser
def test_a_new_screen_brings_neither_the_page_script_nor_the_stylesheets_again(browser,
                                                                                server):
    """In Chromium: the page script comes once, from its address, and the stylesheets with
    the page itself, where they apply to every screen; no run's frames carry either. Each new
    screen still runs the page script again (the bar, the page's language, focus on the
    heading)."""
    page = browser.new_page()
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda f: frames.append(f if isinstance(f, bytes) else f.encode())))
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if csp.ASSETS_PATH in r.url else None)
    open_app(page, server)
    script = (ROOT / "assets" / "page.js").read_text(encoding="utf-8")
    sheet = (ROOT / "assets" / "app.css").read_text(encoding="utf-8")
    # A line of each, long enough to be theirs alone.
    script_line = max(script.splitlines(), key=len).strip().encode()
    sheet_line = max(sheet.splitlines(), key=len).strip().encode()
    assert frames and not any(script_line in f or sheet_line in f for f in frames)
    # The sheet came with the page, in its body, and holds for the screen: app.css hides
    # Streamlit's header and the hidden controls.
    assert page.evaluate("(line) => [...document.querySelectorAll('body > style')]"
                         ".some((style) => style.textContent.includes(line))",
                         sheet_line.decode())
    assert page.locator("header[data-testid=stHeader]").is_hidden()
    assert page.locator(".st-key-reflect_sync button").is_hidden()
    for label, button, title in ((None, "Start the reflection", "Question 1 of 4"),
                                 ("Sometimes, or partly", "Next", "Question 2 of 4")):
        if label:
            choose(page, label)
        frames.clear()
        press(page, button)
        assert heading(page) == title
        assert frames and not any(script_line in f or sheet_line in f for f in frames)
        # The page script ran for this screen: focus on its heading, the bar's Listen there.
        page.wait_for_function("() => document.activeElement?.tagName === 'H1'")
        assert page.locator("#reflect-listen").count() == 1
    assert [url.split("?")[0].rsplit("/", 1)[-1] for url in fetched] == ["page.js"]
    page.close()


@pytest.mark.browser
def test_a_page_that_came_without_the_page_script_loads_it_and_runs_it(browser, server):
    """The first page asks for page.js before Streamlit's own script, so the runner finds it
    on the first screen. A page sent unchanged (the content files were broken as it was
    served) has no such line: the runner then loads page.js by its address, and runs it.
    (Here the page forgets the page script it had, so the next screen is drawn without it.)"""
    page = browser.new_page()
    open_app(page, server)
    assert page.locator('head script[src^="/reflect-assets/page.js?v="]').count() == 1
    page.evaluate("delete window.reflectPage")
    press(page, "Start the reflection")
    page.wait_for_function("() => typeof window.reflectPage === 'function'")
    page.wait_for_function("() => document.activeElement?.tagName === 'H1'")
    assert heading(page) == "Question 1 of 4"
    # Loaded once more by the runner, and run for this screen: the bar is still there.
    assert page.locator('head script[src^="/reflect-assets/page.js?v="]').count() == 2
    assert page.locator("#reflect-listen").count() == 1
    page.close()
