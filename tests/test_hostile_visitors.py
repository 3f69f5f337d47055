"""What a visitor (or anyone on the network) can send: junk in the URL, a huge or tricky note,
garbage on the websocket, a foreign Origin or Host. The server stays up, other sessions are
untouched, nothing reaches a page as markup, and the response headers hold."""

from __future__ import annotations

import asyncio
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg

from tests.browser_support import ROOT, running_server
from tests.junk import JUNK_VALUES
from tests.protocol import Session
from webserver.app import content_security_policy

pytestmark = pytest.mark.server

FUZZ_CASES = 300


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("hostile") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url, log


def health(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        return response.status


def test_junk_query_strings_over_the_wire_leave_the_app_working(server):
    url, _ = server

    async def run():
        for value in JUNK_VALUES:
            query = "mode=" + urllib.parse.quote(value) + "&" + urllib.parse.quote(value) + "=1"
            async with Session(url, query=query) as tab:
                assert "A private reflection on coping" in tab.screen.text()
                await tab.press("Start the reflection")
                assert "Question 1 of 4" in tab.screen.text()

    asyncio.run(run())


def test_a_huge_tricky_note_is_cut_and_stays_inert_in_the_download(server):
    url, _ = server
    note = ("<script>alert('x')</script> **bold** [link](javascript:alert(1)) ```\n"
            "\x00\x07\x1b[31m") + "é" * 100_000

    async def run():
        async with Session(url, query="mode=counseling") as tab:
            await tab.walk_to_close("Sometimes, or partly")
            await tab.type("A note in your own words (it stays on this screen and in your file "
                           "only)", note)
            return (await tab.download("Download as a web page")).decode("utf-8")

    page = asyncio.run(run())
    assert "<script>alert" not in page and not re.search(r"href\s*=\s*[\"']?javascript", page)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "\x00" not in page and "\x1b" not in page
    kept = re.search(r"(é+)", page).group(1)
    assert len(kept) < 2_000


def fuzz_messages(seed: int) -> list[bytes]:
    """Garbage, truncated and out-of-order messages, the same ones on every run."""
    rng = random.Random(seed)  # noqa: S311 - repeatable junk, not secrets
    cases = []
    for number in range(FUZZ_CASES):
        kind = number % 6
        if kind == 0:
            cases.append(rng.randbytes(rng.randint(0, 2048)))
        elif kind == 1:  # a real message cut short
            message = BackMsg()
            message.rerun_script.query_string = "mode=counseling"
            data = message.SerializeToString()
            cases.append(data[: rng.randint(0, len(data))])
        elif kind == 2:  # widget states for widgets that do not exist, with wrong types
            message = BackMsg()
            widget = message.rerun_script.widget_states.widgets.add(
                id=f"$$ID-{rng.randbytes(16).hex()}-radio:relief:0:en")
            widget.int_value = rng.randint(-2**31, 2**31 - 1)
            cases.append(message.SerializeToString())
        elif kind == 3:  # a download nobody offered, for a session that is not this one
            message = BackMsg()
            message.backend_operation_request.request_id = str(number)
            message.backend_operation_request.session_id = rng.randbytes(8).hex()
            message.backend_operation_request.deferred_file.file_id = rng.randbytes(8).hex()
            cases.append(message.SerializeToString())
        elif kind == 4:  # stop and clear-cache requests out of order
            message = BackMsg()
            if number % 2:
                message.stop_script = True
            else:
                message.clear_cache = True
            cases.append(message.SerializeToString())
        else:  # a rerun for a page that does not exist
            message = BackMsg()
            message.rerun_script.page_script_hash = rng.randbytes(16).hex()
            cases.append(message.SerializeToString())
    return cases


def test_websocket_garbage_leaves_the_server_up_and_other_sessions_untouched(server):
    url, log = server
    cases = fuzz_messages(seed=20261127)
    started = time.monotonic()

    async def fuzzer():
        sent = 0
        for start in range(0, len(cases), 50):
            try:
                async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream",
                                              subprotocols=["streamlit"]) as socket:
                    for case in cases[start:start + 50]:
                        await socket.send(case)
                        sent += 1
                    await asyncio.sleep(0.2)
            except websockets.ConnectionClosed:
                pass  # the server may close a connection that sent garbage; that is fine
        return sent

    async def visitor():
        async with Session(url) as tab:
            await tab.press("Start the reflection")
            await tab.choose("Yes, this fits me")
            await tab.press("Next")
            await asyncio.sleep(1)
            await tab.choose("I'd rather not say")
            await tab.press("Back")
            return tab.screen

    async def both():
        return await asyncio.gather(fuzzer(), visitor())

    sent, screen = asyncio.run(asyncio.wait_for(both(), timeout=120))
    assert sent == FUZZ_CASES
    assert "Question 1 of 4" in screen.text()
    radio = screen.radios()[-1]
    assert radio.options[0] == "Yes, this fits me"
    assert health(url) == 200
    assert time.monotonic() - started < 120
    # The log names what was refused, and nothing a visitor chose.
    written = log.read_text()
    assert "Error deserializing back message" in written
    assert "sounds_like_me" not in written and "rather not say" not in written


async def refused(url: str, headers: dict) -> int:
    try:
        async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream",
                                      subprotocols=["streamlit"], additional_headers=headers):
            return 101
    except websockets.InvalidStatus as error:
        return error.response.status_code


def test_a_websocket_from_a_foreign_origin_or_host_is_refused(server):
    url, _ = server
    assert asyncio.run(refused(url, {"Origin": url})) == 101
    assert asyncio.run(refused(url, {"Origin": "https://evil.example"})) == 403
    assert asyncio.run(refused(url, {"Host": "evil.example"})) in (400, 403)


def test_every_response_carries_the_safety_headers(server):
    url, _ = server
    with urllib.request.urlopen(url + "/", timeout=10) as response:
        page = response.read().decode("utf-8")
        headers = response.headers
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = content_security_policy(ROOT)  # the whole policy, on every response
    assert headers["Content-Security-Policy"] == policy
    bundle = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', page).group(1)
    with urllib.request.urlopen(f"{url}/{bundle}", timeout=10) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" not in (response.headers["Cache-Control"] or "")
        assert response.headers["Content-Security-Policy"] == policy
    for path in ("/_stcore/health", "/media/0000.html", "/_stcore/metrics",
                 "/_stcore/upload_file/x", "/no/such/page"):
        try:
            with urllib.request.urlopen(url + path, timeout=10) as response:
                got = response.headers
        except urllib.error.HTTPError as error:
            got = error.headers
            error.close()
        assert got["Cache-Control"] == "no-store", path
        assert got["Referrer-Policy"] == "no-referrer", path
        assert got["Content-Security-Policy"] == policy, path
