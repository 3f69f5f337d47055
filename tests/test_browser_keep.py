"""What the reader keeps is what they see, in real Chromium (issue 18, item 3): a note typed and
at once followed by a tap on Download is in the file, every time, with many visitors at once.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from tests.browser_support import IDLE, click, open_app, running_server, walk_to_close
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
                await session.press("Yes, clear them")

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
        open_app(page, f"{server}/?mode=counseling")
        walk_to_close(page, ["Yes, this fits me", "Sometimes, or partly", "No, not really",
                             "No, not really"])
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


# Test-only: each frame's print() records what it would print, instead of opening a dialog.
RECORD_PRINTS = """
const frameWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', { get() {
    const inner = frameWindow.get.call(this);
    if (inner && !inner.recorded) {
        inner.recorded = true;
        inner.print = () => { window.printed = inner.document.documentElement.outerHTML; };
    }
    return inner; } });
"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)])
def test_print_prints_what_the_download_holds_every_page_and_the_note_just_typed(
        browser, server, content, size):
    from io import BytesIO

    from pypdf import PdfReader

    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(RECORD_PRINTS)
    page = context.new_page()
    open_app(page, f"{server}/?mode=counseling")
    walk_to_close(page, ["Yes, this fits me"] * 4)
    for pattern in content.patterns:  # every pattern, and the help: a long summary
        click(page, page.get_by_text(content.text("en", f"patterns.{pattern.id}.title"),
                                     exact=True))
    click(page, page.get_by_text(content.text("en", "save.include_help"), exact=True))
    note = page.get_by_label("A note in your own words")
    note.click()
    page.keyboard.type("Bring this to the next visit")  # and straight to Print
    page.get_by_role("button", name="Print", exact=True).click()
    page.wait_for_function("() => window.printed !== undefined", timeout=15_000)
    printed = page.evaluate("window.printed")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download as a web page").click()
    downloaded = Path(caught.value.path()).read_text(encoding="utf-8")
    # The same document as the download (the browser writes it back in its own way).
    render = context.new_page()
    render.set_content(downloaded)
    assert render.evaluate("document.documentElement.outerHTML") == printed
    assert "Bring this to the next visit" in printed
    for pattern in content.patterns:
        assert content.text("en", f"patterns.{pattern.id}.title") in printed
    assert content.text("en", "help.heading") in printed
    # Every page of it, as printed.
    pdf = PdfReader(BytesIO(render.pdf()))
    text = " ".join(sheet.extract_text() for sheet in pdf.pages)
    assert len(pdf.pages) > 3
    assert "Bring this to the next visit" in text and content.helplines.crisis[0].phone in text
    context.close()


# The close's downloads and Print: where each is, and whether any of its words are cut.
SAVE_CONTROLS = """() => [...document.querySelectorAll('.st-key-reflect_save button')].map(b => {
  const box = b.getBoundingClientRect();
  const inside = [...b.querySelectorAll('*')].every(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return true;  // a box of its own it has not
    return e.scrollWidth <= e.clientWidth + 1 && r.left >= box.left - 1 && r.right <= box.right + 1;
  });
  return {text: b.innerText.trim(), left: box.left, top: box.top, width: box.width,
          height: box.height, uncut: inside && b.scrollWidth <= b.clientWidth + 1}; })"""
COLUMN = """() => { const c = document.querySelector('[data-testid=stMainBlockContainer]');
  const s = getComputedStyle(c);
  return c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"""


