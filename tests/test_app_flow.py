"""Walk the app as a reader would, through Streamlit's AppTest (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import contacts
from tests.junk import JUNK_VALUES

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def start(path: str = APP) -> AppTest:
    return AppTest.from_file(path, default_timeout=30).run()


def click(at: AppTest, label: str) -> AppTest:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0].click().run()


def answer_keys(at: AppTest) -> dict:
    return {k: at.session_state[k] for k in at.session_state if str(k).startswith("answer:")}


def test_the_welcome_says_what_this_is_and_is_not_and_offers_a_start(content):
    at = start()
    assert not at.exception
    assert at.title[0].value == content.text("en", "welcome.heading")
    body = at.markdown[1].value
    assert "not a diagnosis" in body and "not a test" in body
    assert "three minutes" in body
    # Privacy, exactly true (issue 19.4): sent to the server, held in memory for this visit,
    # gone at once on Start over and within about two minutes of closing; nothing written.
    privacy = at.markdown[2].value
    for words in ("go to the server that runs this app", "memory for this visit only",
                  "Nothing is written down or saved", "No one is watching",
                  "no one will contact you", '"Start over", your answers are gone at once',
                  "within about two minutes", "stays on the device you saved it to"):
        assert words in privacy, words
    assert "sent anywhere" not in privacy
    assert at.markdown[3].value == content.text("en", "welcome.end")
    # Quick exit is in the bar assets/page.js draws; "forget" and "sync" are hidden buttons
    # only the page script presses. "About this content" is the one short line at the end.
    assert [b.label for b in at.button] == ["forget", "Start the reflection", "Start over",
                                            "About this content", "sync"]
    assert content.text("en", "quick_exit.about") in [m.value for m in at.markdown]


def test_a_reader_walks_from_welcome_to_the_close(content):
    at = click(start(), "Start the reflection")
    for number, choice in enumerate(["sounds_like_me", "sometimes", "not_really",
                                     "rather_not_say"], 1):
        assert at.title[0].value == f"Question {number} of 4"
        assert at.radio[-1].value is None
        at.radio[-1].set_value(choice).run()
        click(at, "Next")
    assert at.title[0].value == "Your reflection"
    headers = [h.value for h in at.header]
    assert headers[:2] == ["Emotional relief", "Escape"]
    assert "Needing more for the same effect" not in headers
    click(at, "Ways people find help")
    assert at.title[0].value == "Ways people find help"
    click(at, "What to do next")
    assert at.title[0].value == content.text("en", "close.heading")
    assert not at.exception


def test_every_screen_has_the_crisis_contacts_and_start_over(content):
    at = click(start(), "Start the reflection")
    seen = []
    while True:
        seen.append(at.title[0].value)
        banner = at.markdown[0].value
        assert all(contact in banner for contact in contacts.shown(content, web=False))
        assert all(line.text["en"].short in banner for line in content.helplines.crisis)
        # Lines for finding help (the SAMHSA Helpline refers; it is not counseling) are
        # on the close, not in the banner.
        assert not [line for line in content.helplines.finding
                    if line.phone and line.phone in banner]
        assert at.button(key="start_over").label == "Start over"
        forward = [b for b in at.button if b.label in
                   ("Next", "Ways people find help", "What to do next")]
        if not forward:
            break
        if at.title[0].value.startswith("Question"):
            at.radio[-1].set_value("not_really").run()
        forward[0].click().run()
    assert len(seen) == 7 and seen[-1] == content.text("en", "close.heading")


def test_next_without_an_answer_asks_kindly_and_stays():
    at = click(click(start(), "Start the reflection"), "Next")
    assert at.title[0].value == "Question 1 of 4"
    assert "I'd rather not say" in at.warning[0].value
    at.radio[-1].set_value("sometimes").run()
    assert not at.warning
    click(at, "Next")
    assert at.title[0].value == "Question 2 of 4"


def test_going_back_keeps_every_answer_and_an_answer_can_be_changed():
    at = click(start(), "Start the reflection")
    at.radio[-1].set_value("sounds_like_me").run()
    click(at, "Next")
    at.radio[-1].set_value("sometimes").run()
    click(at, "Next")
    at.radio[-1].set_value("not_really").run()
    click(at, "Back")
    assert at.radio[-1].value == "sometimes"
    click(at, "Back")
    assert at.title[0].value == "Question 1 of 4"
    assert at.radio[-1].value == "sounds_like_me"
    at.radio[-1].set_value("rather_not_say").run()
    click(at, "Next")
    click(at, "Next")
    assert at.radio[-1].value == "not_really"
    assert answer_keys(at) == {"answer:relief": "rather_not_say", "answer:escape": "sometimes",
                               "answer:escalation": "not_really"}


def test_start_over_clears_every_answer_and_the_radios():
    at = click(start(), "Start the reflection")
    for _ in range(4):
        at.radio[-1].set_value("sounds_like_me").run()
        click(at, "Next")
    assert len(answer_keys(at)) == 4
    generation = at.session_state["widget_generation"]
    click(at, "Start over")
    click(at, "Yes, clear them")
    assert at.title[0].value == "A private reflection on coping"
    assert answer_keys(at) == {}
    assert not [k for k in at.session_state if str(k).startswith("radio:")]
    assert at.session_state["widget_generation"] == generation + 1
    click(at, "Start the reflection")
    assert at.radio[-1].value is None


def test_start_over_from_the_middle_of_the_questions_clears_the_shown_radio():
    at = click(start(), "Start the reflection")
    at.radio[-1].set_value("sounds_like_me").run()
    click(at, "Start over")
    click(at, "Yes, clear them")
    click(at, "Start the reflection")
    assert at.radio[-1].value is None
    assert answer_keys(at) == {}


def test_start_over_with_answers_asks_first_and_no_keeps_everything_where_it_was(content):
    """One stray tap on Start over does not wipe a reader's answers without saying so."""
    at = click(start(), "Start the reflection")
    for _ in range(2):
        at.radio[-1].set_value("sometimes").run()
        click(at, "Next")
    kept = answer_keys(at)
    click(at, "Start over")
    assert at.title[0].value == "Question 3 of 4" and answer_keys(at) == kept
    (ask,) = at.warning
    assert ask.value == content.text("en", "nav.start_over_ask")
    labels = [b.label for b in at.button]
    assert labels.index("No, keep my answers") < labels.index("Yes, clear them")
    click(at, "No, keep my answers")
    assert at.title[0].value == "Question 3 of 4" and answer_keys(at) == kept
    assert not at.warning and "Yes, clear them" not in [b.label for b in at.button]
    click(at, "Start over")
    click(at, "Back")  # moving on closes the question; the answers stay
    assert at.title[0].value == "Question 2 of 4" and answer_keys(at) == kept
    assert "Yes, clear them" not in [b.label for b in at.button]


