"""deploy/nginx/reflect.conf for real: Debian's nginx on loopback in front of three app
processes. Every visitor stays on one process (its download is found there), visitors spread
over the processes, and stopping one leaves the others' visitors untouched while new visitors
land on the survivors. Correctness only; throughput is a benchmark."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gzip
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pytest
import websockets

from reflect import csp
from reflect.content import load_content
from tests import contacts
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    CspWatch,
    click,
    free_port,
    heading,
    open_app,
    start_process,
    stop_process,
    walk_to_close,
)
from tests.nginx_support import certificate, start_nginx
from tests.protocol import Session

pytestmark = pytest.mark.server  # real servers behind a real nginx

ROOT = Path(__file__).resolve().parent.parent
# One app process: the real app, plus the tests' session listing.
BACKEND = [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/inspect_app.py",
           "--server.port", "PORT"]


@pytest.fixture(scope="module")
def trust(tmp_path_factory):
    """The test's own certificate authority: a throwaway self-signed certificate, trusted by
    this process's Python clients (urllib, websockets) through SSL_CERT_FILE."""
    folder = tmp_path_factory.mktemp("tls")
    cert = certificate(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SSL_CERT_FILE", str(cert))
        yield folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, trust):
    folder = trust
    ports = [free_port() for _ in range(3)]
    processes = [start_process(BACKEND, port, folder / f"app{n}.log")
                 for n, port in enumerate(ports)]
    backends = [f"http://localhost:{port}" for port in ports]
    try:
        listen, plain = free_port(), free_port()
        nginx = start_nginx(folder, listen, ports, plain=plain, cert=certificate(trust))
        yield f"https://localhost:{listen}", backends, processes, f"http://localhost:{plain}"
        nginx.terminate()
        nginx.wait(timeout=10)
    finally:
        for process in processes:
            stop_process(process)


def route_cookie(front: str) -> dict:
    """A new visitor: nginx gives it a route cookie on the first page."""
    with urllib.request.urlopen(front + "/", timeout=10) as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
    assert cookie.startswith("reflect_route=")
    return {"Cookie": cookie}


def holder(backends: list[str], session_id: str) -> int:
    """Which app process holds a session."""
    found = []
    for number, url in enumerate(backends):
        try:
            with urllib.request.urlopen(url + "/api/test/sessions", timeout=5) as response:
                if session_id in {s["id"] for s in json.loads(response.read())}:
                    found.append(number)
        except OSError:
            continue
    assert len(found) == 1, found
    return found[0]


async def visit(front: str, headers: dict, pause: float = 0.0) -> Session:
    async with Session(front, headers=headers) as tab:
        await tab.press("Start the reflection")
        for answer in ("Yes, this fits me", "Sometimes, or partly", "No, not really",
                       "Sometimes, or partly"):
            await tab.choose(answer)
            await tab.press("Next")
            await asyncio.sleep(pause)
        await tab.press("Ways people find help")
        await tab.press("What to do next")
        await tab.tick_all(["Emotional relief"])
        tab.downloaded = await tab.download("Download as a web page")
        return tab


def test_visitors_stay_on_one_process_and_spread_over_all(cluster):
    front, backends, *_ = cluster

    async def many():
        tabs = []
        for _ in range(12):
            headers = route_cookie(front)
            tab = Session(front, headers=headers)
            await tab.__aenter__()
            tabs.append(tab)
        homes = [holder(backends, tab.session_id) for tab in tabs]
        for tab in tabs:
            await tab.__aexit__(None, None, None)
        return homes

    homes = asyncio.run(many())
    assert len(set(homes)) >= 2, homes  # the route cookie spreads visitors

    async def complete():
        headers = route_cookie(front)
        tab = await visit(front, headers)
        return tab

    tab = asyncio.run(complete())
    # The download is served by the process that built it, reached through nginx by cookie.
    assert b"Emotional relief" in tab.downloaded
    assert b"File code" in tab.downloaded


