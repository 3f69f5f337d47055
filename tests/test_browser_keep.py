"""What the reader keeps is what they see, in real Chromium (issue 18, item 3): a note typed and
at once followed by a tap on Download is in the file, every time, with many visitors at once.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from tests.browser_support import IDLE, running_server, walk_to_close
from tests.protocol import Session

pytestmark = pytest.mark.browser

TRIES = 25
OTHERS = 8  # other visitors walking the reflection over and over, on the same server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("keep") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


def crowd(url: str, stop: threading.Event) -> threading.Thread:
    """Other visitors in the background, each walking to the close and starting over."""

    async def visitor() -> None:
        while not stop.is_set():
            async with Session(url, "mode=counseling") as session:
                await session.walk_to_close()
                await session.type("A note in your own words (it stays on this screen and "
                                   "in your file only)", "someone else's words")
                await session.press("Start over")

    async def everyone() -> None:
        await asyncio.gather(*(visitor() for _ in range(OTHERS)))

    thread = threading.Thread(target=lambda: asyncio.run(everyone()), daemon=True)
    thread.start()
    return thread


def test_a_note_typed_then_at_once_downloaded_is_in_the_file_every_time(browser, server):
    stop = threading.Event()
    others = crowd(server, stop)
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/?mode=counseling")
        page.wait_for_selector(IDLE)
        walk_to_close(page, ["This sounds like me", "Sometimes", "Not really", "Not really"])
        note = page.get_by_label("A note in your own words")
        missing = []
        for number in range(TRIES):
            words = f"Ask about sleep, try {number}"
            note.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(words)  # no pause, no click elsewhere: straight to Download
            with page.expect_download(timeout=15_000) as caught:
                page.get_by_role("button", name="Download as a web page").click()
            held = Path(caught.value.path()).read_text(encoding="utf-8")
            if words not in held:
                missing.append(number)
            page.wait_for_selector(IDLE)
        assert missing == [], f"{len(missing)} of {TRIES} files lacked the note just typed"
        # And the note is still where the reader left it.
        assert note.input_value() == f"Ask about sleep, try {TRIES - 1}"
    finally:
        stop.set()
        context.close()
        others.join(timeout=60)
