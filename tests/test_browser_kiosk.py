"""A kiosk in real Chromium: it forgets each visitor, never navigates away, offers help by QR.

The kiosk servers here run the real app.py behind tests/servers/inspect_app.py, which adds one
test-only route listing what every server session still holds.
"""

from __future__ import annotations

import io
import json
import time

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from reflect.kiosk import address_as_text
from tests.browser_support import (
    ANSWER_LABELS,
    ANSWER_RADIOS,
    IDLE,
    answer_first_two,
    choose,
    heading,
    open_app,
    press,
    running_server,
    server_sessions,
    session_ids,
    walk_to_close,
)

pytestmark = pytest.mark.browser

WELCOME = "A private reflection on coping"
ANSWER_IDS = ["sounds_like_me", "sometimes", "not_really", "rather_not_say"]
# What a visitor chose must not survive them anywhere: labels as shown, ids as kept.
TRACES = ANSWER_LABELS + ANSWER_IDS + ["answer:"]


def kiosk_command(*timers: str) -> list[str]:
    return [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/inspect_app.py",
            "--server.port", "PORT", "--", "--mode", "kiosk", *timers]


@pytest.fixture(scope="module")
def quick_kiosk(tmp_path_factory):
    """A kiosk with the shortest timers: 5 s idle, a 3 s countdown, the close back in 5 s."""
    log = tmp_path_factory.mktemp("kiosk") / "server.log"
    command = kiosk_command("--idle-seconds", "5", "--countdown-seconds", "3",
                            "--close-return-seconds", "5")
    with running_server(command, log) as url:
        yield url


@pytest.fixture(scope="module")
def counting_kiosk(tmp_path_factory):
    """A kiosk whose countdown is long enough to reach ten seconds: 5 s idle, then 12 s."""
    log = tmp_path_factory.mktemp("kiosk") / "server.log"
    command = kiosk_command("--idle-seconds", "5", "--countdown-seconds", "12")
    with running_server(command, log) as url:
        yield url


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    """A kiosk with the default timers, for looking at its screens without a reset."""
    log = tmp_path_factory.mktemp("kiosk") / "server.log"
    with running_server(kiosk_command(), log) as url:
        yield url


def open_page(browser, url: str, width: int = 1024, height: int = 900) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    open_app(page, url)
    return page


def browser_storage(page: Page) -> str:
    cookies = json.dumps(page.context.cookies())
    stored = page.evaluate("JSON.stringify([Object.entries(sessionStorage),"
                           " Object.entries(localStorage)])")
    return cookies + stored


def wait_for_welcome(page: Page, seconds: float) -> None:
    """Wait until the welcome screen is back and drawn in full."""
    page.wait_for_function(f"() => document.querySelector('h1')?.innerText === '{WELCOME}'",
                           timeout=seconds * 1000)
    page.wait_for_selector(IDLE)


def answer_two_questions(page: Page) -> None:
    answer_first_two(page, "Yes, this fits me", "I'd rather not say")