@pytest.mark.parametrize("query", ["", "?mode=counseling"], ids=["personal", "counseling"])
def test_the_save_controls_are_one_row_of_equal_height_or_a_full_width_stack_never_cut(
        browser, server, query):
    """Issue 22.4: one row of equal height from 640 px, stacked full width below, every label
    whole ("Download as a web p…" was cut in counseling), every control at least 48 px."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_app(page, server + "/" + query)
    walk_to_close(page, ["Yes, this fits me"] * 4)
    # The downloads are drawn a moment after the rest of the close.
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-reflect_save button').length === 3")
    for lang in ("English", "Español"):
        if lang != "English":  # the switch keeps the ticks and the note
            click(page, page.get_by_text(lang, exact=True))
            page.wait_for_function("() => [...document.querySelectorAll("
                                   "'.st-key-reflect_save button')].length === 3 && "
                                   "document.documentElement.lang === 'es'")
        for width in (320, 390, 639, 640, 700, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function("(w) => window.innerWidth === w",
                                   arg=width)
            controls = page.evaluate(SAVE_CONTROLS)
            where = (lang, width, controls)
            assert len(controls) == 3, where
            assert all(c["uncut"] for c in controls), where
            assert all(c["height"] >= 48 for c in controls), where
            heights = [c["height"] for c in controls]
            assert max(heights) - min(heights) <= 1, where
            if width >= 640:  # one row, side by side
                assert len({round(c["top"]) for c in controls}) == 1, where
                assert controls[0]["left"] < controls[1]["left"] < controls[2]["left"], where
            else:  # stacked, each the column's full width
                column = page.evaluate(COLUMN)
                assert all(abs(c["width"] - column) <= 1 for c in controls), (column, where)
                assert controls[0]["top"] < controls[1]["top"] < controls[2]["top"], where
    page.context.close()


def _download_text(page, label: str) -> str:
    """The text of a download as the reader gets it: a PDF read back, a web page as it is."""
    from io import BytesIO

    from pypdf import PdfReader

    with page.expect_download(timeout=15_000) as caught:
        page.get_by_role("button", name=label, exact=True).click()
    data = Path(caught.value.path()).read_bytes()
    page.wait_for_selector(IDLE)
    if data.startswith(b"%PDF"):
        return "\n".join(sheet.extract_text() for sheet in PdfReader(BytesIO(data)).pages)
    return data.decode("utf-8")


@pytest.mark.parametrize("query", ["", "?mode=counseling"], ids=["personal", "counseling"])
def test_the_files_hold_the_talk_prompts_in_counseling_and_the_cycle_only_once_ticked(
        browser, server, content, query):
    """Issue 22.8: the "To talk about together" questions go home with each kept pattern in
    counseling mode (never in personal mode); the cycle picture only when its box is ticked,
    unticked at first, marked for the kept patterns only."""
    from reflect.cycle import cycle_in_words

    def flat(text: str) -> str:
        return "".join(text.split())

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    open_app(page, server + "/" + query)
    # relief and loop recognised, escape not; only relief is kept.
    walk_to_close(page, ["Yes, this fits me", "No, not really", "No, not really",
                         "Sometimes, or partly"])
    cycle_box = page.get_by_role("checkbox", name=content.text("en", "save.include_cycle"))
    assert not cycle_box.is_checked()
    click(page, page.get_by_text(content.text("en", "patterns.relief.title"), exact=True))
    talk = content.text("en", "patterns.relief.talk_about").splitlines()[0].removeprefix("- ")
    words = cycle_in_words(content, "en", {"distress", "use", "relief"},
                           note_key="summary.cycle_marked")
    pdf = flat(_download_text(page, "Download as PDF"))
    assert (flat(talk) in pdf) == bool(query)
    assert flat(content.text("en", "cycle.heading")) not in pdf
    click(page, page.get_by_text(content.text("en", "save.include_cycle"), exact=True))
    assert cycle_box.is_checked()
    pdf = flat(_download_text(page, "Download as PDF"))
    assert flat(words) in pdf  # loop was recognised but not kept: its stage is not marked
    assert (flat(talk) in pdf) == bool(query)
    web_page = _download_text(page, "Download as a web page")
    assert web_page.count("<svg ") == 1 and web_page.count('class="check-mark"') == 3
    click(page, page.get_by_text(content.text("en", "save.include_cycle"), exact=True))
    assert not cycle_box.is_checked()
    assert flat(words) not in flat(_download_text(page, "Download as PDF"))
    context.close()
