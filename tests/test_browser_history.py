"""Back, Forward, reload and Quick exit as a reader uses them, in real Chromium (issue 17).

The browser's own Back and Forward here are the mouse's back and forward buttons, sent
through the DevTools protocol: Chromium handles them as its toolbar's Back (its history
manipulation intervention skips entries a page added without a user's gesture), unlike
history.back() or Playwright's go_back, which no intervention touches.

The servers run the real app.py behind tests/servers/inspect_app.py, which adds one test-only
route listing what every server session still holds. Quick exit leaves for a page the tests
serve themselves (https://neutral.test/), as an operator's --quick-exit-to would.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import Page, expect

from tests import contacts
from tests.browser_support import (
    ANSWER_RADIOS,
    IDLE,
    RUN_NUMBER,
    after_run,
    choose,
    heading,
    press,
    running_server,
    runs,
    server_sessions,
    session_ids,
)

pytestmark = pytest.mark.browser

NEUTRAL = "https://neutral.test/"
BEFORE = "https://before.test/"  # the page a reader came from
SIZES = {"phone": (390, 844), "laptop": (1280, 800)}
LOCALES = {"en": "en-US", "es": "es-US"}
EVERY = [(size, lang) for size in SIZES for lang in LOCALES]
ANSWER_IDS = ["sounds_like_me", "sometimes", "not_really", "rather_not_say"]
TRACES = ANSWER_IDS + ["answer:"]


def inspected(*app_args: str) -> list[str]:
    return [".venv/bin/python", "-m", "streamlit", "run", "tests/servers/inspect_app.py",
            "--server.port", "PORT", "--", *app_args]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("history") / "server.log"
    with running_server(inspected("--quick-exit-to", NEUTRAL), log) as url:
        yield url


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    log = tmp_path_factory.mktemp("history-kiosk") / "server.log"
    with running_server(inspected("--mode", "kiosk"), log) as url:
        yield url


def serve(html: str):
    """A route handler that answers with a small page (Playwright may pass the request too)."""
    def handle(route, request=None):
        route.fulfill(content_type="text/html", body=html)
    return handle


def open_app(browser, url: str, size: str = "phone", lang: str = "en") -> Page:
    """Open the app as a reader does: from another page, in a new tab."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale=LOCALES[lang])
    for address, title in ((NEUTRAL, "Weather"), (BEFORE, "Search results")):
        context.route(f"{address}**", serve(f"<!doctype html><title>{title}</title><p>{title}"))
    page = context.new_page()
    page.goto(BEFORE)
    page.goto(url)
    drawn(page)
    page.wait_for_selector("#reflect-bar")
    return page


def browser_button(page: Page, which: str = "back") -> None:
    """Press the mouse's back or forward button: the browser's own Back or Forward."""
    session = page.context.new_cdp_session(page)
    try:
        for kind in ("mousePressed", "mouseReleased"):
            session.send("Input.dispatchMouseEvent", {
                "type": kind, "x": 10, "y": 300, "button": which, "clickCount": 1,
                "buttons": 8 if which == "back" else 16})
    finally:
        session.detach()


def in_app(page: Page, which: str) -> None:
    """Back or Forward between the app's screens: wait for the run that answers it (the page
    script has nothing left to ask the server for)."""
    after_run(page, lambda: browser_button(page, which))
    page.wait_for_function("() => window.reflectHistory.pending === null")
    page.wait_for_selector(IDLE)


def entries(page: Page) -> tuple[int, list[str]]:
    """The tab's history as the browser keeps it: the current index and every entry's URL."""
    session = page.context.new_cdp_session(page)
    try:
        found = session.send("Page.getNavigationHistory")
    finally:
        session.detach()
    return found["currentIndex"], [entry["url"] for entry in found["entries"]]