def test_an_idle_kiosk_counts_down_then_forgets_the_visitor_everywhere(browser, quick_kiosk):
    earlier = session_ids(quick_kiosk)
    page = open_page(browser, quick_kiosk)
    history_before = page.evaluate("history.length")
    answer_two_questions(page)
    # The visitor's answers are on the server now, so the checks below can tell.
    assert any("answer:relief" in s["keys"] for s in server_sessions(quick_kiosk, earlier))

    countdown = page.locator("#kiosk-idle")
    expect(countdown).to_be_visible(timeout=10_000)
    status = page.locator("#kiosk-idle-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("go back to the start in 3 seconds")
    expect(page.get_by_role("button", name="I'm still here")).to_be_visible()
    started = time.monotonic()
    wait_for_welcome(page, 15)
    waited = time.monotonic() - started
    assert waited < 8, f"the countdown took {waited:.1f} s"

    # 1. The screen: the welcome, with nothing of the last visitor.
    assert heading(page) == WELCOME
    main_text = page.locator("[data-testid=stMain]").inner_text()
    assert "Question" not in main_text
    # 2. The browser's inputs: no radio kept, and a new visit starts blank.
    expect(page.locator(ANSWER_RADIOS)).to_have_count(0)
    # 3. The server: no session keeps an answer, and each holds only the fresh keys.
    sessions = server_sessions(quick_kiosk, earlier)
    assert sessions
    for session in sessions:
        assert not [t for t in TRACES if t in session["everything"]], session
        assert set(session["keys"]) <= {"lang", "mode", "step", "widget_generation",
                                        "start_over", "language", "visit",
                                        "reflect_sync", "reflect_about_open", "run"}
    # 4. Cookies and storage: nothing of the answers.
    stored = browser_storage(page)
    assert not [t for t in TRACES if t in stored], stored
    # 5. History: the visit added nothing, and Back finds no earlier screen of the app.
    assert page.evaluate("history.length") == history_before
    page.go_back(wait_until="load")  # the page before the kiosk, if any: never a screen of it
    assert "Question" not in page.content()
    page.context.close()


def test_answers_left_behind_on_the_welcome_are_forgotten_before_the_next_visitor(
        browser, quick_kiosk):
    # The walk that leaked: answer questions 1 to 3, press Back to the welcome, walk away.
    earlier = session_ids(quick_kiosk)
    page = open_page(browser, quick_kiosk)
    press(page, "Start the reflection")
    for label in ANSWER_LABELS[:3]:
        choose(page, label)
        press(page, "Next")
    assert heading(page) == "Question 4 of 4"
    for _ in range(3):
        press(page, "Back")
    assert heading(page) == "Question 1 of 4"
    press(page, "Back")
    assert heading(page) == WELCOME
    assert any("answer:loop" not in s["keys"] and "answer:escalation" in s["keys"]
               for s in server_sessions(quick_kiosk, earlier))
    # Nobody touches the welcome: it counts down and forgets, as every other screen does.
    page.evaluate("window.leftBehind = true")
    expect(page.locator("#kiosk-idle")).to_be_visible(timeout=10_000)
    page.wait_for_function("() => window.leftBehind === undefined", timeout=15_000)  # reloaded
    wait_for_welcome(page, 15)
    for session in server_sessions(quick_kiosk, earlier):
        assert not [t for t in TRACES if t in session["everything"]], session
    # The next visitor presses Start and finds nothing chosen, on screen or in the inputs.
    press(page, "Start the reflection")
    assert heading(page) == "Question 1 of 4"
    expect(page.locator(ANSWER_RADIOS)).to_have_count(4)
    expect(page.locator(ANSWER_RADIOS + ":checked")).to_have_count(0)
    values = page.evaluate("Array.from(document.querySelectorAll('input'))"
                           ".filter(i => i.checked || (i.type !== 'radio' && i.value))"
                           ".map(i => i.closest('[class*=st-key-]')?.className || i.type)")
    assert all("st-key-language" in v for v in values), values
    for session in server_sessions(quick_kiosk, earlier):
        assert not [t for t in TRACES if t in session["everything"]], session
    page.context.close()


COUNTDOWN_LOG = """() => {
    window.countdownLog = [];
    const note = () => window.countdownLog.push({
        shown: !document.getElementById('kiosk-idle').hidden,
        number: document.querySelector('.kiosk-idle-count').textContent,
        sentence: document.querySelector('.kiosk-idle-body').textContent,
        spoken: document.getElementById('kiosk-idle-status').textContent});
    new MutationObserver(note).observe(document.getElementById('kiosk-idle').parentNode,
        {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_the_countdown_number_and_sentence_agree_and_screen_readers_hear_it_twice(
        browser, counting_kiosk):
    page = open_page(browser, counting_kiosk)
    answer_two_questions(page)
    page.evaluate(COUNTDOWN_LOG)
    expect(page.locator("#kiosk-idle")).to_be_visible(timeout=10_000)
    expect(page.locator(".kiosk-idle-count")).to_have_text("8", timeout=10_000)
    page.get_by_role("button", name="I'm still here").click()
    expect(page.locator("#kiosk-idle")).to_be_hidden()
    log = [entry for entry in page.evaluate("window.countdownLog") if entry["shown"]]
    numbers = [int(entry["number"]) for entry in log if entry["number"]]
    assert numbers[0] >= 11 and numbers[-1] == 8, numbers
    for entry in log:  # the sentence on screen says the number on screen, every second
        assert f"in {entry['number']} seconds" in entry["sentence"], entry
    spoken = [s for s in dict.fromkeys(entry["spoken"] for entry in log) if s]
    assert spoken == [f"{log[0]['sentence']}",
                      "To keep your answers private, this screen will clear them and go "
                      "back to the start in 10 seconds."], spoken
    # Heard, not seen: the spoken status takes no room on the screen.
    box = page.locator("#kiosk-idle-status").bounding_box()
    assert box is None or box["width"] <= 1 and box["height"] <= 1
    assert heading(page) == "Question 2 of 4"
    page.context.close()


def test_after_a_reset_the_next_visitor_starts_with_empty_answers(browser, quick_kiosk):
    page = open_page(browser, quick_kiosk)
    answer_two_questions(page)
    page.locator("#kiosk-idle").wait_for(state="visible", timeout=10_000)
    wait_for_welcome(page, 15)
    press(page, "Start the reflection")
    assert heading(page) == "Question 1 of 4"
    expect(page.locator(ANSWER_RADIOS)).to_have_count(4)
    expect(page.locator(ANSWER_RADIOS + ":checked")).to_have_count(0)
    page.context.close()


def test_im_still_here_keeps_the_visitor_where_they_were(browser, quick_kiosk):
    page = open_page(browser, quick_kiosk)
    answer_two_questions(page)
    still_here = page.get_by_role("button", name="I'm still here")
    expect(still_here).to_be_visible(timeout=10_000)
    still_here.click()
    expect(page.locator("#kiosk-idle")).to_be_hidden()
    assert heading(page) == "Question 2 of 4"
    expect(page.get_by_role("radio", name="I'd rather not say")).to_be_checked()
    page.context.close()


# Scroll the page so that the app's button with these words has its middle at height y.
SCROLL_UNDER = """([words, y]) => {
  // Room above the screen, so the button starts below the panel whatever the screen's length
  // (the welcome fits a landscape kiosk's first screen now, with no scroll to set the trap).
  document.querySelector('[data-testid=stMainBlockContainer]').style.paddingTop = '100vh';
  const button = [...document.querySelectorAll('[data-testid=stMain] button')]
    .find(b => b.innerText.trim() === words);
  const rect = button.getBoundingClientRect();
  const delta = rect.top + rect.height / 2 - y;
  for (const box of [document.querySelector('[data-testid=stAppScrollToBottomContainer]'),
    document.querySelector('[data-testid=stMain]'), document.scrollingElement]) {
    if (box && box.scrollHeight > box.clientHeight) { box.scrollTop += delta; return; }
  }
}"""


def test_a_tap_on_im_still_here_never_falls_through_to_the_button_under_it(browser,
                                                                            quick_kiosk):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True)
    page = context.new_page()
    open_app(page, quick_kiosk)
    press(page, "Start the reflection")
    choose(page, "Sometimes, or partly")
    press(page, "Back")  # the welcome, with an answer kept: it counts down
    still_here = page.get_by_role("button", name="I'm still here")
    expect(still_here).to_be_visible(timeout=10_000)
    box = still_here.bounding_box()
    centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    # Set the trap: scroll the welcome's Start button right under the panel's button (where it
    # falls depends on the wording above it). The scroll is activity: the countdown starts
    # again, and its panel comes back at the same place.
    page.evaluate(SCROLL_UNDER, ["Start the reflection", centre[1]])
    expect(still_here).to_be_hidden()
    expect(still_here).to_be_visible(timeout=10_000)
    under = page.evaluate(  # what the finger would reach with the panel gone
        "([x, y]) => { const p = document.getElementById('kiosk-idle'); p.hidden = true;"
        " const e = document.elementFromPoint(x, y); p.hidden = false;"
        " return e && e.closest('button') ? e.closest('button').innerText : null; }", centre)
    assert under == "Start the reflection"  # the trap the tap must not fall into
    page.evaluate("document.addEventListener('click', event => { if (event.target.closest("
                  "'[data-testid=stMain] button')) window.fellThrough = true; }, true)")
    still_here.tap()
    expect(page.locator("#kiosk-idle")).to_be_hidden()
    assert page.evaluate("window.fellThrough") is None  # no click reached the app's buttons
    page.wait_for_selector(IDLE)
    assert heading(page) == WELCOME
    context.close()


def test_start_over_on_a_kiosk_forgets_the_session_and_reloads(browser, quick_kiosk):
    earlier = session_ids(quick_kiosk)
    page = open_page(browser, quick_kiosk)
    answer_two_questions(page)
    page.get_by_role("button", name="Start over").click()
    wait_for_welcome(page, 10)
    assert heading(page) == WELCOME
    for session in server_sessions(quick_kiosk, earlier):
        assert not [t for t in TRACES if t in session["everything"]], session
    page.context.close()


def test_the_close_screen_returns_to_the_welcome_by_itself(browser, quick_kiosk):
    earlier = session_ids(quick_kiosk)
    page = open_page(browser, quick_kiosk)
    walk_to_close(page, ANSWER_LABELS[:1] * 4)
    assert heading(page) == "Talk with a professional"
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "When no one touches this screen for 5 seconds")
    wait_for_welcome(page, 15)
    for session in server_sessions(quick_kiosk, earlier):
        assert not [t for t in TRACES if t in session["everything"]], session
    page.context.close()


def check_kiosk_screen(page: Page) -> None:
    """Things true of every kiosk screen: no way out, no typing, big targets, no toolbar."""
    leaving = page.evaluate("Array.from(document.querySelectorAll('a[href]'))"
                            ".map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'))")
    assert leaving == [], f"links that navigate away: {leaving}"
    expect(page.locator("input[type=text], input:not([type]), textarea, "
                        "[contenteditable=true]")).to_have_count(0)
    expect(page.locator("[data-testid=stDownloadButton]")).to_have_count(0)
    for test_id in ("stMainMenu", "stAppDeployButton", "stStatusWidget", "stToolbar"):
        expect(page.locator(f"[data-testid={test_id}]:visible")).to_have_count(0)
    expect(page.get_by_role("button", name="Start over")).to_be_visible()
    expect(page.get_by_role("button", name="Quick exit")).to_have_count(0)
    targets = page.evaluate("""() => Array.from(document.querySelectorAll(
            'button, [data-testid=stRadioOption], summary, [role=switch], input[type=checkbox]'))
        .filter(e => e.offsetParent !== null)
        .map(e => { const r = e.getBoundingClientRect();
                    return [e.innerText.trim().slice(0, 30), r.width, r.height]; })""")
    assert targets
    small = [t for t in targets if t[1] < 48 or t[2] < 48]
    assert small == [], f"touch targets under 48x48 CSS px: {small}"
    # The answer tiles fill the column's width (issue 22.11: they stopped 50 px short): each
    # row of tiles (one tile, or two side by side on a landscape screen) runs from its left
    # edge to its right, and the tiles of a row are alike in width.
    short = page.evaluate("""() => {
        const column = document.querySelector('[data-testid=stMainBlockContainer]');
        const style = getComputedStyle(column), box = column.getBoundingClientRect();
        const left = box.left + parseFloat(style.paddingLeft);
        const right = box.right - parseFloat(style.paddingRight);
        const rows = {};
        for (const e of document.querySelectorAll('[data-testid=stMain] .stElementContainer'
            + ':not(.st-key-language):not(.st-key-reflect_history) [data-testid=stRadioOption]')) {
          const r = e.getBoundingClientRect();
          (rows[Math.round(r.top)] ||= []).push(r);
        }
        return Object.values(rows).filter((row) => {
          const widths = row.map((r) => r.width);
          return Math.abs(Math.min(...row.map((r) => r.left)) - left) > 1
            || Math.abs(Math.max(...row.map((r) => r.right)) - right) > 1
            || Math.max(...widths) - Math.min(...widths) > 1;
        }).map((row) => row.map((r) => [r.left, r.right, left, right])); }""")
    assert short == [], f"answer tiles short of the column: {short}"
    # Nothing needs hover: the picture's toolbar, shown only on hover, is never there.
    hovering = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=stElementToolbar]')].filter(e => getComputedStyle(e).display !== 'none')
        .length""")
    assert hovering == 0


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)], ids=["portrait", "landscape"])
def test_every_kiosk_screen_has_no_way_out_no_typing_and_large_targets(browser, kiosk, size):
    """And on every question, the statement, its answers, Back and Next are on the first
    screen: on a landscape kiosk Next ended at 974 px of 800 (the answers now two by two)."""
    page = open_page(browser, kiosk, width=size[0], height=size[1])
    check_kiosk_screen(page)
    press(page, "Start the reflection")
    for label in ANSWER_LABELS:
        check_kiosk_screen(page)
        for name in ("Back", "Next"):
            box = page.get_by_role("button", name=name, exact=True).bounding_box()
            assert box["y"] + box["height"] <= size[1], (name, box)
        choose(page, label)
        press(page, "Next")
    for forward in ("Ways people find help", "What to do next", None):
        for summary in page.locator("[data-testid=stExpander] summary").all():
            summary.click()  # open the sources, where the addresses are
        check_kiosk_screen(page)
        if forward:
            press(page, forward)
    assert heading(page) == "Talk with a professional"
    page.context.close()


