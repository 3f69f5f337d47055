"""Pieces every screen shares: the page scripts, the crisis banner, the language switch, the
sources, the way back and forth, and the controls each mode puts around a screen."""

from __future__ import annotations

from html import escape
from pathlib import Path

import streamlit as st

from reflect.content import Content, Explanation
from reflect.render import crisis_banner
from ui import hooks, state, text
from ui.cached import asset


def data_attributes(element: str, values: dict[str, str]) -> str:
    """Return the data-* attributes a page script reads from element, every value escaped.

    Exactly the names ui/hooks.py lists for that element: a missing or extra one is a bug.
    """
    if set(values) != set(hooks.DATA[element]):
        raise ValueError(f"{element}: data attributes {sorted(values)} are not "
                         f"{sorted(hooks.DATA[element])} (ui/hooks.py)")
    return " ".join(f'data-{name}="{escape(value, quote=True)}"' for name, value in values.items())


def script(root: Path, element: str, values: dict[str, str]) -> None:
    """Draw a hidden element carrying data for an asset script, and the script itself."""
    st.html(f'<div id="{element}" hidden {data_attributes(element, values)}></div>'
            f'<script>{asset(str(root), hooks.SCRIPT_OF[element])}</script>',
            unsafe_allow_javascript=True)


def stylesheets(root: Path) -> None:
    st.html(f"<style>{asset(str(root), 'app.css')}</style>")
    sheet = state.mode().stylesheet
    if sheet:
        st.html(f"<style>{asset(str(root), sheet)}</style>")


def page_upkeep(root: Path, content: Content, lang: str, step: int) -> None:
    """Set the page's language and move focus to a new screen's heading (assets/page.js)."""
    script(root, hooks.PAGE, {
        "lang": lang, "step": str(step), "languages": ",".join(content.languages),
        "visit": state.visit(),
        "restart-notice": content.text(lang, "restart.notice"),
        "restart-button": content.text(lang, "restart.start_again"),
    })


def language_switch(content: Content, lang: str) -> None:
    """Offer every language, each named in its own words; a change keeps every answer."""
    if len(content.languages) < 2:
        return
    codes = list(content.languages)
    st.radio(content.text(lang, "language.label"), options=codes, index=codes.index(lang),
             format_func=content.languages.get, horizontal=True, key=hooks.LANGUAGE,
             on_change=state.set_language, args=(hooks.LANGUAGE,))


def banner(content: Content, lang: str) -> None:
    with st.container(border=True):
        text.write(crisis_banner(content, lang, links=state.mode().links))


def sources(content: Content, lang: str, explanation: Explanation) -> None:
    with st.expander(content.text(lang, "reflection.sources")):
        text.write("\n".join(f"- {source}" for source in explanation.sources))


def nav(content: Content, lang: str, step: int, next_label: str | None = None) -> None:
    back, forward = st.columns(2)
    if step > 0:
        back.button(content.text(lang, "nav.back"), on_click=state.go_to, args=(step - 1,),
                    width="stretch")
    if next_label:
        forward.button(next_label, on_click=state.go_to, args=(step + 1,), type="primary",
                       width="stretch")


def controls_above(content: Content, lang: str) -> None:
    """What a mode puts above every screen: a way out, or a large Start over."""
    mode = state.mode()
    if mode.forgets_visitor:
        # The next person may be a stranger: Start over forgets the whole session.
        st.button(content.text(lang, "nav.start_over"), on_click=state.forget_visitor,
                  key=hooks.START_OVER, width="stretch")
    if mode.quick_exit:
        st.button(content.text(lang, "quick_exit.label"), on_click=state.quick_exit,
                  key="quick_exit", type="tertiary")


def controls_below(content: Content, lang: str) -> None:
    """What a mode puts below every screen: Start over, where it does not forget a visitor."""
    if not state.mode().forgets_visitor:
        st.divider()
        st.button(content.text(lang, "nav.start_over"), on_click=state.start_over,
                  key=hooks.START_OVER, width="stretch")
    # Pressed only by assets/page.js when the connection comes back; hidden by app.css.
    st.button("sync", key=hooks.SYNC)


def run_marker() -> None:
    """Mark the end of this run on the page with its number: a page, or a test, can tell a
    finished run from an earlier one (the running state alone can be too quick to see)."""
    st.html(f'<span id="{hooks.RUN}" data-run="{state.next_run()}" hidden></span>')
