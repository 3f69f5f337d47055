"""One function per kind of screen, and the table that names them: a new screen is a new kind
in reflect/flow.py and one row in SCREENS here."""

from __future__ import annotations

import contextlib
import datetime
import functools
from pathlib import Path
from types import MappingProxyType

import streamlit as st

from reflect import flow
from reflect.about import about_sections
from reflect.content import Content
from reflect.cycle import cycle_in_words, cycle_svg
from reflect.reflection import answers_given, build_reflection
from reflect.render import clinic_heading, contacts_checked, helplines_in_full
from ui import hooks, kiosk, parts, save, state, text


def welcome(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    mode = state.mode()
    st.title(content.text(lang, "welcome.heading"), anchor=False)
    parts.clinic(content, lang)
    text.write(content.text(lang, "welcome.body"))
    # What happens to the answers, exactly: a kiosk forgets its visitor on its own.
    text.write(content.text(lang, "welcome.privacy_kiosk" if mode.forgets_visitor
                            else "welcome.privacy"))
    text.write(content.text(lang, "welcome.end"))
    if mode.quick_exit:
        text.write(content.text(lang, "quick_exit.about"))
    switch = mode.switch
    if switch:
        key = f"mode_switch:{state.generation()}"
        st.toggle(content.text(lang, "counseling.switch_label"),
                  value=state.switched_on(switch), key=key,
                  on_change=state.set_switch, args=(key, switch))
    st.button(content.text(lang, "welcome.start"), on_click=state.go_to,
              args=(state.step() + 1,), type="primary", width="stretch")


def question(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    pid, step = screen.pattern_id, state.step()
    st.title(content.text(lang, "question.progress", number=screen.number, total=screen.total),
             anchor=False)
    st.progress(screen.number / screen.total)
    text.write(content.text(lang, "question.hint"))
    option_ids = [a.id for a in content.answers]
    saved = state.answer(pid)
    st.radio(
        content.text(lang, f"patterns.{pid}.statement"),
        options=option_ids,
        index=option_ids.index(saved) if saved in option_ids else None,
        # Not a lambda: a function made at run time would keep this run's objects per session.
        format_func=functools.partial(content.answer_label, lang),
        key=state.radio_key(pid),
        on_change=state.keep_answer,
        args=(pid,),
    )
    if state.asking_for_answer() and state.answer(pid) is None:
        text.warning(content.text(lang, "nav.choose_an_answer"))
    # Side by side on a phone too: a question, its answers, Back and Next fit one screen.
    with st.container(horizontal=True, key=hooks.NAV):  # in halves (app.css)
        st.button(content.text(lang, "nav.back"), on_click=state.back_from_question,
                  args=(pid, step), width="stretch")
        st.button(content.text(lang, "nav.next"), on_click=state.next_from_question,
                  args=(pid, step), type="primary", width="stretch")


def reflection(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    answers = state.answers(content)
    seen = build_reflection(content, answers, lang)
    st.title(content.text(lang, "reflection.heading"), anchor=False)
    text.info(content.text(lang, "reflection.not_a_diagnosis"))
    if state.mode().answers_overview:
        overview(content, lang, answers)
    if seen.none_recognised:
        text.write(content.text(lang, "reflection.none_recognised"))
    for item in seen.recognised:
        st.header(item.title, anchor=False)
        text.write(f"*{item.intro}*")
        text.write(item.explanation.body)
        if state.mode().talk_prompts:
            with st.container(border=True):
                st.subheader(content.text(lang, "counseling.talk_about_heading"), anchor=False)
                text.write(content.text(lang, f"patterns.{item.pattern_id}.talk_about"))
        parts.sources(content, lang, item.explanation)
    if seen.not_shared and seen.recognised:
        # Which ones, by name: "some" alone left a reader guessing.
        titles = "\n".join(f"- {content.text(lang, f'patterns.{pid}.title')}"
                           for pid in seen.not_shared)
        text.write(f"{content.text(lang, 'reflection.some_not_shared')}\n\n{titles}")
    st.header(content.text(lang, "cycle.heading"), anchor=False)
    text.write(content.text(lang, "cycle.intro"))
    # An <img> from a data: URI: no file under /media/ that could reveal what was marked.
    st.image(cycle_svg(content, lang, seen.marked_stages),
             alt=cycle_in_words(content, lang, seen.marked_stages))
    if seen.marked_stages:
        text.write(content.text(lang, "cycle.marked_legend"))
    with st.expander(content.text(lang, "cycle.in_words")):
        text.write(cycle_in_words(content, lang, seen.marked_stages))
    parts.nav(content, lang, state.step(), content.text(lang, "reflection.next"))


def overview(content: Content, lang: str, answers: dict[str, str | None]) -> None:
    """Every statement with the answer given, in words, first on a counseling reflection."""
    with st.container(border=True, key=hooks.OVERVIEW):
        st.header(content.text(lang, "counseling.overview_heading"), anchor=False)
        text.write(content.text(lang, "counseling.overview_intro"))
        for given in answers_given(content, answers, lang):
            chose = (content.text(lang, "counseling.overview_answer", answer=f"**{given.answer}**")
                     if given.answer else content.text(lang, "counseling.overview_unanswered"))
            st.subheader(given.title, anchor=False)
            text.write(f"{given.statement}\n\n{chose}")


def help_screen(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    if state.mode().downloads:
        # The close's PDF is made while the reader reads this screen, so the close shows at
        # once (reflect/pdf_process.py makes it, in a process of its own).
        save.start(content, lang, build_reflection(content, state.answers(content), lang),
                   ahead=True)
    explanation = content.explanation(lang, "help")
    st.title(content.text(lang, "help.heading"), anchor=False)
    text.write(explanation.body)
    parts.sources(content, lang, explanation)
    parts.nav(content, lang, state.step(), content.text(lang, "help.next"))


def close(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    mode = state.mode()
    seen = build_reflection(content, state.answers(content), lang)
    # The take-home PDF, started on the screen before, or now if what it holds has changed,
    # is made while the rest of the screen is drawn.
    started = save.start(content, lang, seen) if mode.downloads else None
    explanation = content.explanation(lang, "close")
    # On a kiosk, first, in the first screen: help to take away on one's own phone, beside
    # the heading from 640 px, below it on a narrow screen (per language, helplines.yaml).
    qr_url = content.helplines.kiosk_qr_url(lang) if mode.qr_code else None
    words, code = st.columns([3, 2]) if qr_url else (contextlib.nullcontext(), None)
    with words:
        st.title(content.text(lang, "close.heading"), anchor=False)
        kiosk.front_desk(content, lang, hooks.KIOSK_MESSAGE)
        text.info(content.text(lang, "close.not_a_diagnosis"))
    if qr_url:
        with code:
            kiosk.qr_code(content, lang, qr_url)
    kiosk.front_desk(content, lang, hooks.KIOSK_MESSAGE_BELOW)
    text.write(explanation.body)
    # What to take to a professional: nothing to bring from a kiosk, which keeps nothing;
    # elsewhere, the patterns only if the reader noticed some.
    if not mode.downloads:
        text.write(content.text(lang, "close.tell"))
    else:
        text.write(content.text(lang, "close.bring" if seen.recognised else "close.bring_none"))
    text.write(content.text(lang, "close.script"))
    st.header(content.text(lang, "close.crisis_heading"), anchor=False)
    text.write(helplines_in_full(content, lang, "crisis", mode.links, on_screen=True))
    clinic = clinic_heading(content, lang)
    if clinic:  # a clinic's own contacts, after the crisis lines, never in their place
        st.subheader(clinic, anchor=False)
        text.write(helplines_in_full(content, lang, "clinic", mode.links, on_screen=True))
    st.header(content.text(lang, "close.finding_heading"), anchor=False)
    text.write(helplines_in_full(content, lang, "finding", mode.links, on_screen=True))
    text.write(contacts_checked(content, lang))
    parts.sources(content, lang, explanation)
    if mode.idle_watch:
        kiosk.close_return_notice(content, lang)
    if mode.downloads:
        save.section(root, content, lang, seen, started)
    if not mode.forgets_visitor:
        text.write(content.text(lang, "close.done"))
    parts.nav(content, lang, state.step())


def about(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    """Who wrote the content, what happens to the answers and who runs the app, drawn in place
    of the reader's screen (whose step, answers and choices stay as they were) until "Back to
    where I was"."""
    st.title(content.text(lang, "about.heading"), anchor=False)
    for section in about_sections(content, lang, state.mode(), datetime.date.today()):
        st.header(section.heading, anchor=False)
        for paragraph in section.paragraphs:
            text.write(paragraph)
    st.button(content.text(lang, "about.back"), on_click=state.close_about,
              key=hooks.ABOUT_BACK, type="primary", width="stretch")


# Each kind of screen in reflect/flow.py, and the function that draws it.
SCREENS = MappingProxyType({
    flow.WELCOME: welcome,
    flow.QUESTION: question,
    flow.REFLECTION: reflection,
    flow.HELP: help_screen,
    flow.CLOSE: close,
})
