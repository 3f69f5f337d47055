"""The server itself: no uploads, bounded messages, no outbound connection, no operator routes.

Each attack here was reproduced on loopback against Streamlit's defaults; reflect/gate.py and
.streamlit/config.toml close them. Real servers, spoken to as a browser or an attacker would.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import urllib.error
import urllib.request

import pytest
import websockets

from tests.browser_support import ROOT, running_server
from tests.protocol import Session, foreign_handshakes, status, upload_request

pytestmark = pytest.mark.server

SERVE = ["bash", "scripts/serve.sh", "--server.port", "PORT"]
INSPECT = [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/inspect_app.py",
           "--server.port", "PORT", "--"]
MAX_MESSAGE_BYTES = 2 * 10**6  # server.maxMessageSize = 2 (MB) in .streamlit/config.toml


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("limits") / "server.log"
    with running_server(SERVE, log) as url:
        yield url


@pytest.fixture(scope="module")
def inspected(tmp_path_factory):
    """The real app plus the test-only route that shows what each session holds."""
    log = tmp_path_factory.mktemp("limits") / "inspect.log"
    with running_server(INSPECT, log) as url:
        yield url


def health(url: str) -> int:
    return status(f"{url}/_stcore/health")


async def live_session_id(url: str) -> tuple[str, Session]:
    tab = Session(url)
    await tab.__aenter__()
    return tab.session_id, tab


# ---- 1. uploads --------------------------------------------------------------------------


def upload(url: str, session_id: str) -> int:
    """PUT a 1 MB file for a live session, with an XSRF token as a page's script would send."""
    path, headers, body = upload_request(session_id)
    return status(url + path, "PUT", headers, body)


def test_the_upload_route_is_refused_even_for_a_live_session_with_a_valid_token(server):
    async def attempt() -> list[int]:
        session_id, tab = await live_session_id(server)
        try:
            return [upload(server, session_id) for _ in range(3)]
        finally:
            await tab.__aexit__()

    assert asyncio.run(attempt()) == [404, 404, 404]
    for method in ("OPTIONS", "DELETE", "POST"):
        assert status(f"{server}/_stcore/upload_file/x/y", method) == 404
    assert health(server) == 200


# ---- 2. huge messages --------------------------------------------------------------------


async def send_note(url: str, size: int) -> bool:
    """Walk to the counseling close and send a note of size characters in one message.

    Return True if the server kept the connection open and answered the run.
    """
    async with Session(url, query="mode=counseling") as tab:
        await tab.walk_to_close("Yes, this fits me")
        note = tab.screen.widget("text_area", next(
            w.label for w in tab.screen.widgets if w.kind == "text_area"))
        tab.values[note.id] = ("string", "N" * size)
        try:
            await tab.rerun()
        except (websockets.ConnectionClosed, TimeoutError):
            return False
        return True


def held_notes(url: str) -> int:
    """The longest run of the note's letter that any server session holds."""
    with urllib.request.urlopen(f"{url}/api/test/sessions", timeout=10) as response:
        sessions = json.loads(response.read())
    return max((len(run) for session in sessions
                for run in re.findall(r"N{100,}", session["everything"])), default=0)


def test_a_message_over_the_limit_is_refused_and_no_session_keeps_it(inspected):
    assert asyncio.run(send_note(inspected, 20 * 10**6)) is False  # 20 MB: over 2 MB
    assert asyncio.run(send_note(inspected, 1_500_000)) is False  # over the 1 MB state limit
    assert held_notes(inspected) < 10_000
    # An ordinary note still goes through, and the server is fine.
    assert asyncio.run(send_note(inspected, 1_900)) is True
    assert health(inspected) == 200


def test_the_largest_message_the_app_sends_is_far_below_the_limit(server):
    """Walk every screen in every mode and language; the limit caps what we send too."""
    async def largest(query: str, locale: str) -> int:
        async with Session(server, query=query, locale=locale) as tab:
            words = {"en-US": ("Yes, this fits me", "Start the reflection", "Next",
                               "Ways people find help", "What to do next"),
                     "es-US": ("Sí, me identifico con esto", "Empezar la reflexión", "Siguiente",
                               "Formas de encontrar ayuda", "Qué hacer ahora")}[locale]
            await tab.walk_to_close(*words)
            return tab.largest

    sizes = [asyncio.run(largest(query, locale)) for query in ("", "mode=counseling")
             for locale in ("en-US", "es-US")]
    assert max(sizes) < MAX_MESSAGE_BYTES / 4, sizes


