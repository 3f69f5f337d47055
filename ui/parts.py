"""Pieces every screen shares: the page scripts, the crisis banner, the language switch, the
sources, the way back and forth, and the controls each mode puts around a screen."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import streamlit as st

from reflect import csp, flow
from reflect.content import Content, Explanation
from reflect.listen import crisis_block, screen_blocks, with_recordings
from reflect.reflection import build_reflection
from reflect.render import contact_ways, crisis_banner
from reflect.site import logo_uri
from ui import hooks, state, text
from ui.cached import asset, server_settings, sheets_in_page

# The answers to "Clear everything?" (tests press them by key).
START_OVER_NO, START_OVER_YES = "reflect_start_over_no", "reflect_start_over_yes"


def data_attributes(element: str, values: dict[str, str]) -> str:
    """Return the data-* attributes a page script reads from element, every value escaped.

    Exactly the names ui/hooks.py lists for that element: a missing or extra one is a bug.
    """
    if set(values) != set(hooks.DATA[element]):
        raise ValueError(f"{element}: data attributes {sorted(values)} are not "
                         f"{sorted(hooks.DATA[element])} (ui/hooks.py)")
    return " ".join(f'data-{name}="{escape(value, quote=True)}"' for name, value in values.items())


def run_script(root: Path, name: str, before: str = "") -> None:
    """Put one of the app's scripts (assets/<name>, listed in reflect/csp.py) on the page,
    after the HTML before. The only place the app adds a script. One the server serves
    (csp.SERVED) goes by its address, which the browser loads once and runs again from its
    own copy each time Streamlit redraws this element, or, where it must run in step with the
    screen (csp.RUNNERS), the short script that runs it at once; any other goes as its text,
    the one the Content-Security-Policy's hash was made from. The browser lets each run."""
    if name in csp.RUNNERS:  # loaded with the first page; its runner runs it at once
        name = csp.RUNNERS[name]
    if name in csp.SERVED:
        tag = f'<script src="{escape(csp.script_url(str(root), name), quote=True)}"></script>'
    else:
        tag = f"<script>{csp.script_text(str(root), name)}</script>"
    st.html(before + tag, unsafe_allow_javascript=True)


def script(root: Path, element: str, values: dict[str, str]) -> None:
    """Draw a hidden element carrying data for an asset script, and the script itself."""
    run_script(root, hooks.SCRIPT_OF[element],
               before=f'<div id="{element}" hidden {data_attributes(element, values)}></div>')


def stylesheets(root: Path) -> None:
    """app.css and the mode's own sheet, those of them the first page does not carry
    (ui/cached.sheets_in_page): served through webserver/, a counseling session's sheet
    alone, about 2 KB; run without it, every sheet, in one element."""
    sheet = state.mode().stylesheet
    wanted = [name for name in ("app.css", *((sheet,) if sheet else ()))
              if name not in sheets_in_page()]
    if wanted:
        st.html("<style>" + "\n".join(asset(str(root), name) for name in wanted) + "</style>")


def crisis_contacts(content: Content, lang: str) -> str:
    """The crisis lines as data for the bar's help list (assets/page.js builds it)."""
    return json.dumps([
        {"name": line.text[lang].short,
         "ways": [{"words": way.words, "shown": way.shown, "target": way.target,
                   "after": way.after}
                  for way in contact_ways(content, lang, line, web=False)]}
        for line in content.helplines.crisis], ensure_ascii=False)


def listen_data(content: Content, lang: str, step: int) -> dict[str, str]:
    """What the bar's Listen reads on this screen (reflect/listen.py), and its words."""
    screen, mode = flow.screens(content)[step], state.mode()
    answers = state.answers(content)
    reflection = (build_reflection(content, answers, lang)
                  if screen.kind in (flow.REFLECTION, flow.CLOSE) else None)
    blocks = screen_blocks(content, lang, screen, mode, reflection, answers,
                           about=state.about_open())
    lines = crisis_block(content, lang)
    words = {f"listen-{name.replace('_', '-')}": content.text(lang, f"listen.{name}")
             for name in ("label", "pause", "resume", "stop", "crisis", "reading", "paused",
                          "stopped", "no_voice", "unavailable")}
    return {
        "listen": json.dumps(with_recordings(content, lang, blocks), ensure_ascii=False),
        "listen-lines": json.dumps(with_recordings(content, lang, (lines,)),
                                   ensure_ascii=False),
        # The same for every visitor of this server: whether the page fetches recordings.
        "listen-recorded": "on" if content.site and content.site.recordings else "off",
        **words,
    }


