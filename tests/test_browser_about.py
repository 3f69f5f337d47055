""""About this content" in real Chromium: the control is one short line a keyboard reaches, the
screen passes axe, Back closes it and Forward opens it again, and the reader comes back to
the screen they left with their answer and focus where they were. On a kiosk it adds no
history, leads nowhere, and the idle reset still clears it for the next visitor.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser_support import (
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
from tests.test_accessibility import violations
from tests.test_browser_history import (
    BEFORE,
    browser_button,
    checked_answer,
    drawn,
    entries,
    in_app,
    inspected,
    open_app,
    question,
    scroll_to_end,
    uncovered,
    walk_to_question,
)

pytestmark = pytest.mark.browser

CONTROL = ".st-key-reflect_about_open button"


def served(*app_args: str) -> list[str]:
    return ["bash", "scripts/serve.sh", "--server.port", "PORT", "--", *app_args]


@pytest.fixture(scope="module")
def personal(tmp_path_factory):
    log = tmp_path_factory.mktemp("about") / "personal.log"
    with running_server(served(), log) as url:
        yield url


@pytest.fixture(scope="module")
def quick_kiosk(tmp_path_factory):
    """A kiosk that counts down after 5 s without a touch, for 3 s; behind the test-only
    route that lists what each session holds (tests/servers/inspect_app.py)."""
    log = tmp_path_factory.mktemp("about") / "kiosk.log"
    with running_server(inspected("--mode", "kiosk", "--idle-seconds", "5",
                                  "--countdown-seconds", "3"), log) as url:
        yield url


def focused_name(page: Page) -> str:
    return page.evaluate("(document.activeElement.innerText || document.activeElement.tagName)"
                         ".trim()")


def tab_to_control(page: Page, content, lang: str) -> None:
    """Reach the control with Tab alone, from the top of the screen."""
    page.locator("#reflect-help-toggle").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused_name(page) == content.text(lang, "about.link"):
            return
    raise AssertionError("Tab never reached " + content.text(lang, "about.link"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_on_a_phone_back_closes_about_forward_reopens_it_and_nothing_is_lost(
        browser, personal, content, lang):
    page = open_app(browser, personal, "phone", lang)
    walk_to_question(page, content, lang, ["sometimes"])
    choose(page, content.answer_label(lang, "not_really"))
    assert heading(page) == question(content, lang, 2)
    # One short line at the end of the screen, in reach and not covered by the bar.
    control = page.locator(CONTROL)
    expect(control).to_have_text(content.text(lang, "about.link"))
    box = control.bounding_box()
    assert box["height"] <= 48 and box["width"] < 390, box
    scroll_to_end(page)
    assert uncovered(page, CONTROL)
    index, urls = entries(page)

    tab_to_control(page, content, lang)
    after_run(page, lambda: page.keyboard.press("Enter"))
    drawn(page)
    assert heading(page) == content.text(lang, "about.heading")
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        content.text(lang, "about.not_reviewed"))
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")  # focus on its heading
    assert entries(page) == (index + 1, [*urls[:index + 1], urls[index]])  # one entry, the same URL
    assert page.url == urls[index]  # nothing of it in the address
    assert violations(page) == []

    in_app(page, "back")  # the browser's own Back closes it
    assert heading(page) == question(content, lang, 2)
    assert checked_answer(page) == content.answer_label(lang, "not_really")
    page.wait_for_function(f"() => document.activeElement.closest('{CONTROL}') !== null")
    assert entries(page)[0] == index
    assert violations(page) == []  # the screen with the control on it

    in_app(page, "forward")  # and Forward opens it again
    assert heading(page) == content.text(lang, "about.heading")
    press(page, content.text(lang, "about.back"))  # its own button closes it as well
    page.wait_for_function("() => !window.reflectHistory.closingAbout")
    assert heading(page) == question(content, lang, 2)
    assert checked_answer(page) == content.answer_label(lang, "not_really")
    assert entries(page)[0] == index  # history is where it was before it opened

    in_app(page, "back")  # so Back goes to the screen before, as it did
    assert heading(page) == question(content, lang, 1)
    assert checked_answer(page) == content.answer_label(lang, "sometimes")
    page.context.close()


def test_two_quick_backs_from_about_land_on_the_screen_before_the_one_it_was_opened_on(
        browser, personal, content):
    page = open_app(browser, personal, "laptop")
    walk_to_question(page, content, "en", ["sometimes"])
    assert heading(page) == question(content, "en", 2)
    after_run(page, page.locator(CONTROL).click)
    assert heading(page) == content.text("en", "about.heading")
    before = runs(page)
    browser_button(page, "back")
    browser_button(page, "back")  # a double tap on the phone's back gesture
    page.wait_for_function(f"() => {RUN_NUMBER} > {before}")
    page.wait_for_function("() => window.reflectHistory.pending === null "
                           "&& !window.reflectHistory.inflight "
                           "&& !window.reflectHistory.aboutWanted")
    page.wait_for_selector(IDLE)
    assert heading(page) == question(content, "en", 1)
    assert checked_answer(page) == content.answer_label("en", "sometimes")
    assert page.evaluate("history.state.reflect") == {"step": 1, "depth": 1}
    in_app(page, "back")
    assert heading(page) == content.text("en", "welcome.heading")
    browser_button(page, "back")  # and on out of the app, to where the reader came from
    page.wait_for_url(BEFORE)
    page.context.close()


def test_on_a_kiosk_about_adds_no_history_and_the_idle_reset_still_clears_it(
        browser, quick_kiosk, content):
    earlier = session_ids(quick_kiosk)
    page = open_app(browser, quick_kiosk, "laptop")
    before = entries(page)
    walk_to_question(page, content, "en", ["sometimes"])
    assert [s for s in server_sessions(quick_kiosk, earlier) if "answer:relief" in s["keys"]]
    after_run(page, page.locator(CONTROL).click)
    drawn(page)
    assert heading(page) == content.text("en", "about.heading")
    main = page.locator("[data-testid=stMain]")
    expect(main.locator("a")).to_have_count(0)  # nothing here leads away from the kiosk
    assert entries(page) == before
    expect(page.get_by_role("button", name=content.text("en", "nav.start_over"),
                            exact=True)).to_be_visible()
    # Nobody touches it: the countdown comes, then the welcome for the next visitor.
    page.evaluate("window.beforeReset = true")
    expect(page.locator("#kiosk-idle")).to_be_visible(timeout=15_000)
    page.wait_for_function("() => window.beforeReset === undefined", timeout=15_000)  # loaded anew
    page.wait_for_selector(IDLE)
    drawn(page)
    assert heading(page) == content.text("en", "welcome.heading")
    assert entries(page) == before
    # Forgotten on the server too: the reset pressed the kiosk's own Start over, still there
    # under the about screen (a reload alone would leave the old session for two minutes).
    held = [s for s in server_sessions(quick_kiosk, earlier)
            if "answer:" in s["everything"] or "about_open" in s["keys"]]
    assert held == []
    page.context.close()