def fetch_raw(url: str, headers: dict) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def test_text_comes_back_compressed_and_bundles_are_kept_long(cluster):
    front, backends, *_ = cluster
    page, headers = fetch_raw(front + "/", {"Accept-Encoding": "gzip",
                                            "Accept-Language": "es"})
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "no-store"  # the page itself is never kept
    html = gzip.decompress(page).decode("utf-8")
    phone = contacts.first_phone(load_content(ROOT))
    assert "¿Necesita ayuda ahora?" in html and phone in html  # the help lines survive
    script = html.split('<script type="module" crossorigin src="./')[1].split('"')[0]
    plain, _ = fetch_raw(backends[0] + "/" + script, {})
    for asked, encoding in (({"Accept-Encoding": "gzip"}, "gzip"), ({}, None)):
        body, headers = fetch_raw(front + "/" + script, asked)
        assert headers.get("content-encoding") == encoding
        assert (gzip.decompress(body) if encoding else body) == plain
        assert "max-age=31536000" in headers["cache-control"]
        assert "immutable" in headers["cache-control"]
    zipped, _ = fetch_raw(front + "/" + script, {"Accept-Encoding": "gzip"})
    assert len(zipped) < 0.4 * len(plain)
    styles = [part.split('"')[0] for part in html.split('href="./')[1:]
              if part.split('"')[0].endswith(".css")]
    for sheet in styles:
        _, headers = fetch_raw(front + "/" + sheet, {"Accept-Encoding": "gzip"})
        assert headers["content-encoding"] == "gzip", sheet
        assert "max-age=31536000" in headers["cache-control"]


def chromium_walk(front: str) -> tuple[str, str, str, str, list[str]]:
    """A reader in Chromium, through nginx: the welcome, a walk to the close, a download,
    and the protocol each of the page's requests came over."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = CspWatch(playwright.chromium.launch(executable_path=CHROMIUM,
                                                      args=CHROMIUM_FLAGS))
        try:
            # The test's certificate is its own: Chromium is told to accept it.
            page = browser.new_page(ignore_https_errors=True)
            open_app(page, front + "/")
            welcome = heading(page)
            protocols = page.evaluate("performance.getEntriesByType('navigation')"
                                      ".concat(performance.getEntriesByType('resource'))"
                                      ".map((entry) => entry.nextHopProtocol)")
            walk_to_close(page, ["Yes, this fits me", "Sometimes, or partly", "No, not really",
                                 "Sometimes, or partly"])
            close = heading(page)
            click(page, page.get_by_text("Emotional relief", exact=True))
            with page.expect_download() as caught:
                page.get_by_role("button", name="Download as a web page").click()
            html = Path(caught.value.path()).read_text(encoding="utf-8")
            state = page.locator("[data-testid=stApp]").get_attribute(
                "data-test-connection-state")
            # The app's policy passes through the proxy, and nothing on the way broke it.
            assert browser.take() == []
            return welcome, close, html, state, protocols
        finally:
            browser.close()


@pytest.mark.browser
def test_a_reader_walks_to_the_close_and_downloads_through_nginx_in_chromium(cluster):
    front, *_ = cluster
    # In a thread of its own: Playwright's sync API keeps an event loop running in the thread
    # it starts in, and the protocol tests here need asyncio.run in the main thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        welcome, close, html, state, protocols = pool.submit(chromium_walk, front).result(
            timeout=300)
    # HTTP/2: the page and its 80 or so files on one connection, one TLS handshake (on
    # HTTP/1.1 a browser opens six, each with its own; bench/README.md, goal 5).
    assert protocols and set(protocols) == {"h2"}, protocols
    assert welcome == "A private reflection on coping"
    assert close == "Talk with a professional"
    assert "Emotional relief" in html and "File code" in html  # /media/ through nginx
    assert state == "CONNECTED"  # the WebSocket, through nginx


def test_stopping_one_process_leaves_the_others_visitors_untouched(cluster):
    front, backends, processes, _ = cluster

    async def run():
        cookies = [route_cookie(front) for _ in range(9)]
        tabs = [Session(front, headers=c) for c in cookies]
        for tab in tabs:
            await tab.__aenter__()
            await tab.press("Start the reflection")
            await tab.choose("Yes, this fits me")
        homes = [holder(backends, tab.session_id) for tab in tabs]
        victim = homes[0]
        # Stop one process mid-questionnaire.
        stop_process(processes[victim])
        await asyncio.sleep(1)
        survivors = [tab for tab, home in zip(tabs, homes, strict=True) if home != victim]
        assert survivors
        for tab in survivors:  # untouched: the answer given before is still there
            await tab.press("Next")
            await tab.press("Back")
            assert tab.screen.radios()[-1].options[0] == "Yes, this fits me"
            assert "Question 1 of 4" in tab.screen.text()
        for tab in tabs:  # the stopped process's visitors too: their sockets are dead
            with contextlib.suppress(Exception):
                await tab.__aexit__(None, None, None)
        # New visitors, whatever their cookie, land on a survivor and can finish.
        for _ in range(6):
            tab = await visit(front, route_cookie(front))
            assert b"Emotional relief" in tab.downloaded
        return victim

    asyncio.run(run())


def test_metrics_are_not_reachable_through_nginx(cluster):
    front, backends, *_ = cluster
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(front + "/_stcore/metrics", timeout=5)
    assert refused.value.code == 404
    refused.value.close()


# What nginx adds to every response over TLS, whoever made it; the app sends the other four
# itself (webserver/middleware.py), and nginx adds its own only to what it answers itself.
HSTS = "max-age=31536000"
SECURITY_HEADERS = ("content-security-policy", "referrer-policy", "x-content-type-options",
                    "permissions-policy")


def answer(url: str, headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request, as it comes: any status, no redirect followed, TLS trusted through
    SSL_CERT_FILE."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=20,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                           headers=headers or {})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def assert_headers_once(url: str, headers: http.client.HTTPMessage, tls: bool = True) -> None:
    """Each security header exactly once (none lost, none doubled), HSTS over TLS, and a
    Server header with no version."""
    for name in SECURITY_HEADERS:
        assert len(headers.get_all(name) or []) == 1, (url, name, headers.get_all(name))
    if tls:
        assert headers.get_all("strict-transport-security") == [HSTS], url
    assert headers["server"] == "nginx", (url, headers["server"])


def handshake(port: int, version: ssl.TLSVersion, cert: Path) -> str:
    """The protocol a TLS handshake at exactly this version ends with, or the server's
    refusal."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(str(cert))
    with warnings.catch_warnings():  # asking for TLS 1.0 and 1.1 is deprecated: that's the point
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = context.maximum_version = version
    context.set_ciphers("ALL:@SECLEVEL=0")  # the client offers anything; the server decides
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock, \
                context.wrap_socket(sock, server_hostname="localhost") as tls:
            return tls.version()
    except ssl.SSLError as refused:
        return refused.reason


