"""deploy/nginx/reflect.conf for real: Debian's nginx on loopback in front of three app
processes. Every visitor stays on one process (its download is found there), visitors spread
over the processes, and stopping one leaves the others' visitors untouched while new visitors
land on the survivors. Correctness only; throughput is a benchmark."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gzip
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

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
from tests.nginx_support import start_nginx
from tests.protocol import Session

pytestmark = pytest.mark.server  # real servers behind a real nginx

ROOT = Path(__file__).resolve().parent.parent
# One app process: the real app, plus the tests' session listing.
BACKEND = [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/inspect_app.py",
           "--server.port", "PORT"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    ports = [free_port() for _ in range(3)]
    processes = [start_process(BACKEND, port, folder / f"app{n}.log")
                 for n, port in enumerate(ports)]
    backends = [f"http://localhost:{port}" for port in ports]
    try:
        listen = free_port()
        nginx = start_nginx(folder, listen, ports)
        yield f"http://localhost:{listen}", backends, processes
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
    front, backends, _ = cluster

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
    front, backends, _ = cluster
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


def chromium_walk(front: str) -> tuple[str, str, str, str]:
    """A reader in Chromium, through nginx: the welcome, a walk to the close, a download."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = CspWatch(playwright.chromium.launch(executable_path=CHROMIUM,
                                                      args=CHROMIUM_FLAGS))
        try:
            page = browser.new_page()
            open_app(page, front + "/")
            welcome = heading(page)
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
            return welcome, close, html, state
        finally:
            browser.close()


@pytest.mark.browser
def test_a_reader_walks_to_the_close_and_downloads_through_nginx_in_chromium(cluster):
    front, _, _ = cluster
    # In a thread of its own: Playwright's sync API keeps an event loop running in the thread
    # it starts in, and the protocol tests here need asyncio.run in the main thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        welcome, close, html, state = pool.submit(chromium_walk, front).result(timeout=300)
    assert welcome == "A private reflection on coping"
    assert close == "Talk with a professional"
    assert "Emotional relief" in html and "File code" in html  # /media/ through nginx
    assert state == "CONNECTED"  # the WebSocket, through nginx


def test_stopping_one_process_leaves_the_others_visitors_untouched(cluster):
    front, backends, processes = cluster

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
    front, backends, _ = cluster
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(front + "/_stcore/metrics", timeout=5)
    assert refused.value.code == 404
    refused.value.close()


def test_while_the_app_is_down_nginx_shows_a_calm_page_with_the_crisis_lines(tmp_path,
                                                                              content):
    from reflect.unavailable import unavailable_page

    # The page in deploy/ is the one the content makes now (else: run the command it names).
    shipped = (ROOT / "deploy" / "nginx" / "unavailable.html").read_text(encoding="utf-8")
    assert shipped == unavailable_page(content), \
        "run: .venv/bin/python -m reflect unavailable-page > deploy/nginx/unavailable.html"
    listen, nobody = free_port(), free_port()  # no app process listens on the second port
    nginx = start_nginx(tmp_path, listen, [nobody], app_up=False)
    try:
        with pytest.raises(urllib.error.HTTPError) as down:
            urllib.request.urlopen(f"http://localhost:{listen}/", timeout=5)
        assert down.value.code == 502
        body = down.value.read().decode("utf-8")
        down.value.close()
        assert "Bad Gateway" not in body and "nginx" not in body
        for lang in content.languages:
            assert content.text(lang, "unavailable.body") in body
        for target in contacts.targets(content, web=False):
            assert f'href="{target}"' in body
        # A reader's browser shows it as a page, with its phone links.
        from playwright.sync_api import sync_playwright

        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"http://localhost:{listen}/")
            assert page.locator("h1").inner_text() == content.text(
                content.default_language, "unavailable.heading")
            for target in contacts.targets(content, web=False):
                assert page.locator(f"a[href='{target}']").first.is_visible()
            browser.close()
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
