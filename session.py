"""This session's state and the callbacks that change it; app.py draws, these move.

Kept out of app.py on purpose: Streamlit runs app.py as a new module on every run, and a
widget's callback keeps its module alive for as long as the session lives. Callbacks defined
in app.py kept a copy of all of app.py's functions per session (about 30 KiB each, measured
with tracemalloc); defined here, they exist once per process.
"""

from __future__ import annotations

import streamlit as st

from reflect.content import Content
from reflect.settings import COUNSELING, PERSONAL

# Session state: the only keys this app keeps, owned by app.py and the callbacks below.
STEP, LANG, GEN, ASK = "step", "lang", "widget_generation", "ask_for_answer"
MODE, NEUTRAL, FRESH = "mode", "quick_exit_done", "kiosk_fresh_start"
SUMMARY = "summary_files"  # the built downloads, while the close screen shows them
VISIT = "visit"  # a random name for this session, so the page can tell it was replaced
ANSWER = "answer:"  # + pattern id -> answer id
CHOSE_LANGUAGE = "chose_language"  # the visitor changed the language on the switch


def answers(content: Content) -> dict[str, str | None]:
    """Return the reader's answers by pattern id."""
    return {p.id: st.session_state.get(ANSWER + p.id) for p in content.patterns}


def holds_visitor() -> bool:
    """Say whether this session keeps anything a visitor chose: an answer or a language."""
    return bool(st.session_state.get(CHOSE_LANGUAGE)) or any(
        isinstance(key, str) and key.startswith(ANSWER) and value is not None
        for key, value in st.session_state.items())


def radio_key(pattern_id: str) -> str:
    """Return the widget key of a pattern's radio; a new generation clears the browser's copy.

    The language is part of it: the browser keeps a radio's choice as the option's text, so
    after a language switch the old widget could not show the answer in the new words.
    """
    return f"radio:{pattern_id}:{st.session_state[GEN]}:{st.session_state[LANG]}"


def keep_answer(pattern_id: str) -> None:
    """Copy a radio's value into the answer the session keeps across steps."""
    value = st.session_state.get(radio_key(pattern_id))
    if value is not None:
        st.session_state[ANSWER + pattern_id] = value


def go_to(step: int) -> None:
    """Move to a screen."""
    st.session_state[STEP] = step
    st.session_state[ASK] = False


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


def start_over() -> None:
    """Forget every answer, on the server and, by new widget keys, in the browser."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(ANSWER)]:
        del st.session_state[key]
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("radio:")]:
        del st.session_state[key]
    st.session_state.pop(SUMMARY, None)
    st.session_state[GEN] += 1
    go_to(0)


def forget_visitor() -> None:
    """Kiosk: forget this visitor's whole session; the next run reloads the page fresh."""
    generation = st.session_state.get(GEN, 0) + 1  # new widget keys, never a reused one
    st.session_state.clear()
    st.session_state[GEN] = generation
    st.session_state[FRESH] = True


def quick_exit() -> None:
    """Forget everything at once and show only a neutral page."""
    start_over()
    st.session_state[NEUTRAL] = True


def set_language(key: str) -> None:
    """Show the session in the language chosen on the switch; answers stay as they are."""
    st.session_state[LANG] = st.session_state[key]
    st.session_state[CHOSE_LANGUAGE] = True


def set_counseling(key: str) -> None:
    """Switch this session between personal and counseling mode (not on a kiosk)."""
    st.session_state[MODE] = COUNSELING if st.session_state[key] else PERSONAL
