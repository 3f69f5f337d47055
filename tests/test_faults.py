"""Faults a visitor can meet: the server restarting under an open page, and a short network
drop. Real servers, real Chromium; a small TCP relay in the test cuts the connection."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    ANSWER_RADIOS,
    IDLE,
    RUN_NUMBER,
    answer_first_two,
    free_port,
    heading,
    open_app,
    press,
    runs,
    start_process,
    stop_process,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent


SERVE = ["bash", "scripts/serve.sh", "--server.port", "PORT"]
# Every connection state the page goes through from now on, in order.
CONNECTION_LOG = """() => {
  const app = document.querySelector("[data-testid=stApp]");
  window.reflectTestConnection = [app.getAttribute("data-test-connection-state")];
  new MutationObserver(() => window.reflectTestConnection.push(
      app.getAttribute("data-test-connection-state"))).observe(app,
    {attributes: true, attributeFilter: ["data-test-connection-state"]});
}"""


class Relay:
    """Forward a local port to the server; cut() drops every open connection at once."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target))
            except OSError:  # the server is down for a moment (a restart): refuse this one
                client.close()
                continue
            with self.lock:
                self.open += [client, server]
            for one, two in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(one, two), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.close()

    def cut(self) -> int:
        with self.lock:
            dropped, self.open = self.open, []
        for end in dropped:
            try:
                end.shutdown(socket.SHUT_RDWR)
                end.close()
            except OSError:
                pass
        return len(dropped)

    def close(self) -> None:
        self.listener.close()
        self.cut()


def answer_two(page) -> None:
    answer_first_two(page, "Sometimes, or partly", "Yes, this fits me")


def test_a_short_network_drop_keeps_the_answers(browser, tmp_path):
    port = free_port()
    process = start_process(SERVE, port, tmp_path / "server.log")
    relay = Relay(port)
    try:
        page = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
        open_app(page, f"http://localhost:{relay.port}")
        answer_two(page)
        page.evaluate(CONNECTION_LOG)
        before = runs(page)
        assert relay.cut() >= 2  # the page's websocket, both ways
        # Wait for the page to notice the drop and connect again, not for a fixed time; then
        # for the run page.js asks for once the connection is back.
        page.wait_for_function("() => (log => log.some(s => s !== 'CONNECTED') && "
                               "log[log.length - 1] === 'CONNECTED')(window.reflectTestConnection)",
                               timeout=30_000)
        page.wait_for_function(f"() => {RUN_NUMBER} > {before}")
        page.wait_for_selector(IDLE)
        # The page reconnects to the same session: the answers are still there.
        press(page, "Back")
        assert heading(page) == "Question 1 of 4"
        expect(page.get_by_role("radio", name="Sometimes, or partly")).to_be_checked()
        press(page, "Next")
        expect(page.get_by_role("radio", name="Yes, this fits me")).to_be_checked()
        expect(page.locator("#reflect-restarted")).to_have_count(0)
        page.context.close()
    finally:
        relay.close()
        stop_process(process)


def test_a_server_restart_says_so_and_offers_to_start_again(browser, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    process = start_process(SERVE, port, log, mode="a")
    try:
        page = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
        open_app(page, f"http://localhost:{port}")
        answer_two(page)
        stop_process(process)
        process = start_process(SERVE, port, log, mode="a")
        notice = page.locator("#reflect-restarted")
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice).to_have_attribute("role", "alert")
        expect(notice).to_contain_text("This app restarted, so your answers are gone.")
        again = notice.get_by_role("button", name="Start again")
        expect(again).to_be_focused()
        # No stale form: the old question and its choice are not offered as if still kept.
        expect(page.locator(ANSWER_RADIOS + ":checked")).to_have_count(0)
        again.click()
        page.wait_for_selector(IDLE)
        expect(page.locator("h1")).to_have_text("A private reflection on coping")
        expect(page.locator("#reflect-restarted")).to_have_count(0)
        page.context.close()
    finally:
        stop_process(process)


def test_a_failing_callback_shows_the_calm_page_not_streamlits_error(browser, tmp_path):
    """st.App's on_script_error: a callback's exception ends on the calm page, in Chromium."""
    from tests.browser_support import running_server

    command = [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/faulty_app.py",
               "--server.port", "PORT"]
    with running_server(command, tmp_path / "server.log") as url:
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        open_app(page, url)
        # Its callback raises: the run ends on the calm page, without the run marker.
        page.get_by_role("button", name="Start the reflection").click()
        expect(page.get_by_role("heading", name="This app is not set up correctly")).to_be_visible()
        expect(page.locator("[data-testid=stException]")).to_have_count(0)
        main = page.locator("[data-testid=stMain]").inner_text()
        assert "RuntimeError" not in main and "test-only fault" not in main
        expect(page.get_by_text("988 Suicide & Crisis Lifeline")).to_be_visible()
        page.context.close()
    log = (tmp_path / "server.log").read_text()
    assert "RuntimeError" in log  # the details are in the server's log, for whoever runs it


def test_a_screen_that_fails_midway_shows_only_the_calm_page(browser, tmp_path):
    """A run that raises after drawing part of a screen: the calm page alone is seen, not the
    half-drawn question above it (ui/main.py draws every screen in one keyed container, and
    app.css hides it under the calm page)."""
    from tests.browser_support import running_server

    command = [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/faulty_app.py",
               "--server.port", "PORT"]
    with running_server(command, tmp_path / "server.log", env={"REFLECT_TEST_FAULT": "draw"}) \
            as url:
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        open_app(page, url)
        page.get_by_role("button", name="Start the reflection").click()
        expect(page.get_by_role("heading", name="This app is not set up correctly")).to_be_visible()
        page.wait_for_selector(IDLE)
        expect(page.get_by_role("heading", name="Question 1 of 4")).to_have_count(0)
        expect(page.get_by_role("radio", name="Sometimes, or partly")).to_have_count(0)
        expect(page.get_by_role("button", name="Next")).to_have_count(0)
        expect(page.get_by_text("988 Suicide & Crisis Lifeline")).to_be_visible()
        assert "test-only fault" not in page.locator("[data-testid=stMain]").inner_text()
        page.context.close()
    assert "a screen failed while it was drawn" in (tmp_path / "server.log").read_text()


def test_a_download_held_for_a_slow_note_waits_for_that_run_however_long(browser, tmp_path):
    """assets/page.js holds a Download tapped straight after typing until the run with the
    note has ended. On a busy server that run can outlast the hold's five seconds: the hold
    then let the old button through mid-run, whose file the run's end removed (a canceled
    download in CI) or which lacked the note. It must wait for the run, then give the file
    with the note."""
    from pathlib import Path

    from tests.browser_support import running_server, walk_to_close

    command = [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/faulty_app.py",
               "--server.port", "PORT"]
    with running_server(command, tmp_path / "server.log",
                        env={"REFLECT_TEST_FAULT": "slow_note"}) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      accept_downloads=True)
        page = context.new_page()
        open_app(page, url + "/?mode=counseling")
        walk_to_close(page, ["Yes, this fits me"] * 4)
        page.get_by_label("A note in your own words").click()
        page.keyboard.type("Ask about sleep")  # and straight to Download
        with page.expect_download(timeout=30_000) as caught:
            page.get_by_role("button", name="Download as a web page").click()
        held = Path(caught.value.path()).read_text(encoding="utf-8")
        assert "Ask about sleep" in held
        context.close()
