"""How the screens look, measured in real Chromium (issue 22): the counseling mode's larger
type on every text and control, and nothing that breaks or scrolls sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser_support import after_run, open_app, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("design") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


# Every visible text on the page smaller than min px, with where it is (icons' ligature
# names, such as "keyboard_arrow_right", are glyphs, not words to read).
SMALL_TEXT = """(min) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, words = node.textContent.trim();
    const element = node.parentElement;
    if (!words || element.closest('[hidden], [data-testid=stIconMaterial], style, script'))
      continue;
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < min) small.push(`${size}px ${element.tagName}: ${words.slice(0, 40)}`);
  }
  return small; }"""
# Every visible control's height (not the picture's fullscreen button, which Streamlit shows
# on hover only, for a mouse).
LOW_CONTROLS = """(min) => [...document.querySelectorAll(
    'button, [data-testid=stRadioOption], [data-testid=stCheckbox] label, summary')]
  .filter((e) => e.getBoundingClientRect().height && !e.closest('[hidden]')
    && !e.closest('[data-testid=stElementToolbar]'))
  .filter((e) => e.getBoundingClientRect().height < min)
  .map((e) => `${Math.round(e.getBoundingClientRect().height)}px: ${e.innerText.slice(0, 40)}`)
"""
COUNSELING_TEXT_PX = 20  # 1.25rem: assets/counseling.css
COUNSELING_CONTROL_PX = 48


def press_text(page: Page, words: str) -> None:
    after_run(page, page.get_by_role("button", name=words, exact=True).click)


def choose_text(page: Page, words: str) -> None:
    after_run(page, page.get_by_text(words, exact=True).click)


def in_language(page: Page, lang: str) -> None:
    if lang == "es":
        choose_text(page, "Español")
        page.wait_for_function("() => document.documentElement.lang === 'es'")


def counseling_screens(page: Page, content, lang: str):
    """Walk a counseling session from the welcome to the close and About, yielding the name of
    each screen (and state) once it is drawn: the bar's help open, and an answer asked for."""
    text = lambda key: content.text(lang, key)  # noqa: E731
    yield "welcome"
    page.locator(".reflect-help-toggle").click()
    page.wait_for_selector(".reflect-help-list:not([hidden])")
    yield "welcome, help list open"
    page.locator(".reflect-help-toggle").click()
    press_text(page, text("welcome.start"))
    press_text(page, text("nav.next"))
    yield "question, an answer asked for"
    for answer in ("sounds_like_me", "not_really", "rather_not_say", "sometimes"):
        choose_text(page, content.answer_label(lang, answer))
        press_text(page, text("nav.next"))
    yield "reflection"
    press_text(page, text("reflection.next"))
    yield "help"
    press_text(page, text("help.next"))
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-reflect_save button').length === 3")
    yield "close"
    press_text(page, text("nav.start_over"))
    yield "close, start over asked"
    press_text(page, text("nav.start_over_no"))
    press_text(page, text("about.link"))
    yield "about"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_in_counseling_every_text_and_control_is_large_enough_to_read_from_a_desk_apart(
        browser, server, content, lang):
    """Issue 22.9: the larger type reached the paragraphs only; the answers (16.8 px), the bar,
    the language switch and "About this content" (16 px) stayed small."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    open_app(page, server + "/?mode=counseling")
    in_language(page, lang)
    seen = []
    for screen in counseling_screens(page, content, lang):
        seen.append(screen)
        assert page.evaluate(SMALL_TEXT, COUNSELING_TEXT_PX) == [], screen
        assert page.evaluate(LOW_CONTROLS, COUNSELING_CONTROL_PX) == [], screen
    assert len(seen) == 8
    page.context.close()