def walk_to_question(page: Page, content, lang: str, answers: list[str]) -> None:
    """From the welcome, answer questions in turn and stop on the next one."""
    press(page, content.text(lang, "welcome.start"))
    for answer in answers:
        choose(page, content.answer_label(lang, answer))
        press(page, content.text(lang, "nav.next"))


def question(content, lang: str, number: int) -> str:
    return content.text(lang, "question.progress", number=number, total=len(content.patterns))


def checked_answer(page: Page) -> str | None:
    chosen = page.locator(ANSWER_RADIOS + ":checked")
    if chosen.count() == 0:
        return None
    return chosen.locator("xpath=ancestor::label[1]").inner_text().strip()


def nothing_kept_in_the_browser(page: Page) -> None:
    """Only a screen's number in history; nothing in the URL or the browser's storage."""
    state = page.evaluate("JSON.stringify(history.state)")
    assert set(json.loads(state)) == {"reflect"}, state
    assert set(json.loads(state)["reflect"]) == {"step", "depth"}, state
    assert not [trace for trace in TRACES if trace in state + page.url]
    assert page.url.endswith("/#"), page.url
    # Streamlit keeps only its theme there ("stActiveTheme-/-v2"); the app keeps nothing.
    stored = page.evaluate("[...Object.keys(sessionStorage), ...Object.keys(localStorage)]")
    assert [key for key in stored if not key.startswith("stActiveTheme-")] == []


def wait_until_no_session_holds_answers(url: str, earlier: set[str], seconds: float) -> float:
    """Wait until no session on the server holds an answer; return how long it took."""
    start = time.monotonic()
    while True:
        holding = [s for s in server_sessions(url, earlier)
                   if [trace for trace in TRACES if trace in s["everything"]]]
        if not holding:
            return time.monotonic() - start
        assert time.monotonic() - start < seconds, holding
        time.sleep(0.1)


# ---- 1. Back and Forward move between the reflection's screens ----------------------------


def test_the_back_these_tests_press_skips_entries_a_page_added_without_a_gesture(browser):
    # The browser's own Back, as pressed here, is the one with Chromium's intervention: a page
    # that moves on without the reader touching it is skipped. So when the app's screens are
    # not skipped below, it is because each entry follows the reader's own tap or key.
    context = browser.new_context()
    for name, body in (("a", ""), ("b", "<script>location.href = 'https://c.test/'</script>"),
                       ("c", "")):
        context.route(f"https://{name}.test/**", serve(f"<!doctype html><title>t</title>{body}"))
    page = context.new_page()
    page.goto("https://a.test/")
    page.goto("https://b.test/")
    page.wait_for_url("https://c.test/")
    browser_button(page, "back")
    page.wait_for_url("https://a.test/")
    context.close()



@pytest.mark.parametrize("size,lang", EVERY)
def test_back_and_forward_move_between_the_screens_and_keep_the_answers(
        browser, server, content, size, lang):
    page = open_app(browser, server, size, lang)
    _, before = entries(page)
    walk_to_question(page, content, lang, ["sometimes", "not_really"])
    assert heading(page) == question(content, lang, 3)
    _, after = entries(page)
    assert len(after) == len(before) + 3  # one entry per screen: Question 1, 2 and 3
    nothing_kept_in_the_browser(page)
    in_app(page, "back")
    assert heading(page) == question(content, lang, 2)
    assert checked_answer(page) == content.answer_label(lang, "not_really")
    in_app(page, "back")
    assert heading(page) == question(content, lang, 1)
    assert checked_answer(page) == content.answer_label(lang, "sometimes")
    nothing_kept_in_the_browser(page)
    in_app(page, "forward")
    assert heading(page) == question(content, lang, 2)
    in_app(page, "forward")
    assert heading(page) == question(content, lang, 3)
    # Focus is on the new screen's heading, as after the app's own Next.
    assert page.evaluate("document.activeElement.tagName") == "H1"
    for _ in range(3):
        in_app(page, "back")
    assert heading(page) == content.text(lang, "welcome.heading")
    # Back from the welcome leaves the app, for the page the reader came from.
    browser_button(page, "back")
    page.wait_for_url(BEFORE)
    page.context.close()