def test_only_tls_modern_protocols_hsts_and_the_security_headers_on_every_response(
        cluster, trust):
    front, backends, _, plain = cluster
    _, _, body = answer(front + "/")
    script = body.decode("utf-8").split('<script type="module" crossorigin src="./')[1]
    script = script.split('"')[0]
    seen = {}
    for path in ("/", "/" + script, "/_stcore/health", "/_stcore/host-config",
                 "/_stcore/metrics", "/no/such/page"):
        status, headers, _ = answer(front + path)
        assert_headers_once(path, headers)
        seen[path] = (status, headers["content-security-policy"])
    # The app's own policy (its script hashes) passes through; nginx's own 404 gets nginx's.
    assert seen["/"][0] == 200 and "'sha256-" in seen["/"][1]
    assert seen["/_stcore/metrics"] == (404, seen["/_stcore/metrics"][1])
    assert seen["/_stcore/metrics"][1].startswith("default-src 'none'")
    # The route cookie is Secure now, and bundles that any cache may keep carry none.
    _, page, _ = answer(front + "/")
    assert "; Secure;" in page["set-cookie"] and "SameSite=Strict" in page["set-cookie"]
    _, bundle, _ = answer(front + "/" + script)
    assert bundle["set-cookie"] is None
    assert "immutable" in bundle["cache-control"]
    # The app's own page script, which every screen loads by its address, is shared the same.
    _, served, _ = answer(front + csp.script_url(str(ROOT), "page.js"))
    assert served["set-cookie"] is None
    assert served["cache-control"] == "public, max-age=31536000, immutable"
    # Plain http only points to https: the same path and query, with the headers too.
    status, headers, body = answer(plain + "/a/path?lang=es")
    assert status == 301
    assert headers["location"] == front + "/a/path?lang=es"
    assert_headers_once("redirect", headers, tls=False)
    # Except a certificate authority's challenge, served from its folder over plain http.
    challenge = trust / "acme" / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True, exist_ok=True)
    (challenge / "token-1").write_text("token-1.key", encoding="ascii")
    assert answer(plain + "/.well-known/acme-challenge/token-1")[::2] == (200, b"token-1.key")
    # Modern protocols only: 1.2 and 1.3 are taken, 1.0 and 1.1 refused by the server.
    port = int(front.rsplit(":", 1)[1])
    cert = certificate(trust)
    assert handshake(port, ssl.TLSVersion.TLSv1_3, cert) == "TLSv1.3"
    assert handshake(port, ssl.TLSVersion.TLSv1_2, cert) == "TLSv1.2"
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        assert handshake(port, old, cert) == "TLSV1_ALERT_PROTOCOL_VERSION"


