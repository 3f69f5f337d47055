"""This session's state: the only module that reads or writes st.session_state's own keys.

The keys, how a new session starts (language, mode, step), and the widget callbacks that move
it. Kept out of app.py on purpose: Streamlit runs app.py as a new module on every run, and a
widget's callback keeps its module alive for as long as the session lives (callbacks defined
in app.py kept about 30 KiB per session, measured with tracemalloc).
"""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import Future

import streamlit as st

from reflect import flow
from reflect.content import Content
from reflect.language import pick_language, preferences
from reflect.modes import MODES, Mode, session_mode
from reflect.settings import Settings

# Session state: the only keys this app keeps.
STEP, LANG, GEN, ASK = "step", "lang", "widget_generation", "ask_for_answer"
MODE, FRESH = "mode", "kiosk_fresh_start"
SUMMARY = "summary_files"  # the built downloads, while the close screen shows them
CHOICES = "close_choices"  # what the reader ticked and wrote on the close, by widget key
# The close's summary and its PDF, started on the screen before it (ui/save.start)
STARTED = "summary_started"
# Set when the last PDF this session started is made; holds nothing of it (ui/save.start)
PDF_MADE = "pdf_made"
VISIT = "visit"  # a random name for this session, so the page can tell it was replaced
ANSWER = "answer:"  # + pattern id -> answer id
CHOSE_LANGUAGE = "chose_language"  # the visitor changed the language on the switch
RADIO = "radio:"  # + pattern id, generation and language: a question's widget
RUN = "run"  # how many runs this session has drawn, shown on the page (ui/parts.run_marker)
ABOUT = "about_open"  # "About this content" is drawn in place of the step's own screen
CONFIRM = "confirm_start_over"  # Start over was pressed with answers kept: it asks first


def start(content: Content, settings: Settings) -> None:
    """Give a new session its language, mode, first step and widget generation; keep them
    valid on every run (a kiosk stays a kiosk, an unknown mode or step is refused)."""
    if LANG not in st.session_state:  # the browser's language, if the content has it
        st.session_state[LANG] = pick_language(preferences(st.context.locale),
                                               content.languages, content.default_language)
    if st.session_state[LANG] not in content.languages:
        st.session_state[LANG] = content.default_language
    st.session_state[STEP] = flow.clamp_step(st.session_state.get(STEP), content)
    st.session_state.setdefault(GEN, 0)
    if VISIT not in st.session_state:
        st.session_state[VISIT] = secrets.token_hex(8)
    requested = st.session_state.get(MODE, st.query_params.get("mode"))
    st.session_state[MODE] = session_mode(settings.mode, requested).name


def next_run() -> int:
    """Count this run, and return its number."""
    st.session_state[RUN] = st.session_state.get(RUN, 0) + 1
    return st.session_state[RUN]


def lang() -> str:
    return st.session_state[LANG]


def step() -> int:
    return st.session_state[STEP]


def generation() -> int:
    return st.session_state[GEN]


def visit() -> str:
    return st.session_state[VISIT]


def mode() -> Mode:
    """Return this session's mode: its row of the modes table."""
    return MODES[st.session_state[MODE]]


def switched_on(switch: tuple[str, str]) -> bool:
    """Say whether this session is in the "on" mode of a switch (off, on)."""
    return st.session_state[MODE] == switch[1]


def about_open() -> bool:
    return bool(st.session_state.get(ABOUT))


def confirming_start_over() -> bool:
    return bool(st.session_state.get(CONFIRM))


def asking_for_answer() -> bool:
    return bool(st.session_state.get(ASK))


def answer(pattern_id: str) -> str | None:
    return st.session_state.get(ANSWER + pattern_id)


def answers(content: Content) -> dict[str, str | None]:
    """Return the reader's answers by pattern id."""
    return {p.id: answer(p.id) for p in content.patterns}


def holds_visitor() -> bool:
    """Say whether this session keeps anything a visitor chose: an answer, a language, or a
    choice on the close."""
    return bool(st.session_state.get(CHOSE_LANGUAGE) or st.session_state.get(CHOICES)) or any(
        isinstance(key, str) and key.startswith(ANSWER) and value is not None
        for key, value in st.session_state.items())


def take_once(key: str) -> bool:
    """Return whether a one-run flag (FRESH) was set, and clear it."""
    return bool(st.session_state.pop(key, False))


def choice(key: str, default):
    """What the reader chose in a close-screen widget, kept while they look at other screens
    (Streamlit forgets a widget's value when a screen without it is drawn)."""
    return st.session_state.get(CHOICES, {}).get(key, default)


def keep_choice(key: str) -> None:
    """A close-screen widget changed: keep its value for when the close is drawn again."""
    st.session_state.setdefault(CHOICES, {})[key] = st.session_state.get(key)


def kept_summary():
    return st.session_state.get(SUMMARY)


def keep_summary(files) -> None:
    st.session_state[SUMMARY] = files


def drop_summary() -> None:
    st.session_state.pop(SUMMARY, None)


def started_summary():
    return st.session_state.get(STARTED)