def test_start_over_with_nothing_kept_starts_over_at_once():
    at = click(start(), "Start the reflection")
    click(at, "Start over")
    assert at.title[0].value == "A private reflection on coping"
    assert "Yes, clear them" not in [b.label for b in at.button]


def test_none_recognised_gets_a_respectful_note_without_praise(content):
    at = click(start(), "Start the reflection")
    for _ in range(4):
        at.radio[-1].set_value("not_really").run()
        click(at, "Next")
    text = "\n".join(m.value for m in at.markdown)
    assert content.text("en", "reflection.none_recognised").split("\n")[0] in text
    for praise in ("great", "well done", "you're fine", "you are fine", "congrat", "healthy"):
        assert praise not in text.lower()


def test_broken_content_shows_a_calm_page_without_details(real_content_copy, caplog, content):
    (real_content_copy / "questions.yaml").write_text("text: [broken", encoding="utf-8")
    at = start(str(real_content_copy / "app.py"))
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "reflect.app")
    assert "questions.yaml: line 2" in logged and "Fix:" in logged
    assert not at.exception
    assert at.title[0].value == "This app is not set up correctly"
    visible = "\n".join(m.value for m in at.markdown)
    for detail in ("questions.yaml", "Traceback", "line 1", str(real_content_copy), "yaml"):
        assert detail not in visible
    assert all(line.phone in visible for line in content.helplines.crisis if line.phone)