def test_no_run_sends_the_stylesheets_the_page_carries(server):
    """The first page carries app.css (reflect/modes.page_stylesheets), so no run of a
    personal session sends a stylesheet; a counseling session (which can be switched off)
    draws its own small sheet alone, app.css not in it."""
    app_css = (ROOT / "assets" / "app.css").read_text(encoding="utf-8")
    counseling_css = (ROOT / "assets" / "counseling.css").read_text(encoding="utf-8")
    line = max(app_css.splitlines(), key=len).strip()
    with urllib.request.urlopen(server + "/", timeout=10) as response:
        page = response.read().decode("utf-8")
    body = page[page.index("<body"):]
    assert line in body and body.index(line) < body.index('id="root"')

    async def walk(query: str) -> list[str]:
        async with Session(server, query=query) as tab:
            await tab.press("Start the reflection")
            await tab.choose("Sometimes, or partly")
            await tab.press("Next")
            return [text for text in tab.everything if "<style>" in text]

    assert asyncio.run(walk("")) == []
    counseling = asyncio.run(walk("mode=counseling"))
    assert counseling and all(line not in text for text in counseling)
    assert all(max(counseling_css.splitlines(), key=len).strip() in text for text in counseling)


# ---- 4. operator routes ------------------------------------------------------------------


def test_operator_routes_answer_404_for_everyone(server):
    for path in ("/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/agent/interact",
                 "/_stcore/agent/mcp"):
        assert status(server + path) == 404, path
        assert status(server + path, "POST", body=b"{}") == 404, path
    assert health(server) == 200


def test_an_operator_can_turn_metrics_on(tmp_path):
    with running_server(SERVE + ["--", "--metrics", "on"], tmp_path / "server.log") as url:
        assert status(f"{url}/_stcore/metrics") == 200
        assert status(f"{url}/_stcore/agent/openapi.json") == 404  # the agent API stays off


# ---- 3. never an outbound connection -----------------------------------------------------


async def walk_and_download(url: str) -> bytes:
    async with Session(url) as tab:
        await tab.walk_to_close("Sometimes, or partly")
        await tab.tick("Ways people find help")
        return await tab.download("Download as a web page")


def test_the_server_never_looks_up_or_connects_to_another_host(tmp_path):
    """Start with the deployment's address (0.0.0.0), walk, download, and take 20 foreign
    Origins, with an audit hook in the server recording every lookup and connection."""
    audit = tmp_path / "audit.log"
    audit.touch()
    command = [".venv/bin/python", "tests/servers/audited_serve.py", "--server.port", "PORT",
               "--server.address", "0.0.0.0"]  # noqa: S104 - as deploy/ binds it
    answers = []  # (status, seconds) of each health check while the server works
    with running_server(command, tmp_path / "server.log",
                        env={"REFLECT_AUDIT_LOG": str(audit)}) as url:
        stop = threading.Event()

        def watch_health() -> None:
            while not stop.is_set():
                started = time.monotonic()
                answers.append((health(url), time.monotonic() - started))

        watcher = threading.Thread(target=watch_health)
        watcher.start()
        try:
            page = asyncio.run(walk_and_download(url))
            codes = asyncio.run(foreign_handshakes(url, 20))
        finally:
            stop.set()
            watcher.join()
    assert b"Ways people find help" in page
    assert codes == [403] * 20
    assert audit.read_text() == ""
    # The health check answered throughout: a regression bound far above normal (a few
    # milliseconds), not a timing goal. A blocking lookup on the event loop took 2 s a time.
    assert answers and {code for code, _ in answers} == {200}
    slowest = max(seconds for _, seconds in answers)
    assert slowest < 1.5, slowest