def test_the_kiosk_qr_code_opens_the_help_page_from_the_help_line_file(browser, kiosk, content):
    page = open_page(browser, kiosk)
    walk_to_close(page, ANSWER_LABELS[:1] * 4)
    assert heading(page) == "Talk with a professional"
    image = page.locator(".st-key-kiosk_qr img")
    site = address_as_text(content.helplines.kiosk_qr.url)
    expect(image).to_have_attribute("alt", content.text("en", "kiosk.qr_alt", site=site))
    picture = Image.open(io.BytesIO(image.screenshot()))
    found = [code.text for code in zxingcpp.read_barcodes(picture)]
    assert found == [content.helplines.kiosk_qr.url]
    page.context.close()


# Where the close's QR code and its sentence are, with the page scrolled to its top.
QR_PLACE = """() => {
  const block = document.querySelector('.st-key-kiosk_qr');
  const img = block.querySelector('img'), words = block.querySelector('p');
  const b = block.getBoundingClientRect(), i = img.getBoundingClientRect();
  return {height: window.innerHeight, imgBottom: i.bottom,
          wordsBottom: words.getBoundingClientRect().bottom,
          offCentre: Math.abs((i.left + i.right) / 2 - (b.left + b.right) / 2),
          wordsAlign: getComputedStyle(words).textAlign}; }"""


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280), (390, 844)],
                         ids=["landscape", "portrait", "phone"])