def test_the_logs_keep_no_address_query_string_or_user_agent(cluster, trust):
    front, _, _, plain = cluster
    access, errors = trust / "access.log", trust / "reflect-error.log"
    before = access.stat().st_size
    agent = "ReaderPhone/1.0 (Ana's phone)"
    tab = asyncio.run(visit(front, {**route_cookie(front), "User-Agent": agent}))
    assert b"Emotional relief" in tab.downloaded
    media = urllib.parse.urlsplit(tab.last_download_url).path
    for url in (front + "/?name=Ana&phone=555-0100", plain + "/?name=Ana",
                front + "/_stcore/metrics?name=Ana", front + media + "?name=Ana"):
        answer(url, {"User-Agent": agent, "Referer": "https://example.org/?name=Ana"})
    written = access.read_bytes()[before:].decode("utf-8")
    lines = written.splitlines()
    routes = {line.split()[2] for line in lines}
    statuses = {line.split()[3] for line in lines}
    # It still says what happened: the page, the stream, downloads, a redirect, a refusal.
    assert {"/", "/_stcore/stream", "/media/", "/_stcore/metrics"} <= routes, routes
    assert {"200", "101", "301", "404"} <= statuses, statuses
    for kept in ("127.0.0.1", "localhost", "Ana", "ReaderPhone", "555-0100", "?",
                 "example.org", media.rsplit("/", 1)[-1]):
        assert kept not in written, kept
    # The error log, at its shipped level, holds no visitor (nor anything else here).
    assert "client:" not in errors.read_text(encoding="utf-8")


@pytest.fixture
def lone(tmp_path, trust):
    """nginx in front of one app process: Streamlit's 128 disconnected-session slots are that
    process's, as on a small clinic's single server."""
    port = free_port()
    process = start_process(BACKEND, port, tmp_path / "app.log")
    try:
        listen = free_port()
        nginx = start_nginx(tmp_path, listen, [port], cert=certificate(trust))
        yield f"https://localhost:{listen}", tmp_path
        nginx.terminate()
        nginx.wait(timeout=10)
    finally:
        stop_process(process)


async def burst(front: str, source: str, count: int) -> list[int]:
    """count new connections to the stream at once from one address, each closed at once (a
    new session each, left behind): the status each handshake got (101: taken)."""
    url = Session(front).ws_url

    async def one() -> int:
        try:
            async with websockets.connect(url, subprotocols=["streamlit"], open_timeout=60,
                                          local_addr=(source, 0)):
                return 101
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def on_question_two(front: str, source: str) -> Session:
    tab = Session(front, source=source)
    await tab.__aenter__()
    await tab.press("Start the reflection")
    await tab.choose("Yes, this fits me")
    await tab.press("Next")
    await tab.choose("Sometimes, or partly")
    assert "Question 2 of 4" in tab.screen.text()
    return tab


DROP_SECONDS = 1.5  # how long the visitor's connection is gone: the scenario, not a wait


def test_one_clients_burst_cannot_push_out_a_visitor_whose_connection_dropped(lone):
    """Streamlit keeps 128 disconnected sessions per process and drops the oldest first: 150
    new sessions from one client used to push out every visitor whose phone had just lost its
    signal. With the per-address limits, that client gets 60 or so, and the visitor, on
    another address, comes back to their own answers."""
    front, folder = lone

    async def run():
        visitor = await on_question_two(front, "127.0.0.2")
        before = visitor.session_id
        await visitor.drop()
        dropped = time.monotonic()
        statuses = await burst(front, "127.0.0.1", 150)
        await asyncio.sleep(max(0.0, DROP_SECONDS - (time.monotonic() - dropped)))
        screen = await visitor.reconnect()
        await visitor.socket.close()
        return before, visitor.session_id, screen, statuses, await refused_headers(front)

    before, after, screen, statuses, refusal = asyncio.run(run())
    taken = statuses.count(101)
    assert set(statuses) <= {101, 429}, statuses
    assert 60 <= taken <= 70, taken  # the burst allowance, and a token or two earned meanwhile
    assert after == before, "the visitor's session was pushed out: a new one started"
    assert "Question 2 of 4" in screen.text(), screen.text()[:300]
    # The refusals are in the access log as 429s, with no address; the error log has none.
    log = (folder / "access.log").read_text(encoding="utf-8")
    assert log.count(" /_stcore/stream 429 ") == 150 - taken + 1  # and refused_headers' one
    assert "127.0.0." not in log
    assert "client:" not in (folder / "reflect-error.log").read_text(encoding="utf-8")
    # A refusal is nginx's own response, with the headers too.
    assert_headers_once("a 429", refusal)