def test_two_quick_backs_land_two_screens_back_and_history_agrees(browser, server, content):
    page = open_app(browser, server)
    walk_to_question(page, content, "en", ["sometimes", "not_really"])
    assert heading(page) == question(content, "en", 3)
    before = runs(page)
    browser_button(page, "back")
    browser_button(page, "back")  # a double tap on the phone's back gesture
    page.wait_for_function(f"() => {RUN_NUMBER} > {before}")
    page.wait_for_function("() => window.reflectHistory.pending === null "
                           "&& !window.reflectHistory.inflight")
    page.wait_for_selector(IDLE)
    assert heading(page) == question(content, "en", 1)
    assert page.evaluate("history.state.reflect.step") == 1
    in_app(page, "forward")
    assert heading(page) == question(content, "en", 2)
    in_app(page, "forward")
    assert heading(page) == question(content, "en", 3)
    page.context.close()


def test_forward_to_a_screen_the_reader_cannot_reach_now_stays_put(browser, server, content):
    page = open_app(browser, server)
    walk_to_question(page, content, "en", ["sometimes"])
    assert heading(page) == question(content, "en", 2)
    # An entry made by hand that asks for the reflection, with questions 2 to 4 unanswered.
    page.evaluate("history.pushState({reflect: {step: 5, depth: 3}}, '', location.href);"
                  "history.back()")
    page.wait_for_function("() => history.state.reflect.step === 2")
    in_app(page, "forward")
    assert heading(page) == question(content, "en", 2)
    page.wait_for_function("() => history.state.reflect.step === 2")  # history follows the server
    page.context.close()


# ---- 2. History never outlives the reader ---------------------------------------------------


def app_entries_behind(page: Page, app_url: str) -> list[str]:
    index, urls = entries(page)
    return [url for url in urls[:index] if url.startswith(app_url)]


def app_entries_ahead(page: Page, app_url: str) -> list[str]:
    index, urls = entries(page)
    return [url for url in urls[index + 1:] if url.startswith(app_url)]


@pytest.mark.parametrize("size,lang,reload", [("phone", "en", False), ("laptop", "es", False),
                                              ("phone", "es", True), ("laptop", "en", True)])
def test_back_after_a_quick_exit_never_returns_to_the_app(browser, server, content, size, lang,
                                                          reload):
    earlier = session_ids(server)
    page = open_app(browser, server, size, lang)
    walk_to_question(page, content, lang, ["sounds_like_me", "sometimes"])
    if reload:  # the entries made before a reload must go too
        page.reload()
        drawn(page)
        # The session before the reload is the reload's: it is kept until its time to
        # reconnect runs out (two minutes, as the reload line says); leave it out here.
        earlier = session_ids(server)
        walk_to_question(page, content, lang, ["not_really"])
    page.get_by_role("button", name=content.text(lang, "quick_exit.label"), exact=True).click()
    page.wait_for_url(NEUTRAL)
    assert app_entries_behind(page, server) == []
    assert len(app_entries_ahead(page, server)) <= 1  # at most the one guard entry
    browser_button(page, "back")
    page.wait_for_url(BEFORE)
    # What is left ahead opens only an empty welcome: the server has forgotten the answers.
    wait_until_no_session_holds_answers(server, earlier, 5)
    browser_button(page, "forward")
    page.wait_for_url(NEUTRAL)
    if app_entries_ahead(page, server):
        browser_button(page, "forward")
        page.wait_for_url(f"{server}/#")
        drawn(page)
        assert heading(page) == content.text(lang, "welcome.heading")
    page.context.close()


