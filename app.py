"""Draw the self-reflection questionnaire. Logic and wording live in reflect/ and the data files."""

from __future__ import annotations

import datetime
import functools
import logging
import secrets
from html import escape
from pathlib import Path

import streamlit as st

from reflect import flow
from reflect.content import (
    Content,
    ContentError,
    Explanation,
    content_fingerprint,
    load_helplines,
)
from reflect.cycle import cycle_in_words, cycle_svg
from reflect.kiosk import address_as_text, screen_timers, without_links
from reflect.language import pick_language, preferences
from reflect.reflection import Reflection, build_reflection
from reflect.render import contacts_checked, crisis_banner, helplines_in_full
from reflect.settings import (
    COUNSELING,
    KIOSK,
    Settings,
    SettingsError,
    session_mode,
)
from reflect.summary import (
    NOTE_MAX_CHARS,
    SummaryFiles,
    build_summary,
    file_name,
    new_token,
    summary_html,
    summary_pdf,
)
from resources import asset, cached_content, kiosk_qr, server_settings
from session import (  # the session's state and callbacks, beside app.py
    ANSWER,
    ASK,
    FRESH,
    GEN,
    LANG,
    MODE,
    NEUTRAL,
    STEP,
    SUMMARY,
    VISIT,
    answers,
    back_from_question,
    forget_visitor,
    go_to,
    holds_visitor,
    keep_answer,
    next_from_question,
    quick_exit,
    radio_key,
    set_counseling,
    set_language,
    start_over,
)

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("reflect.app")

# Shown only when the content files cannot be read, so this wording cannot come from them.
# In every language the content is written in, since the reader's choice is unknown here.
NOT_SET_UP = (
    ("en", "This app is not set up correctly",
     "Sorry, this reflection cannot open right now. Please tell the person who runs it. "
     "If you need help now, call your local emergency number."),
    ("es", "Esta aplicación no está bien configurada",
     "Lo sentimos, esta reflexión no se puede abrir ahora. Avísele a la persona a cargo. "
     "Si necesita ayuda ahora, llame al número de emergencias de su zona."),
)


# ---- session state ---------------------------------------------------------------------------


def init_session(content: Content, settings: Settings) -> None:
    """Give a new session its language, mode, first step and widget generation."""
    if LANG not in st.session_state:  # the browser's language, if the content has it
        st.session_state[LANG] = pick_language(preferences(st.context.locale),
                                               content.languages, content.default_language)
    if st.session_state[LANG] not in content.languages:
        st.session_state[LANG] = content.default_language
    st.session_state[STEP] = flow.clamp_step(st.session_state.get(STEP), content)
    st.session_state.setdefault(GEN, 0)
    if VISIT not in st.session_state:
        st.session_state[VISIT] = secrets.token_hex(8)
    # session_mode keeps a kiosk a kiosk and refuses any value it does not know, every run.
    requested = st.session_state.get(MODE, st.query_params.get("mode"))
    st.session_state[MODE] = session_mode(settings, requested)


# ---- drawing ---------------------------------------------------------------------------------


def on_kiosk() -> bool:
    return st.session_state[MODE] == KIOSK


def shown(markdown: str) -> str:
    """Return Markdown as this session may show it: on a kiosk, links become plain text."""
    return without_links(markdown) if on_kiosk() else markdown


def write(markdown: str) -> None:
    st.markdown(shown(markdown))


def draw_page_upkeep(content: Content, lang: str, step: int) -> None:
    """Set the page's language and move focus to a new screen's heading (assets/page.js)."""
    languages = ",".join(content.languages)
    attributes = data_attributes({
        "lang": lang, "step": str(step), "languages": languages,
        "visit": st.session_state[VISIT],
        "restart-notice": content.text(lang, "restart.notice"),
        "restart-button": content.text(lang, "restart.start_again"),
    })
    st.html(f'<div id="reflect-page" hidden {attributes}></div>'
            f'<script>{asset(str(ROOT), "page.js")}</script>', unsafe_allow_javascript=True)


def data_attributes(values: dict[str, str]) -> str:
    """Return data-* attributes for the page scripts, every value escaped."""
    return " ".join(f'data-{name}="{escape(value, quote=True)}"' for name, value in values.items())


def draw_language_switch(content: Content, lang: str) -> None:
    """Offer every language, each named in its own words; a change keeps every answer."""
    if len(content.languages) < 2:
        return
    codes = list(content.languages)
    st.radio(content.text(lang, "language.label"), options=codes, index=codes.index(lang),
             format_func=content.languages.get, horizontal=True, key="language",
             on_change=set_language, args=("language",))


def draw_crisis_banner(content: Content, lang: str) -> None:
    with st.container(border=True):
        st.markdown(crisis_banner(content, lang, links=not on_kiosk()))


