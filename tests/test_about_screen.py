""""About this content" through AppTest: one short control on every screen of every mode, in
every language, and a screen that shows its parts for the reader's mode under short headings
and returns the reader to where they were, answers untouched."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect import flow
from reflect.about import about_sections
from reflect.modes import MODES as MODES_TABLE
from reflect.settings import read_settings

APP = str(Path(__file__).resolve().parent.parent / "app.py")
MODES = ["personal", "counseling", "kiosk"]
FORWARD = ("welcome.start", "nav.next", "reflection.next", "help.next")


def start(monkeypatch, mode: str, lang: str) -> AppTest:
    if mode == "kiosk":
        monkeypatch.setenv("REFLECT_MODE", "kiosk")
    at = AppTest.from_file(APP, default_timeout=30)
    if mode == "counseling":
        at.query_params["mode"] = "counseling"
    at.session_state["lang"] = lang
    return at.run()


def title(at: AppTest) -> str:
    return at.title[0].value


def shown_text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info])


def about_controls(at: AppTest) -> list:
    return [b for b in at.button if b.key == "reflect_about_open"]


def where(at: AppTest) -> dict:
    """What the reader would see of their own: the screen, answers and close choices."""
    state = {k: at.session_state[k] for k in at.session_state
             if str(k).startswith(("answer:", "close_choices", "step", "lang", "mode"))}
    radios = {r.key: r.value for r in at.radio if str(r.key).startswith("radio:")}
    boxes = {c.key: c.value for c in at.checkbox}
    return {"title": title(at), "state": state, "radios": radios, "boxes": boxes}


def forward(at: AppTest, content, lang: str) -> bool:
    """Go on to the next screen, answering a question if there is one; False on the close."""
    labels = {content.text(lang, key) for key in FORWARD}
    buttons = [b for b in at.button if b.label in labels]
    if not buttons:
        return False
    if title(at).startswith(content.text(lang, "question.progress", number=1, total=4)[:6]):
        at.radio[-1].set_value("sometimes").run()
    buttons[0].click().run()
    return True


def shows_the_sections_of_its_mode(at: AppTest, content, lang: str) -> None:
    """The screen's parts for this session's mode, each under its own h2, in order."""
    mode = MODES_TABLE[at.session_state["mode"]]
    parts = about_sections(content, lang, mode, datetime.date.today())
    assert [h.value for h in at.header] == [part.heading for part in parts]
    assert len(at.title) == 1  # one h1; the parts are h2 (st.header)
    text = shown_text(at)
    for part in parts:
        for paragraph in part.paragraphs:
            assert paragraph in text
    assert content.text(lang, mode.who_sees) in text
    # A kiosk's own words on what happens to the answers: it forgets the visitor by itself.
    mine, other = (("about.answers_kiosk", "about.answers") if mode.forgets_visitor else
                   ("about.answers", "about.answers_kiosk"))
    assert content.text(lang, mine) in text and content.text(lang, other) not in text
    assert (content.text(lang, "about.downloads") in text) == mode.downloads
    # Nobody's name here without a site: whoever runs the app.
    assert content.text(lang, "about.run_by_unnamed") in text


def open_and_close_about(at: AppTest, content, lang: str) -> None:
    before = where(at)
    (control,) = about_controls(at)
    assert control.label == content.text(lang, "about.link")
    control.click().run()
    assert not at.exception
    assert title(at) == content.text(lang, "about.heading")
    text = shown_text(at)
    assert content.text(lang, "about.not_reviewed") in text
    assert content.text(lang, "about.written_by").split("\n")[0] in text
    shows_the_sections_of_its_mode(at, content, lang)
    assert about_controls(at) == []  # not offered on its own screen
    assert at.session_state["step"] == before["state"]["step"]
    at.button(key="reflect_about_back").click().run()
    assert where(at) == before, "back exactly where the reader was"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("mode", MODES)
def test_every_screen_offers_about_this_content_and_it_returns_the_reader_untouched(
        monkeypatch, content, mode, lang):
    at = start(monkeypatch, mode, lang)
    screens = 0
    while True:
        screens += 1
        if title(at).startswith(content.text(lang, "question.progress", number=1,
                                             total=4)[:6]) and screens % 2:
            at.radio[-1].set_value("rather_not_say").run()  # an answer given before leaving
        if title(at) == content.text(lang, "close.heading") and mode != "kiosk":
            at.checkbox[-1].check().run()  # a choice made on the close stays too
        open_and_close_about(at, content, lang)
        if not forward(at, content, lang):
            break
    assert screens == len(flow.screens(content))


def test_the_control_is_one_short_line_at_the_end_of_the_screen(monkeypatch, content):
    at = start(monkeypatch, "personal", "en")
    labels = [b.label for b in at.button]
    # After the screen and Start over; only the hidden "sync" (app.css) comes later.
    assert labels[-2:] == [content.text("en", "about.link"), "sync"]
    assert len(content.text("en", "about.link").split()) <= 3
    assert len(content.text("es", "about.link").split()) <= 3
    assert about_controls(at)[0].proto.type == "tertiary"  # a quiet line, not a big button


def test_on_a_kiosk_the_about_screen_keeps_start_over_and_counts_down_even_from_the_welcome(
        monkeypatch, content):
    at = start(monkeypatch, "kiosk", "en")
    assert watch_wait(at) == ""  # an empty welcome never needs clearing
    about_controls(at)[0].click().run()
    assert title(at) == content.text("en", "about.heading")
    assert at.button[0].key == "start_over"  # what the idle reset presses (assets/kiosk.js)
    # The next visitor must find the welcome, not this: the usual wait, then the countdown.
    assert watch_wait(at) == str(read_settings([], {}).idle_seconds)
    text = shown_text(at)
    assert "](" not in text and "http" not in text  # nothing on a kiosk leads away
    at.button(key="start_over").click().run()
    # Forgotten, and the page reloads fresh (ui/kiosk.fresh_start): the about screen too.
    assert "about_open" not in at.session_state
    assert content.text("en", "kiosk.resetting") in shown_text(at)


def watch_wait(at: AppTest) -> str:
    body = next(h.proto.body for h in at.get("html") if 'id="reflect-kiosk"' in h.proto.body)
    return re.search(r'data-wait="([^"]*)"', body).group(1)


def test_the_language_switch_keeps_the_about_screen_open(monkeypatch, content):
    at = start(monkeypatch, "personal", "en")
    about_controls(at)[0].click().run()
    at.radio(key="language").set_value("es").run()
    assert title(at) == content.text("es", "about.heading")
    assert content.text("es", "about.not_reviewed") in shown_text(at)
    at.button(key="reflect_about_back").click().run()
    assert title(at) == content.text("es", "welcome.heading")


def test_moving_to_another_screen_closes_it_and_start_over_forgets_everything(monkeypatch,
                                                                            content):
    at = start(monkeypatch, "personal", "en")
    forward(at, content, "en")
    at.radio[-1].set_value("sometimes").run()
    about_controls(at)[0].click().run()
    screens = len(flow.screens(content))
    at.radio(key="reflect_history").set_value(screens).run()  # the browser's Back, to step 0
    assert title(at) == content.text("en", "welcome.heading")
    assert "about_open" not in at.session_state
    assert at.session_state["answer:relief"] == "sometimes"
    about_controls(at)[0].click().run()
    at.button(key="start_over").click().run()
    at.button(key="reflect_start_over_yes").click().run()
    assert title(at) == content.text("en", "welcome.heading") and about_controls(at)
    assert not [k for k in at.session_state if str(k).startswith("answer:")]


def test_the_page_script_is_told_when_the_about_screen_is_open(monkeypatch):
    at = start(monkeypatch, "personal", "en")

    def page_about() -> str:
        body = next(h.proto.body for h in at.get("html") if 'id="reflect-page"' in h.proto.body)
        return re.search(r'data-about="([^"]*)"', body).group(1)

    assert page_about() == "off"
    about_controls(at)[0].click().run()
    assert page_about() == "on"