@pytest.mark.parametrize("size,lang", [("phone", "es"), ("laptop", "en")])
def test_back_after_start_over_never_returns_to_a_screen_with_answers(
        browser, server, content, size, lang):
    page = open_app(browser, server, size, lang)
    walk_to_question(page, content, lang, ["sounds_like_me", "sometimes"])
    page.reload()  # the entries made before a reload go too
    drawn(page)
    walk_to_question(page, content, lang, ["sounds_like_me"])
    press(page, content.text(lang, "nav.start_over"))
    press(page, content.text(lang, "nav.start_over_yes"))
    assert heading(page) == content.text(lang, "welcome.heading")
    page.wait_for_function("() => history.state.reflect.depth === 0")
    browser_button(page, "back")
    page.wait_for_url(BEFORE)
    # Forward again: the welcome, loaded anew; then Question 1 with nothing chosen, and no
    # further: Question 2 cannot be reached without an answer to Question 1.
    browser_button(page, "forward")
    page.wait_for_url(f"{server}/#")
    page.wait_for_selector(IDLE)
    assert heading(page) == content.text(lang, "welcome.heading")
    in_app(page, "forward")
    assert heading(page) == question(content, lang, 1)
    assert checked_answer(page) is None
    in_app(page, "forward")
    assert heading(page) == question(content, lang, 1)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_kiosk_adds_no_history_and_back_after_a_reset_shows_no_answers(
        browser, kiosk, content, size):
    page = open_app(browser, kiosk, size)
    _, before = entries(page)
    walk_to_question(page, content, "en", ["sounds_like_me", "sometimes"])
    assert heading(page) == question(content, "en", 3)
    assert entries(page)[1] == before  # not one entry added
    page.evaluate("window.beforeReset = true")
    page.get_by_role("button", name="Start over", exact=True).click()
    page.wait_for_function("() => window.beforeReset === undefined")  # the page was loaded anew
    page.wait_for_selector(IDLE)
    assert entries(page)[1] == before
    browser_button(page, "back")
    page.wait_for_url(BEFORE)
    page.context.close()


# ---- 3. A reload says, in one calm line, that the answers were cleared ----------------------


@pytest.mark.parametrize("size,lang", EVERY)
def test_a_reload_says_in_one_calm_line_that_the_answers_were_cleared(
        browser, server, content, size, lang):
    page = open_app(browser, server, size, lang)
    notice = page.locator("#reflect-reloaded")
    expect(notice).to_be_hidden()  # a first visit has nothing to say
    walk_to_question(page, content, lang, ["sounds_like_me"])
    page.reload()
    page.wait_for_selector(IDLE)
    expect(notice).to_be_visible()
    expect(notice).to_have_text(content.text(lang, "reload.notice"))
    expect(notice).to_have_attribute("role", "status")
    assert heading(page) == content.text(lang, "welcome.heading")
    press(page, content.text(lang, "welcome.start"))
    assert checked_answer(page) is None
    expect(notice).to_be_hidden()  # said once, then gone
    # A reload on the welcome says nothing: nothing was chosen there.
    press(page, content.text(lang, "nav.back"))
    assert heading(page) == content.text(lang, "welcome.heading")
    page.reload()
    page.wait_for_selector(IDLE)
    expect(notice).to_be_hidden()
    page.context.close()


# ---- 4. Quick exit: in reach everywhere, forgets at once, leaves for a neutral page ----------


def scroll_to_end(page: Page) -> None:
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 1e6")


def uncovered(page: Page, selector: str) -> bool:
    """Say whether the element is inside the window and nothing covers its middle."""
    return page.evaluate("""(selector) => {
        const node = document.querySelector(selector);
        const box = node.getBoundingClientRect();
        if (box.width === 0 || box.top < 0 || box.bottom > innerHeight || box.left < 0
            || box.right > innerWidth) return false;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return node.contains(hit);
    }""", selector)


def drawn(page: Page) -> None:
    """Wait until every element of the screen is drawn: Streamlit draws a widget whose code
    is still loading as a placeholder, even when the run has ended."""
    page.wait_for_selector(IDLE)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')")