def draw_sources(content: Content, lang: str, explanation: Explanation) -> None:
    with st.expander(content.text(lang, "reflection.sources")):
        write("\n".join(f"- {source}" for source in explanation.sources))


def draw_nav(content: Content, lang: str, step: int, next_label: str | None = None) -> None:
    back, forward = st.columns(2)
    if step > 0:
        back.button(content.text(lang, "nav.back"), on_click=go_to, args=(step - 1,),
                    width="stretch")
    if next_label:
        forward.button(next_label, on_click=go_to, args=(step + 1,), type="primary",
                       width="stretch")


def draw_welcome(content: Content, lang: str, step: int) -> None:
    st.title(content.text(lang, "welcome.heading"), anchor=False)
    write(content.text(lang, "welcome.body"))
    if st.session_state[MODE] != KIOSK:
        key = f"counseling_switch:{st.session_state[GEN]}"
        st.toggle(content.text(lang, "counseling.switch_label"),
                  value=st.session_state[MODE] == COUNSELING, key=key,
                  on_change=set_counseling, args=(key,))
    st.button(content.text(lang, "welcome.start"), on_click=go_to, args=(step + 1,),
              type="primary", width="stretch")


def draw_question(content: Content, lang: str, step: int, screen: flow.Screen) -> None:
    pid = screen.pattern_id
    st.title(content.text(lang, "question.progress", number=screen.number, total=screen.total),
             anchor=False)
    st.progress(screen.number / screen.total)
    write(content.text(lang, "question.hint"))
    option_ids = [a.id for a in content.answers]
    saved = st.session_state.get(ANSWER + pid)
    st.radio(
        content.text(lang, f"patterns.{pid}.statement"),
        options=option_ids,
        index=option_ids.index(saved) if saved in option_ids else None,
        # Not a lambda: a function made in app.py would keep this run's module per session.
        format_func=functools.partial(content.answer_label, lang),
        key=radio_key(pid),
        on_change=keep_answer,
        args=(pid,),
    )
    if st.session_state.get(ASK) and st.session_state.get(ANSWER + pid) is None:
        st.warning(shown(content.text(lang, "nav.choose_an_answer")))
    back, forward = st.columns(2)
    back.button(content.text(lang, "nav.back"), on_click=back_from_question, args=(pid, step),
                width="stretch")
    forward.button(content.text(lang, "nav.next"), on_click=next_from_question, args=(pid, step),
                   type="primary", width="stretch")


def draw_reflection(content: Content, lang: str, step: int) -> None:
    reflection = build_reflection(content, answers(content), lang)
    st.title(content.text(lang, "reflection.heading"), anchor=False)
    st.info(shown(content.text(lang, "reflection.not_a_diagnosis")))
    if reflection.none_recognised:
        write(content.text(lang, "reflection.none_recognised"))
    for item in reflection.recognised:
        st.header(item.title, anchor=False)
        write(f"*{item.intro}*")
        write(item.explanation.body)
        if st.session_state[MODE] == COUNSELING:
            with st.container(border=True):
                st.subheader(content.text(lang, "counseling.talk_about_heading"), anchor=False)
                st.markdown(content.text(lang, f"patterns.{item.pattern_id}.talk_about"))
        draw_sources(content, lang, item.explanation)
    if reflection.not_shared and reflection.recognised:
        write(content.text(lang, "reflection.some_not_shared"))
    st.header(content.text(lang, "cycle.heading"), anchor=False)
    write(content.text(lang, "cycle.intro"))
    # An <img> from a data: URI: no file under /media/ that could reveal what was marked.
    st.image(cycle_svg(content, lang, reflection.marked_stages),
             alt=cycle_in_words(content, lang, reflection.marked_stages))
    if reflection.marked_stages:
        write(content.text(lang, "cycle.marked_legend"))
    with st.expander(content.text(lang, "cycle.in_words")):
        write(cycle_in_words(content, lang, reflection.marked_stages))
    draw_nav(content, lang, step, content.text(lang, "reflection.next"))


def draw_help(content: Content, lang: str, step: int) -> None:
    explanation = content.explanation(lang, "help")
    st.title(content.text(lang, "help.heading"), anchor=False)
    write(explanation.body)
    draw_sources(content, lang, explanation)
    draw_nav(content, lang, step, content.text(lang, "help.next"))


def draw_close(content: Content, lang: str, step: int) -> None:
    explanation = content.explanation(lang, "close")
    st.title(content.text(lang, "close.heading"), anchor=False)
    st.info(shown(content.text(lang, "close.not_a_diagnosis")))
    write(explanation.body)
    st.header(content.text(lang, "close.crisis_heading"), anchor=False)
    links = not on_kiosk()
    st.markdown(helplines_in_full(content, lang, "crisis", links))
    st.header(content.text(lang, "close.finding_heading"), anchor=False)
    st.markdown(helplines_in_full(content, lang, "finding", links))
    st.markdown(contacts_checked(content, lang))
    draw_sources(content, lang, explanation)
    if on_kiosk():
        draw_kiosk_qr(content, lang)
        write(content.text(lang, "kiosk.close_return",
                           seconds=server_settings().close_return_seconds))
    else:
        draw_save(content, lang, build_reflection(content, answers(content), lang))
    draw_nav(content, lang, step)


