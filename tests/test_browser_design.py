"""How the screens look, measured in real Chromium (issue 22): the counseling mode's larger
type on every text and control, and nothing that breaks or scrolls sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from reflect.render import contact_ways
from tests.browser_support import choose, open_app, press, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("design") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    log = tmp_path_factory.mktemp("design") / "kiosk.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log,
                        env={"REFLECT_MODE": "kiosk"}) as url:
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




def in_language(page: Page, lang: str) -> None:
    if lang == "es":
        choose(page, "Español")
        page.wait_for_function("() => document.documentElement.lang === 'es'")


def every_screen(page: Page, content, lang: str, kiosk: bool = False):
    """Walk a session from the welcome to the close (and, but on a kiosk, Start over asked and
    About), yielding the name of each screen or state once it is drawn: the bar's help open,
    an answer asked for."""
    text = lambda key: content.text(lang, key)  # noqa: E731
    yield "welcome"
    page.locator(".reflect-help-toggle").click()
    page.wait_for_selector(".reflect-help-list:not([hidden])")
    yield "welcome, help list open"
    page.locator(".reflect-help-toggle").click()
    # Listen pressed: headless Chromium has no voice, so the bar says so under its row.
    page.locator("#reflect-listen").click()
    page.wait_for_function("() => document.getElementById('reflect-listen-status')"
                           ".innerText.trim() !== ''")
    yield "welcome, Listen pressed"
    press(page, text("welcome.start"))
    press(page, text("nav.next"))
    yield "question, an answer asked for"
    for answer in ("sounds_like_me", "not_really", "rather_not_say", "sometimes"):
        choose(page, content.answer_label(lang, answer))
        press(page, text("nav.next"))
    yield "reflection"
    press(page, text("reflection.next"))
    yield "help"
    press(page, text("help.next"))
    if kiosk:  # nothing to keep, and Start over forgets the visitor at once
        yield "close"
        return
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-reflect_save button').length === 3")
    yield "close"
    press(page, text("nav.start_over"))
    yield "close, start over asked"
    press(page, text("nav.start_over_no"))
    press(page, text("about.link"))
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
    for screen in every_screen(page, content, lang):
        seen.append(screen)
        assert page.evaluate(SMALL_TEXT, COUNSELING_TEXT_PX) == [], screen
        assert page.evaluate(LOW_CONTROLS, COUNSELING_CONTROL_PX) == [], screen
    assert len(seen) == 9
    page.context.close()


# Where each occurrence of a word on the page lies: the number of lines it takes (a word
# broken across two lines has rects at two heights), and whether the page scrolls sideways.
BROKEN = """(words) => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('[hidden], style, script')) continue;
    const plain = node.textContent.replace(/\u00a0/g, ' ').replace(/\u2011/g, '-');
    for (const word of words) {
      let at = plain.indexOf(word);
      while (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width)
                                                         .map((r) => Math.round(r.bottom)));
        if (tops.size > 1) broken.push(`${word} in "${plain.slice(0, 60)}"`);
        at = plain.indexOf(word, at + 1);
      }
    }
  }
  return broken; }"""
SIDEWAYS = """() => [document.documentElement, document.querySelector('[data-testid=stMain]')]
  .filter((e) => e && e.scrollWidth > e.clientWidth + 1)
  .map((e) => `${e.tagName} ${e.scrollWidth} > ${e.clientWidth}`)"""
# A control's words cut short ("Formas de encontr…"): wider than the box that shows them. (A
# name kept for screen readers only, 1 px wide and clipped, is not shown at all.)
CUT = """() => [...document.querySelectorAll('button *, label *')]
  .filter((e) => (e.innerText || '').trim() && e.getBoundingClientRect().width > 1
    && e.scrollWidth > e.clientWidth + 1)
  .map((e) => e.innerText.slice(0, 40))"""


def whole_words(content, lang: str) -> list[str]:
    """Every number and site of every help line, and each with the word before it ("al 988"),
    as the reader sees them (tests/contacts.py)."""
    lines = content.helplines.crisis + content.helplines.clinic + content.helplines.finding
    ways = [way for line in lines for way in contact_ways(content, lang, line)]
    return sorted({way.shown for way in ways} | {f"{way.words.split()[-1]} {way.shown}"
                                                 for way in ways if way.words})


@pytest.mark.parametrize("mode", ["personal", "counseling", "kiosk"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_at_320_px_no_contact_breaks_across_lines_and_nothing_scrolls_sideways(
        browser, server, kiosk, content, mode, lang):
    """Issue 22.3: "1-800-662-4357" broke at its hyphens on the kiosk close, and "al" / "988"
    between the word and the number, at 320 px. And no control's words are cut short."""
    page = browser.new_context(viewport={"width": 320, "height": 700}).new_page()
    open_app(page, kiosk if mode == "kiosk" else server + ("/?mode=counseling"
                                                           if mode == "counseling" else ""))
    in_language(page, lang)
    words, seen = whole_words(content, lang), []
    for screen in every_screen(page, content, lang, kiosk=mode == "kiosk"):
        seen.append(screen)
        assert page.evaluate(BROKEN, words) == [], screen
        assert page.evaluate(SIDEWAYS) == [], screen
        assert page.evaluate(CUT) == [], screen
    assert "close" in seen
    page.context.close()


