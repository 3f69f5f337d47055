"""Helpers for the real-Chromium tests: start a real server, drive Streamlit's pages."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Keep Chromium off the network: this machine has none, and tests must not depend on it.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
ANSWER_LABELS = ["Yes, this fits me", "Sometimes, or partly", "No, not really",
                 "I'd rather not say"]
# The answer options on screen, leaving out the language switch and the hidden history radio.
ANSWER_RADIOS = ("[data-testid=stMain] .stElementContainer:not(.st-key-language)"
                 ":not(.st-key-reflect_history) input[type=radio]")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_process(command: Sequence[str], port: int, log: Path, mode: str = "w",
                  env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.Popen:
    """Start a server command (PORT in it becomes port) and wait until it answers /health.

    env: variables to set for the server, on top of this process's own; cwd: the folder it
    runs in (this checkout, or a fresh clone of it).
    """
    with log.open(mode) as out:
        process = subprocess.Popen([str(port) if part == "PORT" else part for part in command],
                                   cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True, env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health",
                                        timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_process(process)
            raise RuntimeError(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.25)


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server started by start_process, and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


@contextlib.contextmanager
def running_server(command: Sequence[str], log: Path,
                   env: dict[str, str] | None = None, cwd: Path = ROOT) -> Iterator[str]:
    """Run a server command (with PORT in it replaced by a free port) in cwd; yield its URL."""
    port = free_port()
    process = start_process(command, port, log, env=env, cwd=cwd)
    try:
        yield f"http://localhost:{port}"
    finally:
        stop_process(process)


def answer_first_two(page: Page, first: str, second: str) -> None:
    """From the welcome, answer the first two questions and stay on the second."""
    press(page, "Start the reflection")
    choose(page, first)
    press(page, "Next")
    choose(page, second)
    assert heading(page) == "Question 2 of 4"


# The app draws #reflect-run with the session's run number at the end of every run.
RUN_NUMBER = "Number(document.getElementById('reflect-run')?.dataset.run || 0)"


def runs(page: Page) -> int:
    """The number of the last run the page shows as finished drawing (ui/parts.run_marker)."""
    return page.evaluate(RUN_NUMBER)


def open_app(page: Page, url: str) -> None:
    """Load the app and wait until its first run has ended.

    Idle alone is not enough: before the first run begins, Streamlit's page already says it is
    not running, and on a busy machine a click then lands on a run still to come (a walk that
    went one screen behind from there, seen in CI).
    """
    page.goto(url)
    page.wait_for_function(f"() => {RUN_NUMBER} > 0")
    page.wait_for_selector(IDLE)


def after_run(page: Page, action: Callable[[], object]) -> None:
    """Do an action that starts a run (a click, a key), then wait until that run has ended.

    No fixed wait: the page's run number goes up when the run the action started has drawn
    its last element, and then the app is idle. The page's first run must have ended before
    (open_app): a run still to come would pass for the action's own.
    """
    page.wait_for_function(f"() => {RUN_NUMBER} > 0")
    before = runs(page)
    action()
    page.wait_for_function(f"() => {RUN_NUMBER} > {before}")
    page.wait_for_selector(IDLE)


def press(page: Page, name: str) -> None:
    after_run(page, page.get_by_role("button", name=name, exact=True).click)


def choose(page: Page, label: str) -> None:
    after_run(page, page.get_by_text(label, exact=True).click)


def click(page: Page, locator) -> None:
    """Click something that starts a run (a radio, a checkbox), and wait for the run."""
    after_run(page, locator.click)


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text()


def walk_to_close(page: Page, labels: list[str]) -> None:
    """From the welcome, answer each question with a label in turn and go on to the close."""
    press(page, "Start the reflection")
    for label in labels:
        choose(page, label)
        press(page, "Next")
    press(page, "Ways people find help")
    press(page, "What to do next")


def server_sessions(url: str, skip: set[str] = frozenset()) -> list[dict]:
    """Return what each session holds on a server behind tests/servers/inspect_app.py,
    leaving out the sessions named in skip."""
    with urllib.request.urlopen(f"{url}/api/test/sessions", timeout=5) as response:
        return [s for s in json.loads(response.read()) if s["id"] not in skip]


def session_ids(url: str) -> set[str]:
    """Name the sessions already there (other tests' visitors), to leave them out later."""
    return {s["id"] for s in server_sessions(url)}


# Every Content-Security-Policy violation in any frame of a watched context, reported by the
# browser itself (securitypolicyviolation), from the first byte of each page: init scripts and
# bindings run outside the page's policy, before any script of the page.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reflectCspViolation({ directive: event.effectiveDirective,
    blocked: event.blockedURI, sample: event.sample, page: document.location.href,
    source: event.sourceFile, line: event.lineNumber, column: event.columnNumber });
}, true);
"""


class CspWatch:
    """Chromium wrapped so that every context and page it opens records each policy violation
    (in the page's events and in its console); tests/conftest.py fails a test that saw one."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.violations: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self.browser, name)

    def watch(self, context):
        context.expose_binding("reflectCspViolation",
                               lambda source, v: self.violations.append(json.dumps(v)))
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("console", self._console)
        return context

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def new_context(self, **options):
        return self.watch(self.browser.new_context(**options))

    def new_page(self, **options):
        page = self.browser.new_page(**options)
        self.watch(page.context)  # before the first navigation: it sees the whole page
        return page

    def take(self) -> list[str]:
        """The violations seen since the last take, then forget them."""
        seen, self.violations = self.violations, []
        return seen