def draw_kiosk_qr(content: Content, lang: str) -> None:
    """Kiosk: the help page as a QR code, to open on the visitor's own phone."""
    line = content.helplines.kiosk_qr
    if line is None or line.url is None:
        return
    site = address_as_text(line.url)
    st.header(content.text(lang, "kiosk.qr_heading"), anchor=False)
    write(content.text(lang, "kiosk.qr_body", site=site))
    with st.container(key="kiosk_qr"):
        st.image(kiosk_qr(line.url), alt=content.text(lang, "kiosk.qr_alt", site=site), width=246)


def draw_kiosk_watch(content: Content, lang: str, screen: flow.Screen) -> None:
    """Kiosk: the idle watch and its countdown (assets/kiosk.js), with this screen's timers.

    Any screen counts down while the session keeps an answer or a choice, the welcome too.
    """
    timers = screen_timers(server_settings(), screen.kind, holds_visitor())
    data = {
        "wait": "" if timers.wait_seconds is None else str(timers.wait_seconds),
        "countdown": str(timers.countdown_seconds),
        "heading": content.text(lang, "kiosk.idle_heading"),
        "body": content.text(lang, "kiosk.idle_body", seconds="{seconds}"),
        "body-one": content.text(lang, "kiosk.idle_body_one"),
        "still-here": content.text(lang, "kiosk.still_here"),
    }
    st.html(f'<div id="reflect-kiosk" hidden {data_attributes(data)}></div>'
            f'<script>{asset(str(ROOT), "kiosk.js")}</script>', unsafe_allow_javascript=True)


def draw_fresh_start(content: Content, lang: str) -> None:
    """Kiosk, after forget_visitor: clear the browser's storage and load the page anew in
    place, so the next visitor gets new inputs and Back has nothing to return to."""
    st.markdown(content.text(lang, "kiosk.resetting"))
    st.html("<script>try { sessionStorage.clear(); localStorage.clear(); } catch (e) {}"
            "window.location.replace(window.location.pathname);</script>",
            unsafe_allow_javascript=True)


def draw_save(content: Content, lang: str, reflection: Reflection) -> None:
    """Let the reader choose what to keep, then download or print only that."""
    gen = st.session_state[GEN]
    counseling = st.session_state[MODE] == COUNSELING
    st.header(content.text(lang, "save.heading"), anchor=False)
    st.markdown(content.text(lang, "save.intro"))
    # Nothing is ticked at first: only what the reader chooses leaves this screen.
    chosen = [item.pattern_id for item in reflection.recognised
              if st.checkbox(item.title, value=False, key=f"keep:{item.pattern_id}:{gen}")]
    include_help = st.checkbox(content.text(lang, "save.include_help"), value=False,
                               key=f"keep_help:{gen}")
    include_questions = counseling and st.checkbox(
        content.text(lang, "save.include_questions"), value=True, key=f"keep_questions:{gen}")
    note = ""
    if counseling:
        note = st.text_area(content.text(lang, "save.note_label"), key=f"note:{gen}",
                            max_chars=NOTE_MAX_CHARS)

    files = summary_files(content, lang, reflection, chosen, include_help, include_questions,
                          note)
    html_column, pdf_column, print_column = st.columns(3)
    # The bytes are sent now, not built on the click: Streamlit deletes a file made on the
    # click at the next clean-up, which many visitors at once bring within milliseconds.
    html_column.download_button(
        content.text(lang, "save.download_html"), data=files.html, file_name=files.html_name,
        mime="text/html", on_click="ignore", width="stretch")
    pdf_column.download_button(
        content.text(lang, "save.download_pdf"), data=files.pdf, file_name=files.pdf_name,
        mime="application/pdf", on_click="ignore", width="stretch")
    with print_column:
        # An inline onclick is stripped; a script that adds the listener is kept.
        st.html(f'<button id="print-page" class="print-button" type="button">'
                f'{escape(content.text(lang, "save.print"))}</button>'
                '<script>document.getElementById("print-page")'
                '.addEventListener("click", () => window.print());</script>',
                unsafe_allow_javascript=True)