# The question screen's parts, where they end on the first screen (the app scrolls inside
# stMain, which starts under the bar: a box's bottom is measured from the window's top).
QUESTION_PARTS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const bottom = (e) => e ? Math.round(e.getBoundingClientRect().bottom) : null;
  const radios = [...main.querySelectorAll('[data-testid=stRadio]')];
  const question = radios[radios.length - 1];
  return { window: window.innerHeight, scrolled: main.scrollTop,
           statement: bottom(question.querySelector('[data-testid=stWidgetLabel]')),
           answers: [...question.querySelectorAll('[data-testid=stRadioOption]')].map(bottom),
           help: bottom(document.querySelector('.reflect-help-toggle')),
           exit: bottom(document.querySelector('.reflect-quick-exit')) }; }"""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_on_a_phone_each_question_its_answers_back_and_next_fit_the_first_screen(
        browser, server, content, lang):
    """Issue 22.1: at 390x844 Next sat at about y=955 (y=1006 in Spanish), under quick exit,
    the switch and a five-line crisis box. Now the statement, all four answers, Back and Next
    are on the first screen with help and Quick exit still there, on every question."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    open_app(page, server)
    in_language(page, lang)
    words = {"back": content.text(lang, "nav.back"), "next": content.text(lang, "nav.next")}
    press(page, content.text(lang, "welcome.start"))
    for number in range(1, len(content.patterns) + 1):
        page.wait_for_function("(t) => document.querySelector('h1')?.innerText === t",
                               arg=content.text(lang, "question.progress", number=number,
                                                total=len(content.patterns)))
        parts = page.evaluate(QUESTION_PARTS)
        where = (number, parts)
        assert parts["scrolled"] == 0, where
        assert len(parts["answers"]) == len(content.answers), where
        ends = [parts["statement"], *parts["answers"], parts["help"], parts["exit"]]
        assert all(end is not None and end <= parts["window"] for end in ends), where
        for name in ("back", "next"):
            box = page.get_by_role("button", name=words[name], exact=True).bounding_box()
            assert box["y"] + box["height"] <= parts["window"], (name, where)
        choose(page, content.answer_label(lang, "sometimes"))
        press(page, words["next"])
    page.context.close()


BAND = """() => {
  const bar = document.querySelector('.reflect-bar').getBoundingClientRect().bottom;
  const first = [...document.querySelectorAll('[data-testid=stMain] .stElementContainer')]
    .find((e) => e.getBoundingClientRect().height > 0);
  return Math.round(first.getBoundingClientRect().top - bar); }"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "laptop"])
def test_no_empty_band_between_the_bar_and_the_first_thing_on_the_screen(
        browser, server, kiosk, size):
    """Issue 22.2: Streamlit's empty header left about 100 px of white at the top."""
    for url in (server, server + "/?mode=counseling", kiosk):
        page = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
        open_app(page, url)
        assert 0 <= page.evaluate(BAND) <= 32, url
        page.context.close()