def next_screen(page: Page, content, lang: str) -> bool:
    """Go on from any screen (answering a question with "Sometimes, or partly"); False on the
    close."""
    drawn(page)
    title = heading(page)
    if title.startswith(question(content, lang, 1).split(" ")[0]):
        choose(page, content.answer_label(lang, "sometimes"))
    for key in ("welcome.start", "nav.next", "reflection.next", "help.next"):
        button = page.get_by_role("button", name=content.text(lang, key), exact=True)
        if button.count():
            after_run(page, button.click)
            return True
    return False


@pytest.mark.parametrize("size,lang", EVERY)
def test_quick_exit_stays_in_reach_and_the_server_forgets_within_seconds(
        browser, server, content, size, lang):
    earlier = session_ids(server)
    page = open_app(browser, server, size, lang)
    exit_button = page.get_by_role("button", name=content.text(lang, "quick_exit.label"),
                                   exact=True)
    screens = 0
    while True:
        screens += 1
        for place in ("top", "end"):
            if place == "end":
                scroll_to_end(page)
            assert uncovered(page, "#reflect-quick-exit"), (heading(page), place)
        if not next_screen(page, content, lang):
            break
    assert screens == 8
    assert [s for s in server_sessions(server, earlier) if "answer:loop" in s["everything"]]
    exit_button.click()
    page.wait_for_url(NEUTRAL)
    took = wait_until_no_session_holds_answers(server, earlier, 3)
    print(f"the server held no answers {took:.2f} s after Quick exit")
    page.context.close()


def test_the_quick_exit_keys_leave_at_once(browser, server, content):
    earlier = session_ids(server)
    page = open_app(browser, server, "laptop")
    walk_to_question(page, content, "en", ["sometimes"])
    exit_button = page.locator("#reflect-quick-exit")
    expect(exit_button).to_have_attribute("aria-keyshortcuts", "Alt+Shift+Q")
    page.keyboard.press("q")  # a single letter does nothing (screen readers use those)
    page.keyboard.press("Escape")
    assert heading(page) == question(content, "en", 2)
    page.keyboard.press("Alt+Shift+KeyQ")
    page.wait_for_url(NEUTRAL)
    wait_until_no_session_holds_answers(server, earlier, 3)
    page.context.close()


def test_a_kiosk_has_no_quick_exit_and_keeps_start_over(browser, kiosk):
    page = open_app(browser, kiosk, "laptop")
    expect(page.locator("#reflect-quick-exit")).to_be_hidden()
    expect(page.get_by_role("button", name="Start over", exact=True)).to_be_visible()
    page.context.close()


# ---- 5. Help in reach: one tap away, and the bar never hides what has focus -----------------


@pytest.mark.parametrize("size,lang", EVERY)
def test_the_crisis_contacts_are_one_tap_away_on_every_screen(
        browser, server, content, size, lang):
    page = open_app(browser, server, size, lang)
    toggle = page.get_by_role("button", name=content.text(lang, "bar.help"), exact=True)
    help_list = page.locator("#reflect-help-list")
    while True:
        scroll_to_end(page)
        assert uncovered(page, "#reflect-help-toggle"), heading(page)
        toggle.click()
        expect(help_list).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        for target in contacts.targets(content, web=False):
            link = help_list.locator(f"a[href='{target}']")
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box["y"] + box["height"] <= SIZES[size][1], target
        for line in content.helplines.crisis:
            expect(help_list).to_contain_text(line.text[lang].short)
        for link in help_list.locator("a[href^='https:']").all():
            # As on the screen: a web page opens in a new tab, the reflection stays open.
            expect(link).to_have_attribute("target", "_blank")
            expect(link).to_have_attribute("rel", "noopener noreferrer")
        if not next_screen(page, content, lang):
            break
        expect(help_list).to_be_hidden()  # a new screen starts with the list closed
        expect(toggle).to_have_attribute("aria-expanded", "false")
    page.context.close()