def test_the_kiosk_close_shows_its_qr_code_first_centred_within_the_first_screen(
        browser, kiosk, size):
    """Issue 22.10: the code a visitor takes help away with was about 1,500 px down the close
    (2,061 px at 1280x800), left-aligned. Now it sits beside the heading (below it on a
    narrow screen), centred with its sentence, within the first screen, in both languages; at
    390x844 too, since the language tiles sit side by side there (the code ended at 953)."""
    page = open_page(browser, kiosk, width=size[0], height=size[1])
    walk_to_close(page, ANSWER_LABELS[:1] * 4)
    for lang in ("en", "es"):
        if lang == "es":
            choose(page, "Español")
            page.wait_for_function("() => document.documentElement.lang === 'es'")
        page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
        place = page.evaluate(QR_PLACE)
        assert place["imgBottom"] <= place["height"], (lang, place)
        assert place["wordsBottom"] <= place["height"], (lang, place)
        assert place["offCentre"] <= 2 and place["wordsAlign"] == "center", (lang, place)
    page.context.close()


def test_a_kiosk_ignores_a_mode_switch_in_the_url(browser, kiosk):
    for mode in ("counseling", "personal"):
        page = open_page(browser, f"{kiosk}/?mode={mode}")
        expect(page.get_by_role("switch")).to_have_count(0)
        press(page, "Start the reflection")
        for _ in range(4):
            choose(page, "Sometimes, or partly")
            press(page, "Next")
        expect(page.get_by_role("heading", name="To talk about together")).to_have_count(0)
        press(page, "Ways people find help")
        press(page, "What to do next")
        check_kiosk_screen(page)
        expect(page.get_by_role("checkbox")).to_have_count(0)
        page.context.close()
