"""Helpers for the real-Chromium tests: start a real server, drive Streamlit's pages."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Keep Chromium off the network: this machine has none, and tests must not depend on it.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
ANSWER_LABELS = ["This sounds like me", "Sometimes", "Not really", "I'd rather not say"]
# The answer options on screen, leaving out the language switch (also a radio group).
ANSWER_RADIOS = "[data-testid=stMain] .stElementContainer:not(.st-key-language) input[type=radio]"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(command: Sequence[str], log: Path) -> Iterator[str]:
    """Run a server command (with PORT in it replaced by a free port); yield its URL."""
    port = str(free_port())
    with log.open("w") as out:
        process = subprocess.Popen([port if part == "PORT" else part for part in command],
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.25)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the run a click started."""
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE)


def press(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    settle(page)


def choose(page: Page, label: str) -> None:
    page.get_by_text(label, exact=True).click()
    settle(page)


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
