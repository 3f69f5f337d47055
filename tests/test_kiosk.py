"""Kiosk mode without a browser: what it draws, what it leaves out, and what it forgets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reflect import flow
from reflect.content import ContentError, load_content
from reflect.kiosk import Timers, address_as_text, qr_svg, screen_timers, without_links
from reflect.modes import KIOSK
from reflect.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FRESH_KEYS = {"lang", "mode", "step", "widget_generation", "visit"}


@pytest.fixture
def kiosk_server(monkeypatch):
    """Start AppTest runs as a server started with REFLECT_MODE=kiosk would."""
    monkeypatch.setenv("REFLECT_MODE", "kiosk")


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def press(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def walk(at: AppTest, until: str, answer: str = "sounds_like_me") -> AppTest:
    """Walk to a screen: 'question' (after one answer), 'reflection', 'help' or 'close'."""
    press(at, "Start the reflection")
    at.radio[-1].set_value(answer).run()
    if until == "question":
        return at
    for _ in range(4):
        at.radio[-1].set_value(answer).run()
        press(at, "Next")
    if until in ("help", "close"):
        press(at, "Ways people find help")
    if until == "close":
        press(at, "What to do next")
    return at


def all_markdown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [w.value for w in at.warning]
    return "\n".join(parts)


def watch(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if 'id="reflect-kiosk"' in h.proto.body)


@pytest.mark.parametrize("query", [None, {"mode": "counseling"}, {"mode": "personal"},
                                   {"mode": "<script>"}])
def test_a_kiosk_server_makes_every_session_a_kiosk_whatever_the_url_says(kiosk_server, query):
    at = start(query)
    assert at.session_state["mode"] == KIOSK
    assert not at.toggle  # no counseling switch
    assert [b.label for b in at.button][0] == "Start over"  # large, first, on every screen
    assert not [b for b in at.button if b.label == "Quick exit"]


@pytest.mark.parametrize("screen", ["question", "reflection", "help", "close"])
def test_kiosk_screens_show_no_links_no_text_entry_and_start_over_first(kiosk_server, screen):
    at = walk(start({"mode": "counseling"}), screen)
    text = all_markdown(at)
    assert "](" not in text and "http" not in text, text
    assert not re.search(r"\bwww\.", text)
    assert not at.text_area and not at.text_input and not at.checkbox
    assert not at.get("download_button")
    assert at.button[0].label == "Start over"
    assert "To talk about together" not in [s.value for s in at.subheader]


def test_the_kiosk_close_has_the_recommendation_the_qr_code_and_the_return_notice(
        kiosk_server, content):
    at = walk(start(), "close")
    text = all_markdown(at)
    assert content.text("en", "close.not_a_diagnosis") in text
    for line in content.helplines.crisis:
        assert line.text["en"].name in text
    assert "Help on your own phone" in [h.value for h in at.header]
    assert address_as_text(content.helplines.kiosk_qr.url) in text
    assert "When no one touches this screen for 60 seconds" in text
    images = at.get("image")
    assert len(images) == 1, "the QR code is drawn as one image"
    assert images[0].proto.imgs[0].url.startswith("data:image/svg+xml")


def test_start_over_on_a_kiosk_forgets_the_whole_session_then_starts_fresh(kiosk_server,
                                                                           content):
    at = walk(start(), "reflection", answer="sometimes")
    assert [k for k in at.session_state if str(k).startswith("answer:")]
    generation = at.session_state["widget_generation"]
    at.button(key="start_over").click().run()
    # This run only clears the browser and reloads the page; nothing else is drawn.
    assert set(at.session_state) == FRESH_KEYS
    assert at.session_state["widget_generation"] == generation + 1
    assert [m.value for m in at.markdown] == [content.text("en", "kiosk.resetting")]
    reload = " ".join(h.proto.body for h in at.get("html"))
    assert "location.replace" in reload and "sessionStorage.clear" in reload
    at.run()
    assert at.title[0].value == content.text("en", "welcome.heading")
    assert not [k for k in at.session_state if str(k).startswith(("answer:", "radio:"))]


def test_each_kiosk_screen_carries_its_own_timers(monkeypatch):
    monkeypatch.setenv("REFLECT_MODE", "kiosk")
    monkeypatch.setenv("REFLECT_IDLE_SECONDS", "45")
    monkeypatch.setenv("REFLECT_COUNTDOWN_SECONDS", "20")
    monkeypatch.setenv("REFLECT_CLOSE_RETURN_SECONDS", "50")
    at = start()
    assert 'data-wait=""' in watch(at)  # the welcome holds nothing to forget
    walk(at, "question")
    assert 'data-wait="45"' in watch(at) and 'data-countdown="20"' in watch(at)
    press(at, "Back")  # back on the welcome, with an answer kept: it counts down too
    assert at.title[0].value == "A private reflection on coping"
    assert 'data-wait="45"' in watch(at) and 'data-countdown="20"' in watch(at)
    at = walk(start(), "close")
    assert 'data-wait="30"' in watch(at) and 'data-countdown="20"' in watch(at)
    assert "{seconds}" in watch(at)  # the countdown fills in the number itself


def test_personal_and_counseling_sessions_have_no_kiosk_watch():
    for query in (None, {"mode": "counseling"}):
        at = walk(start(query), "question")
        assert not [h for h in at.get("html") if "reflect-kiosk" in h.proto.body]


def test_screen_timers_make_the_close_wait_add_up_to_its_return_time():
    settings = Settings(mode=KIOSK, idle_seconds=90, countdown_seconds=30,
                        close_return_seconds=60)
    assert screen_timers(settings, flow.WELCOME, holds_visitor=False).wait_seconds is None
    for holds in (False, True):
        assert screen_timers(settings, flow.QUESTION, holds) == Timers(90, 30)
        assert screen_timers(settings, flow.CLOSE, holds) == Timers(30, 30)
    short = Settings(mode=KIOSK, countdown_seconds=30, close_return_seconds=10)
    assert screen_timers(short, flow.CLOSE, True) == Timers(0, 10)


def test_the_welcome_counts_down_whenever_the_session_holds_something_of_a_visitor():
    settings = Settings(mode=KIOSK, idle_seconds=90, countdown_seconds=30)
    assert screen_timers(settings, flow.WELCOME, holds_visitor=True) == Timers(90, 30)


def test_a_language_chosen_on_the_welcome_is_forgotten_by_the_countdown_too(kiosk_server):
    at = start()
    assert 'data-wait=""' in watch(at)
    at.radio(key="language").set_value("es").run()
    assert at.title[0].value == "Una reflexión privada sobre cómo afronta lo difícil"
    assert 'data-wait="90"' in watch(at)


def kept_answers(at: AppTest) -> dict:
    return {k: at.session_state[k] for k in at.session_state if str(k).startswith("answer:")}


@pytest.mark.parametrize("screen", ["question", "reflection", "help", "close"])
def test_every_kiosk_screen_offers_the_language_switch_and_keeps_the_answers(kiosk_server,
                                                                            screen):
    at = walk(start(), screen, answer="sometimes")
    kept = kept_answers(at)
    assert kept
    at.radio(key="language").set_value("es").run()
    assert at.session_state["lang"] == "es"
    assert kept_answers(at) == kept
    if screen == "question":  # the radio on screen shows the kept answer in Spanish
        assert at.radio[-1].value == "sometimes"
        assert at.radio[-1].format_func("sometimes") == "A veces, o en parte"


@pytest.mark.parametrize(("markdown", "expected"), [
    ("See [the lifeline](https://988lifeline.org/chat).",
     "See the lifeline (988lifeline.org/chat)."),
    ("Go to https://findtreatment.gov.", "Go to findtreatment.gov."),
    ("Or www.samhsa.gov/find-help today", "Or samhsa.gov/find-help today"),
    ("<https://example.org/a>", "example.org/a"),
    ("[988lifeline.org](https://988lifeline.org)", "988lifeline.org"),
    ("[Call](tel:988)", "Call (988)"),
    ("Write to help@example.org", "Write to help (at) example.org"),
    ("[back to top](#top)", "back to top"),
    ("No links here: 1-800-662-4357.", "No links here: 1-800-662-4357."),
])
def test_without_links_keeps_the_words_and_a_typeable_address(markdown, expected):
    assert without_links(markdown) == expected


def test_address_as_text_drops_the_scheme_and_www():
    assert address_as_text("https://www.samhsa.gov/find-help/") == "samhsa.gov/find-help"


def test_the_qr_code_is_a_standalone_svg_with_a_quiet_border():
    svg = qr_svg("https://988lifeline.org")
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # The real code is decoded from a screenshot in tests/test_browser_kiosk.py.
    assert int(root.get("width")) >= 6 * (21 + 8)


def test_the_help_line_file_names_a_kiosk_qr_line_with_an_address(content):
    line = content.helplines.kiosk_qr
    assert line is not None and line.url.startswith("https://")


def test_a_kiosk_qr_naming_an_unknown_line_is_refused_with_the_fix(content_copy):
    path = content_copy / "helplines.yaml"
    path.write_text(path.read_text().replace("kiosk_qr: finder", "kiosk_qr: nowhere"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    message = str(caught.value)
    assert "helplines.yaml" in message and "regions.us.kiosk_qr" in message
    assert "'nowhere' is not the id of a help line with a url" in message
    assert "name the id of a line" in message


def test_a_kiosk_qr_naming_a_line_without_an_address_is_refused(content_copy):
    path = content_copy / "helplines.yaml"
    path.write_text(path.read_text().replace("kiosk_qr: finder", "kiosk_qr: line_one"))
    with pytest.raises(ContentError, match="'line_one' is not the id of a help line with a url"):
        load_content(content_copy)


def test_the_kiosk_script_survives_streamlits_sanitiser():
    # DOMPurify drops a <script> whose text looks like markup, silently: no "<tag" in it.
    script = (ROOT / "assets" / "kiosk.js").read_text(encoding="utf-8")
    assert not re.search(r"<[/\w!]", script)


def test_a_kiosk_qr_url_per_language_wins_over_the_lines_own_page(content_copy):
    path = content_copy / "helplines.yaml"
    path.write_text(path.read_text().replace(
        "kiosk_qr: finder", "kiosk_qr: finder\n    kiosk_qr_url: {en: https://example.org/en}"))
    lines = load_content(content_copy).helplines
    assert lines.kiosk_qr_url("en") == "https://example.org/en"
    assert lines.kiosk_qr_url("xx") == "https://example.org/find"  # the line's own page


@pytest.mark.parametrize(("entry", "message"), [
    ("{en: http://example.org/en}", r"kiosk_qr_url\.en: expected an https address"),
    ("{fr: https://example.org/fr}", r"kiosk_qr_url\.fr: unknown key"),
])
def test_a_bad_kiosk_qr_url_is_refused_with_the_fix(content_copy, entry, message):
    path = content_copy / "helplines.yaml"
    path.write_text(path.read_text().replace(
        "kiosk_qr: finder", f"kiosk_qr: finder\n    kiosk_qr_url: {entry}"))
    with pytest.raises(ContentError, match=message):
        load_content(content_copy)