@pytest.mark.parametrize("lang", LOCALES)
def test_the_bar_fits_a_small_phone_with_large_text(browser, server, content, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale=LOCALES[lang])
    page = context.new_page()
    page.goto(server)
    drawn(page)
    page.wait_for_selector("#reflect-bar")
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # the reader's text size
    for selector in ("#reflect-help-toggle", "#reflect-quick-exit"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (selector, box)
    assert page.evaluate("document.getElementById('reflect-bar').scrollWidth") <= 320
    context.close()


FOCUS_UNDER_BAR = """() => {
    const focused = document.activeElement;
    const bar = document.getElementById('reflect-bar');
    if (!focused || bar.contains(focused) || focused === document.body) return null;
    const box = focused.getBoundingClientRect(), top = bar.getBoundingClientRect();
    return {name: (focused.innerText || focused.value || focused.tagName).slice(0, 40),
            hidden: box.top < top.bottom && box.bottom > top.top, top: box.top,
            bar: top.bottom};
}"""


def tab_through_every_screen(page: Page, content, lang: str, start: str, presses: int) -> int:
    """On every screen, scrolled to its end, Tab from a control of the bar as many times as
    given; assert the bar never hides the focused control; return how many were checked."""
    seen = 0
    while True:
        scroll_to_end(page)
        page.locator(start).focus()
        for _ in range(presses):
            page.keyboard.press("Tab")
            found = page.evaluate(FOCUS_UNDER_BAR)
            if found is None:
                continue
            seen += 1
            assert not found["hidden"], (heading(page), found)
        if not next_screen(page, content, lang):
            return seen


@pytest.mark.parametrize("size,lang", EVERY)
def test_the_bar_never_hides_the_focused_control_while_tabbing(
        browser, server, content, size, lang):
    page = open_app(browser, server, size, lang)
    assert tab_through_every_screen(page, content, lang, "#reflect-quick-exit", 40) > 40
    page.context.close()


def test_the_bar_never_hides_the_focused_control_on_a_kiosk(browser, kiosk, content):
    page = open_app(browser, kiosk, "laptop")
    assert tab_through_every_screen(page, content, "en", "#reflect-help-toggle", 30) > 20
    page.context.close()


def test_what_a_client_chose_on_the_close_stays_when_they_look_back(browser, server, content):
    # A counselor and client check the help screen again, then come back to the close: the
    # ticks and the note are still there (and still only in this session).
    page = open_app(browser, f"{server}/?mode=counseling", "laptop")
    walk_to_question(page, content, "en", ["sounds_like_me", "sometimes", "not_really",
                                           "not_really"])
    press(page, content.text("en", "reflection.next"))
    press(page, content.text("en", "help.next"))
    title = content.text("en", "patterns.relief.title")
    after_run(page, page.get_by_text(title, exact=True).click)
    note = page.get_by_label(content.text("en", "save.note_label"))
    note.fill("Talk about sleep")
    after_run(page, lambda: page.keyboard.press("Tab"))  # a text area sends its value on blur
    in_app(page, "back")
    assert heading(page) == content.text("en", "help.heading")
    in_app(page, "forward")
    drawn(page)
    assert heading(page) == content.text("en", "close.heading")
    expect(page.get_by_role("checkbox", name=title)).to_be_checked()
    expect(note).to_have_value("Talk about sleep")
    press(page, content.text("en", "nav.start_over"))  # and Start over forgets them
    press(page, content.text("en", "nav.start_over_yes"))
    walk_to_question(page, content, "en", ["sounds_like_me", "sometimes", "not_really",
                                           "not_really"])
    press(page, content.text("en", "reflection.next"))
    press(page, content.text("en", "help.next"))
    expect(page.get_by_role("checkbox", name=title)).not_to_be_checked()
    expect(note).to_have_value("")
    page.context.close()