async def refused_headers(front: str) -> http.client.HTTPMessage:
    """The headers of a handshake refused for the limit (the address 127.0.0.1 is past it)."""
    url = Session(front).ws_url
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(url, subprotocols=["streamlit"], open_timeout=60,
                                      local_addr=("127.0.0.1", 0)):
            pass
    assert refused.value.response.status_code == 429
    message = http.client.HTTPMessage()
    for name, value in refused.value.response.headers.raw_items():
        message[name] = value
    return message


def test_twenty_devices_behind_one_address_connect_and_reconnect_at_once(lone):
    """Many rooms and kiosks share a clinic's one public address: 24 devices start at once,
    all lose the Wi-Fi at once, and all come back to their own answers."""
    front, _ = lone

    async def run():
        tabs = await asyncio.gather(*(on_question_two(front, "127.0.0.3") for _ in range(24)))
        ids = [tab.session_id for tab in tabs]
        await asyncio.gather(*(tab.drop() for tab in tabs))
        screens = await asyncio.gather(*(tab.reconnect() for tab in tabs))
        for tab in tabs:
            await tab.socket.close()
        return ids, [tab.session_id for tab in tabs], screens

    before, after, screens = asyncio.run(run())
    assert len(set(before)) == 24
    assert after == before
    assert all("Question 2 of 4" in screen.text() for screen in screens)


def test_while_the_app_is_down_nginx_shows_a_calm_page_with_the_crisis_lines(tmp_path, trust,
                                                                              content):
    from reflect.unavailable import unavailable_page

    # The page in deploy/ is the one the content makes now (else: run the command it names).
    shipped = (ROOT / "deploy" / "nginx" / "unavailable.html").read_text(encoding="utf-8")
    assert shipped == unavailable_page(content), \
        "run: .venv/bin/python -m reflect unavailable-page > deploy/nginx/unavailable.html"
    listen, nobody = free_port(), free_port()  # no app process listens on the second port
    nginx = start_nginx(tmp_path, listen, [nobody], app_up=False, cert=certificate(trust))
    try:
        with pytest.raises(urllib.error.HTTPError) as down:
            urllib.request.urlopen(f"https://localhost:{listen}/", timeout=5)
        assert down.value.code == 502
        body = down.value.read().decode("utf-8")
        # nginx's own page, with nginx's own policy and HSTS; exactly once each.
        assert_headers_once("the calm page", down.value.headers)
        assert down.value.headers["content-security-policy"].startswith("default-src 'none'")
        down.value.close()
        assert "Bad Gateway" not in body and "nginx" not in body
        for lang in content.languages:
            assert content.text(lang, "unavailable.body") in body
        for target in contacts.targets(content, web=False):
            assert f'href="{target}"' in body
        # A reader's browser shows it as a page, with its phone links.
        from playwright.sync_api import sync_playwright

        with sync_playwright() as driver:
            browser = CspWatch(driver.chromium.launch(executable_path=CHROMIUM,
                                                      args=CHROMIUM_FLAGS))
            page = browser.new_page(viewport={"width": 390, "height": 844},
                                    ignore_https_errors=True)
            page.goto(f"https://localhost:{listen}/")
            assert page.locator("h1").inner_text() == content.text(
                content.default_language, "unavailable.heading")
            for target in contacts.targets(content, web=False):
                assert page.locator(f"a[href='{target}']").first.is_visible()
            # Its inline style is allowed by nginx's policy: the page is drawn as designed.
            assert page.locator("section").first.evaluate(
                "e => getComputedStyle(e).borderTopStyle") == "solid"
            assert browser.take() == []
            browser.close()
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