def page_upkeep(root: Path, content: Content, lang: str, step: int) -> None:
    """The page script (assets/page.js): the page's language, focus on a new screen's heading,
    the bar with help and Quick exit, and the browser's Back and Forward between screens."""
    mode = state.mode()
    script(root, hooks.PAGE, {
        "script": csp.script_url(str(root), "page.js"),
        "lang": lang, "step": str(step), "languages": ",".join(content.languages),
        "visit": state.visit(), "generation": str(state.generation()),
        "restart-notice": content.text(lang, "restart.notice"),
        "restart-button": content.text(lang, "restart.start_again"),
        "history": "on" if mode.history else "off",
        "reload-notice": content.text(lang, "reload.notice"),
        "offline-notice": content.text(lang, "offline.notice"),
        "bar-label": content.text(lang, "bar.label"),
        "help-label": content.text(lang, "bar.help"),
        "help-heading": content.text(lang, "crisis.heading"),
        "help": crisis_contacts(content, lang),
        "links": "on" if mode.links else "off",
        "quick-exit": content.text(lang, "quick_exit.label"),
        "quick-exit-to": server_settings().quick_exit_to if mode.quick_exit else "",
        "about": "on" if state.about_open() else "off",
        **listen_data(content, lang, step),
    })
    if mode.history:
        # Hidden; assets/page.js chooses the screen the browser's Back or Forward asks for.
        st.radio("screen", options=range(2 * len(flow.screens(content))), key=hooks.HISTORY,
                 on_change=state.history_to, args=(hooks.HISTORY, content),
                 label_visibility="collapsed")
    if mode.quick_exit:
        # Hidden; the bar's Quick exit presses it and leaves in the same handler.
        st.button("forget", key=hooks.FORGET, on_click=state.forget_now)


def language_switch(content: Content, lang: str) -> None:
    """Offer every language, each named in its own words; a change keeps every answer."""
    if len(content.languages) < 2:
        return
    codes = list(content.languages)
    st.radio(content.text(lang, "language.label"), options=codes, index=codes.index(lang),
             format_func=content.languages.get, horizontal=True, key=hooks.LANGUAGE,
             on_change=state.set_language, args=(hooks.LANGUAGE,))


def banner(content: Content, lang: str) -> None:
    with st.container(border=True, key=hooks.BANNER):
        text.write(crisis_banner(content, lang, links=state.mode().links))


def clinic(content: Content, lang: str) -> None:
    """The clinic running the app (its site.yaml): its logo, if any, and "Offered by" its name.
    The logo is an <img> of a data: address (img-src allows data:), where an SVG's scripts
    never run; the name was checked as plain text and is escaped here too."""
    name = content.clinic_name(lang)
    if not name:
        return
    logo = content.site.logo
    picture = (f'<img src="{logo_uri(logo)}" alt="{escape(logo.alt[lang], quote=True)}" '
               'width="48" height="48">' if logo else "")
    words = escape(content.text(lang, "welcome.offered_by", clinic=name))
    st.html(f'<p class="{hooks.CLINIC}">{picture}<span>{words}</span></p>')


def sources(content: Content, lang: str, explanation: Explanation) -> None:
    with st.expander(content.text(lang, "reflection.sources")):
        text.write("\n".join(f"- {source}" for source in explanation.sources))


def nav(content: Content, lang: str, step: int, next_label: str | None = None) -> None:
    back, forward = st.columns(2, wrap=False)  # side by side on a phone too
    if step > 0:
        back.button(content.text(lang, "nav.back"), on_click=state.go_to, args=(step - 1,),
                    width="stretch")
    if next_label:
        forward.button(next_label, on_click=state.go_to, args=(step + 1,), type="primary",
                       width="stretch")


def controls_above(content: Content, lang: str) -> None:
    """What a mode puts above every screen: on a kiosk, a large Start over."""
    if state.mode().forgets_visitor:
        # The next person may be a stranger: Start over forgets the whole session.
        st.button(content.text(lang, "nav.start_over"), on_click=state.forget_visitor,
                  key=hooks.START_OVER, width="stretch")


def controls_below(content: Content, lang: str) -> None:
    """What a mode puts below every screen: Start over, where it does not forget a visitor,
    and one short line that opens "About this content" (not on that screen itself)."""
    if not state.mode().forgets_visitor:
        # Set apart from the screen by a line (app.css), not st.divider: one element less.
        # Asks first when there is something to lose. The button stays where it is, so a
        # keyboard's focus stays on it, and the question comes next in the page's order.
        st.button(content.text(lang, "nav.start_over"), on_click=state.ask_to_start_over,
                  key=hooks.START_OVER, width="stretch")
        if state.confirming_start_over():
            start_over_question(content, lang)
    if not state.about_open():
        st.button(content.text(lang, "about.link"), on_click=state.open_about,
                  key=hooks.ABOUT_OPEN, type="tertiary", width="stretch")
    # Pressed only by assets/page.js when the connection comes back; hidden by app.css.
    st.button("sync", key=hooks.SYNC)


def start_over_question(content: Content, lang: str) -> None:
    """"Clear everything?" with the way to keep it first: the safer choice is the easy one."""
    with st.container(border=True, key=hooks.START_OVER_ASK):
        text.warning(content.text(lang, "nav.start_over_ask"))
        keep, clear = st.columns(2)
        keep.button(content.text(lang, "nav.start_over_no"), on_click=state.keep_everything,
                    key=START_OVER_NO, type="primary", width="stretch")
        clear.button(content.text(lang, "nav.start_over_yes"), on_click=state.start_over,
                     key=START_OVER_YES, width="stretch")


def run_marker() -> None:
    """Mark the end of this run on the page with its number: a page, or a test, can tell a
    finished run from an earlier one (the running state alone can be too quick to see)."""
    answered = state.history_answered(hooks.HISTORY)
    st.html(f'<span id="{hooks.RUN}" data-run="{state.next_run()}" '
            f'data-answered="{answered}" hidden></span>')