def test_the_app_serves_again_once_a_broken_file_is_fixed(real_content_copy):
    explanation = real_content_copy / "explanations" / "en" / "loop.md"
    good = explanation.read_text(encoding="utf-8")
    explanation.write_text("No sources here.", encoding="utf-8")
    at = start(str(real_content_copy / "app.py"))
    assert at.title[0].value == "This app is not set up correctly"
    explanation.write_text(good, encoding="utf-8")
    at.run()
    assert at.title[0].value == "A private reflection on coping"


@pytest.mark.parametrize("value", JUNK_VALUES, ids=range(len(JUNK_VALUES)))
def test_junk_in_any_query_parameter_is_ignored_calmly(value):
    at = AppTest.from_file(APP, default_timeout=30)
    for name in ("mode", "lang", "step", value[:50] or "x"):
        at.query_params[name] = value
    at.run()
    assert not at.exception
    assert at.session_state["mode"] in ("personal", "counseling")
    assert at.session_state["mode"] == "personal" or value == "counseling"
    assert at.session_state["step"] == 0
    assert at.title[0].value == "A private reflection on coping"
    shown = "\n".join(m.value for m in at.markdown)
    assert "<script>" not in shown and "passwd" not in shown


# ---- The browser's Back and Forward (assets/page.js asks through the hidden history radio) ----


def test_back_and_forward_ask_for_a_screen_and_get_it_only_if_next_could_reach_it(content):
    from reflect import flow

    screens = len(flow.screens(content))  # the hidden radio lists every screen twice
    at = click(start(), "Start the reflection")
    at.radio[-1].set_value("sometimes").run()
    click(at, "Next")
    assert at.title[0].value == "Question 2 of 4"
    history = at.radio(key="reflect_history")
    assert len(history.options) == 2 * screens
    assert run_marker(at)["answered"] == "0"  # nothing asked yet: the radio's first option
    history.set_value(5 + screens).run()  # the reflection, questions 2 to 4 unanswered: refused
    assert at.title[0].value == "Question 2 of 4"
    assert run_marker(at)["answered"] == str(5 + screens)  # the run says which it handled
    at.radio(key="reflect_history").set_value(1).run()  # Back: granted, the answer kept
    assert at.title[0].value == "Question 1 of 4"
    assert run_marker(at)["answered"] == "1"
    assert at.radio[-1].value == "sometimes"
    at.radio(key="reflect_history").set_value(screens).run()  # the welcome, by its second copy
    assert at.title[0].value == content.text("en", "welcome.heading")
    at.radio(key="reflect_history").set_value(2).run()  # Forward again
    assert at.title[0].value == "Question 2 of 4"


def run_marker(at) -> dict[str, str]:
    """The data attributes of the run's end marker (ui/parts.run_marker)."""
    import re

    marker = next(h.proto.body for h in at.get("html") if 'id="reflect-run"' in h.proto.body)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', marker))


def test_every_screen_is_reachable_only_after_the_questions_before_it(content):
    from reflect import flow

    screens = flow.screens(content)
    none = {p.id: None for p in content.patterns}
    assert [flow.reachable(content, n, none) for n in range(len(screens))] == [
        True, True, False, False, False, False, False, False]
    some = {**none, content.patterns[0].id: "rather_not_say"}
    assert flow.reachable(content, 2, some) and not flow.reachable(content, 3, some)
    every = {p.id: "not_really" for p in content.patterns}
    assert all(flow.reachable(content, n, every) for n in range(len(screens)))
    assert not flow.reachable(content, len(screens), every)
    assert not flow.reachable(content, -1, every)