def summary_files(content: Content, lang: str, reflection: Reflection, chosen: list[str],
                  include_help: bool, include_questions: bool, note: str) -> SummaryFiles:
    """Return this session's summary files, built again only when a choice has changed.

    They live in this session's state only; each build has a new random file code.
    """
    today = datetime.date.today()
    choices = (lang, today, tuple(reflection.recognised), tuple(chosen), include_help,
               include_questions, note)
    kept = st.session_state.get(SUMMARY)
    if kept is not None and kept.choices == choices:
        return kept
    summary = build_summary(content, reflection, lang, chosen, date=today, token=new_token(),
                            include_help=include_help, note=note,
                            include_provider_questions=include_questions)
    stem = content.text(lang, "summary.file_name")
    kept = SummaryFiles(choices, summary_html(content, summary).encode("utf-8"),
                        summary_pdf(content, summary), file_name(summary, "html", stem),
                        file_name(summary, "pdf", stem))
    st.session_state[SUMMARY] = kept
    return kept


def draw_not_set_up() -> None:
    """Show a calm page without details; the details are already in the server log."""
    for number, (lang, title, body) in enumerate(NOT_SET_UP):
        with st.container(key=f"not_set_up_{lang}"):
            if number == 0:
                st.title(title, anchor=False)
            else:
                st.header(title, anchor=False)
            st.markdown(body)
    st.html('<span id="not-set-up-langs" hidden></span><script>document.querySelectorAll('
            '"[class*=st-key-not_set_up_]").forEach(box => { box.lang = '
            'box.className.match(/st-key-not_set_up_(\\w+)/)[1]; });</script>',
            unsafe_allow_javascript=True)
    try:
        helplines = load_helplines(ROOT)
    except ContentError:
        return
    for line in helplines.crisis:
        words = next(iter(line.text.values()), None)
        if words:
            # Plain text: this page may be on a kiosk, where nothing may navigate away.
            address = line.url and address_as_text(line.url)
            contact = " · ".join(x for x in (line.phone, address) if x)
            st.markdown(f"**{words.name}**: {contact}")


def draw_neutral(content: Content, lang: str) -> None:
    """After a quick exit: a blank, neutral page; the browser leaves for about:blank."""
    st.markdown(content.text(lang, "quick_exit.neutral"))
    st.html('<script>window.location.replace("about:blank");</script>',
            unsafe_allow_javascript=True)


def draw(content: Content, settings: Settings) -> None:
    init_session(content, settings)
    lang = st.session_state[LANG]
    mode = st.session_state[MODE]
    st.set_page_config(page_title=content.text(lang, "app.title"), layout="centered")
    if st.session_state.pop(NEUTRAL, False):
        draw_neutral(content, lang)
        return
    if st.session_state.pop(FRESH, False):
        draw_fresh_start(content, lang)
        return
    st.html(f"<style>{asset(str(ROOT), 'app.css')}</style>")
    if mode in (COUNSELING, KIOSK):
        st.html(f"<style>{asset(str(ROOT), mode + '.css')}</style>")
    step = st.session_state[STEP]
    screen = flow.screens(content)[step]
    if screen.kind != flow.CLOSE:
        st.session_state.pop(SUMMARY, None)  # the downloads exist only on the close
    draw_page_upkeep(content, lang, step)
    if mode == KIOSK:
        draw_kiosk_watch(content, lang, screen)
        # The next person may be a stranger: Start over forgets the whole session.
        st.button(content.text(lang, "nav.start_over"), on_click=forget_visitor,
                  key="start_over", width="stretch")
    else:
        st.button(content.text(lang, "quick_exit.label"), on_click=quick_exit, key="quick_exit",
                  type="tertiary")
    draw_language_switch(content, lang)  # on every screen, every mode; answers are kept
    draw_crisis_banner(content, lang)
    if screen.kind == flow.WELCOME:
        draw_welcome(content, lang, step)
    elif screen.kind == flow.QUESTION:
        draw_question(content, lang, step, screen)
    elif screen.kind == flow.REFLECTION:
        draw_reflection(content, lang, step)
    elif screen.kind == flow.HELP:
        draw_help(content, lang, step)
    else:
        draw_close(content, lang, step)
    if mode != KIOSK:
        st.divider()
        st.button(content.text(lang, "nav.start_over"), on_click=start_over, key="start_over",
                  width="stretch")
    # Pressed only by assets/page.js when the connection comes back; hidden by app.css.
    st.button("sync", key="reflect_sync")


def main() -> None:
    try:
        settings = server_settings()
    except SettingsError as err:
        log.error("The server settings are not valid: %s", err)
        draw_not_set_up()
        return
    try:
        content = cached_content(str(ROOT), content_fingerprint(ROOT))
    except ContentError as err:
        log.error("The content files are not set up correctly:\n%s", err)
        draw_not_set_up()
        return
    page = st.empty()
    try:
        with page.container():
            draw(content, settings)
    except Exception:  # a visitor never sees a traceback; the log keeps it
        log.exception("Unexpected error while drawing a screen")
        page.empty()
        draw_not_set_up()


main()
