"""The close's "keep or print" section: the reader ticks what to keep, then downloads it in
each format of reflect/summary.py's FORMATS, or prints it (the web page download, printed by
assets/page.js)."""

from __future__ import annotations

import base64
import datetime
from html import escape
from pathlib import Path

import streamlit as st

from reflect.content import Content
from reflect.reflection import Reflection
from reflect.summary import (
    FORMATS,
    NOTE_MAX_CHARS,
    SummaryFiles,
    build_files,
    build_summary,
    new_token,
)
from ui import hooks, state, text


def section(root: Path, content: Content, lang: str, reflection: Reflection) -> None:
    """Let the reader choose what to keep, then download or print only that."""
    gen, mode = state.generation(), state.mode()
    st.header(content.text(lang, "save.heading"), anchor=False)
    text.write(content.text(lang, "save.intro"))
    # Nothing is ticked at first: only what the reader chooses leaves this screen. What they
    # chose stays chosen when they look at another screen and come back (ui/state.choice).
    chosen = [item.pattern_id for item in reflection.recognised
              if kept_checkbox(item.title, False, f"keep:{item.pattern_id}:{gen}")]
    include_cycle = kept_checkbox(content.text(lang, "save.include_cycle"), False,
                                  f"keep_cycle:{gen}")
    include_help = kept_checkbox(content.text(lang, "save.include_help"), False,
                                 f"keep_help:{gen}")
    include_questions = mode.provider_questions and kept_checkbox(
        content.text(lang, "save.include_questions"), mode.questions_ticked,
        f"keep_questions:{gen}")
    note = ""
    if mode.note:
        key = f"note:{gen}"
        note = st.text_area(content.text(lang, "save.note_label"), key=key,
                            value=state.choice(key, ""), max_chars=NOTE_MAX_CHARS,
                            on_change=state.keep_choice, args=(key,))

    files = summary_files(content, lang, reflection, chosen, include_help, include_questions,
                          note, include_cycle=include_cycle,
                          include_talk_prompts=mode.talk_prompts)
    # What these files hold, for assets/page.js: which note (a Download or Print tapped
    # straight after typing waits for the files with the note the reader sees), and the web
    # page itself, which Print prints: exactly what the download holds, every page of it.
    page = next(built for built in files.files if built.format.ext == "html")
    # Base64: Streamlit's sanitiser drops an attribute whose value holds "</style" or "</title".
    st.html(f'<span id="{hooks.FILES}" data-note-sum="{note_sum(note)}" '
            f'data-print="{base64.b64encode(page.data).decode("ascii")}" hidden></span>')
    # One row of equal height from 640 px, stacked full width below (app.css, by this key).
    columns = st.container(key=hooks.SAVE_ROW).columns(len(FORMATS) + 1)
    # The bytes are sent now, not built on the click: Streamlit deletes a file made on the
    # click at the next clean-up, which many visitors at once bring within milliseconds.
    for column, built in zip(columns, files.files, strict=False):
        column.download_button(
            content.text(lang, built.format.label_key), data=built.data, file_name=built.name,
            mime=built.format.mime, on_click="ignore", width="stretch")
    with columns[-1]:
        # assets/page.js prints the summary when it is pressed (an inline onclick is stripped).
        st.html(f'<button id="print-page" class="{hooks.PRINT_BUTTON}" type="button">'
                f'{escape(content.text(lang, "save.print"))}</button>')


def note_sum(note: str) -> str:
    """A short checksum of the note (FNV-1a over UTF-16 code units, as page.js computes it)."""
    value = 0x811C9DC5
    data = (note or "").encode("utf-16-le")
    for index in range(0, len(data), 2):
        value ^= data[index] | (data[index + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return format(value, "08x")


def kept_checkbox(label: str, default: bool, key: str) -> bool:
    return st.checkbox(label, value=state.choice(key, default), key=key,
                       on_change=state.keep_choice, args=(key,))


def summary_files(content: Content, lang: str, reflection: Reflection, chosen: list[str],
                  include_help: bool, include_questions: bool, note: str, *,
                  include_cycle: bool,
                  include_talk_prompts: bool) -> SummaryFiles:
    """Return this session's summary files, built again only when a choice has changed.

    They live in this session's state only; each build has a new random file code.
    include_talk_prompts comes from the mode, which the welcome's switch can change.
    """
    today = datetime.date.today()
    choices = (lang, today, tuple(reflection.recognised), tuple(chosen), include_help,
               include_questions, note, include_cycle, include_talk_prompts)
    kept = state.kept_summary()
    if kept is not None and kept.choices == choices:
        return kept
    summary = build_summary(content, reflection, lang, chosen, date=today, token=new_token(),
                            include_help=include_help, note=note,
                            include_provider_questions=include_questions,
                            include_talk_prompts=include_talk_prompts,
                            include_cycle=include_cycle)
    kept = build_files(content, summary, choices, content.text(lang, "summary.file_name"))
    state.keep_summary(kept)
    return kept