def keep_started(started) -> None:
    st.session_state[STARTED] = started


def drop_started() -> None:
    st.session_state.pop(STARTED, None)


def mark_pdf_on_the_way(pdf: Future) -> None:
    """Note that a PDF is being made for this session, until it is (made or failed)."""
    made = threading.Event()
    pdf.add_done_callback(lambda _pdf: made.set())
    st.session_state[PDF_MADE] = made


def wait_for_pdf(seconds: float) -> None:
    """Wait until the last PDF started for this session is made (or seconds pass)."""
    made = st.session_state.get(PDF_MADE)
    if made is not None:
        made.wait(seconds)


def pdf_on_the_way() -> bool:
    """Whether the last PDF started for this session is still being made."""
    made = st.session_state.get(PDF_MADE)
    return made is not None and not made.is_set()


def radio_key(pattern_id: str) -> str:
    """Return the widget key of a pattern's radio; a new generation clears the browser's copy.

    The language is part of it: the browser keeps a radio's choice as the option's text, so
    after a language switch the old widget could not show the answer in the new words.
    """
    return f"{RADIO}{pattern_id}:{st.session_state[GEN]}:{st.session_state[LANG]}"


# ---- callbacks -------------------------------------------------------------------------------


def keep_answer(pattern_id: str) -> None:
    """Copy a radio's value into the answer the session keeps across steps."""
    value = st.session_state.get(radio_key(pattern_id))
    if value is not None:
        st.session_state[ANSWER + pattern_id] = value


def go_to(step: int) -> None:
    """Move to a screen (which closes "About this content", if it was open)."""
    st.session_state[STEP] = step
    st.session_state[ASK] = False
    st.session_state.pop(ABOUT, None)
    st.session_state.pop(CONFIRM, None)


def open_about() -> None:
    """Show "About this content" in place of this screen; the step and answers stay."""
    st.session_state[ABOUT] = True


def close_about() -> None:
    """Back to the screen the reader was on, as they left it."""
    st.session_state.pop(ABOUT, None)


def next_from_question(pattern_id: str, step: int) -> None:
    """Go on if the question has an answer; otherwise ask for one."""
    keep_answer(pattern_id)
    if st.session_state.get(ANSWER + pattern_id) is None:
        st.session_state[ASK] = True
    else:
        go_to(step + 1)


def back_from_question(pattern_id: str, step: int) -> None:
    """Keep the answer given so far and go back one screen."""
    keep_answer(pattern_id)
    go_to(step - 1)


def ask_to_start_over() -> None:
    """Start over was pressed: with nothing kept, start over; else ask first (one stray tap
    must not wipe a reader's answers, choices and note without saying so)."""
    if holds_visitor():
        st.session_state[CONFIRM] = True
    else:
        start_over()


def keep_everything() -> None:
    """The reader said no to starting over: everything stays as it was."""
    st.session_state.pop(CONFIRM, None)


def start_over() -> None:
    """Forget every answer, on the server and, by new widget keys, in the browser."""
    for key in [k for k in st.session_state
                if isinstance(k, str) and k.startswith((ANSWER, RADIO))]:
        del st.session_state[key]
    st.session_state.pop(SUMMARY, None)
    st.session_state.pop(STARTED, None)
    st.session_state.pop(CHOICES, None)
    st.session_state[GEN] += 1
    go_to(0)


def forget_visitor() -> None:
    """Forget this visitor's whole session; the next run reloads the page fresh."""
    next_generation = st.session_state.get(GEN, 0) + 1  # new widget keys, never a reused one
    st.session_state.clear()
    st.session_state[GEN] = next_generation
    st.session_state[FRESH] = True


def forget_now() -> None:
    """Quick exit: forget the whole session at once. The page has already left (assets/page.js
    presses the hidden button that calls this, then leaves in the same handler)."""
    next_generation = st.session_state.get(GEN, 0) + 1
    st.session_state.clear()
    st.session_state[GEN] = next_generation


def history_to(key: str, content: Content) -> None:
    """The browser's Back or Forward asked for a screen: go there if the reader's own Next
    could have reached it (every question before it answered); otherwise stay.

    The hidden radio offers every screen twice (assets/page.js picks the copy its radio does
    not show, so each request is a change, and the run that handled it can say so by value)."""
    wanted = st.session_state.get(key)
    screens = len(flow.screens(content))
    if isinstance(wanted, int) and 0 <= wanted < 2 * screens:
        step = wanted % screens
        if flow.reachable(content, step, answers(content)):
            go_to(step)


def history_answered(key: str) -> str:
    """The history request this session has handled last (the radio's value), or ""."""
    value = st.session_state.get(key)
    return str(value) if isinstance(value, int) else ""


def set_language(key: str) -> None:
    """Show the session in the language chosen on the switch; answers stay as they are."""
    st.session_state[LANG] = st.session_state[key]
    st.session_state[CHOSE_LANGUAGE] = True


def set_switch(key: str, modes: tuple[str, str]) -> None:
    """Move this session between the two modes of the welcome's switch (off, on)."""
    st.session_state[MODE] = modes[1] if st.session_state[key] else modes[0]
