"""The close's "keep or print" section: the reader ticks what to keep, then downloads it in
each format of reflect/summary.py's FORMATS, or prints it (the web page download, printed by
assets/page.js)."""

from __future__ import annotations

import base64
import datetime
from concurrent.futures import Future
from dataclasses import dataclass
from html import escape
from pathlib import Path

import streamlit as st

from reflect import pdf_process
from reflect.content import Content
from reflect.reflection import Reflection
from reflect.summary import (
    FORMATS,
    NOTE_MAX_CHARS,
    Summary,
    SummaryFiles,
    build_files,
    build_summary,
    new_token,
    pdf_document,
)
from ui import hooks, state, text


@dataclass(frozen=True)
class Started:
    """A summary whose PDF is being made while the rest of the close is drawn (start)."""

    choices: tuple
    summary: Summary
    pdf: Future


def start(content: Content, lang: str, reflection: Reflection, *,
          ahead: bool = False) -> Started | None:
    """Start making the close's PDF: ahead, on the screen before the close, while the reader
    reads it, and first thing on the close if what it would hold has changed since. From the
    choices as the reader left them (ui/state.choice), which the close's widgets then show.
    None when the summary kept for this session already has these choices.

    A session never has more than one PDF on the way: going back and forth to the screen
    before (or switching its language there), or ticking faster than runs end, must not
    queue PDF after PDF for the one PDF process. One that failed is not used again."""
    gen, mode = state.generation(), state.mode()
    chosen = [item.pattern_id for item in reflection.recognised
              if state.choice(f"keep:{item.pattern_id}:{gen}", False)]
    choices = summary_choices(
        lang, reflection, chosen, state.choice(f"keep_help:{gen}", False),
        mode.provider_questions and state.choice(f"keep_questions:{gen}", mode.questions_ticked),
        state.choice(f"note:{gen}", "") if mode.note else "",
        include_cycle=state.choice(f"keep_cycle:{gen}", False),
        include_talk_prompts=mode.talk_prompts)
    kept = state.kept_summary()
    if kept is not None and kept.choices == choices:
        return None
    earlier = state.started_summary()
    if earlier is not None and earlier.choices == choices and not failed(earlier.pdf):
        return earlier
    if state.pdf_on_the_way():
        if ahead:
            return None  # the close starts its own if it needs another
        # A run cut short by a rerun (a quick tick) leaves its PDF on the way: the next waits
        # for it, as it would have for its own, so a session never queues more than one.
        state.wait_for_pdf(2 * pdf_process.TIMEOUT_SECONDS)
    summary = new_summary(content, reflection, choices)
    started = Started(choices, summary,
                      pdf_process.shared().submit(pdf_document(content, summary)))
    state.keep_started(started)
    state.mark_pdf_on_the_way(started.pdf)
    return started


def section(root: Path, content: Content, lang: str, reflection: Reflection,
            started: Started | None = None) -> None:
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
                          include_talk_prompts=mode.talk_prompts, started=started)
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


def failed(pdf: Future) -> bool:
    return pdf.done() and pdf.exception() is not None


def summary_choices(lang: str, reflection: Reflection, chosen: list[str], include_help: bool,
                    include_questions: bool, note: str, *, include_cycle: bool,
                    include_talk_prompts: bool) -> tuple:
    """What a summary is built from; the same tuple means the same files."""
    return (lang, datetime.date.today(), tuple(reflection.recognised), tuple(chosen),
            include_help, include_questions, note, include_cycle, include_talk_prompts)


def new_summary(content: Content, reflection: Reflection, choices: tuple) -> Summary:
    """Build the summary for choices (summary_choices), with a new random file code."""
    (lang, today, _recognised, chosen, include_help, include_questions, note, include_cycle,
     include_talk_prompts) = choices
    return build_summary(content, reflection, lang, list(chosen), date=today,
                         token=new_token(), include_help=include_help, note=note,
                         include_provider_questions=include_questions,
                         include_talk_prompts=include_talk_prompts,
                         include_cycle=include_cycle)


def summary_files(content: Content, lang: str, reflection: Reflection, chosen: list[str],
                  include_help: bool, include_questions: bool, note: str, *,
                  include_cycle: bool, include_talk_prompts: bool,
                  started: Started | None = None) -> SummaryFiles:
    """Return this session's summary files, built again only when a choice has changed.

    They live in this session's state only; each build has a new random file code.
    include_talk_prompts comes from the mode, which the welcome's switch can change. When
    started (start) has these very choices, its summary and its PDF, already on the way, are
    used; otherwise (a choice the widgets hold that the state did not) all is built here.
    """
    choices = summary_choices(lang, reflection, chosen, include_help, include_questions, note,
                              include_cycle=include_cycle,
                              include_talk_prompts=include_talk_prompts)
    kept = state.kept_summary()
    if kept is not None and kept.choices == choices:
        return kept
    stem = content.text(lang, "summary.file_name")
    # The PDF is made in a process of its own (reflect/pdf_process.py), so its 100-200 ms of
    # CPU never holds the interpreter that every other session's run needs.
    if started is not None and started.choices == choices:
        state.drop_started()  # kept as the summary's files next, or, if it failed, not at all
        kept = build_files(content, started.summary, choices, stem,
                           make_pdf=lambda _document: started.pdf.result())
    else:
        kept = build_files(content, new_summary(content, reflection, choices), choices, stem,
                           make_pdf=pdf_process.shared())
    state.keep_summary(kept)
    return kept
