"""One run of the app: load what the server keeps, start or continue the session, draw the
screen it is on. Every error ends on the calm page, with the details only in the server log.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from reflect import flow
from reflect.content import ContentError, content_version
from reflect.settings import SettingsError
from ui import calm, hooks, kiosk, parts, state
from ui.cached import cached_content, icon, server_settings
from ui.screens import SCREENS, about

log = logging.getLogger("reflect.app")


def main(root: Path) -> None:
    """Draw this run for the content under root (the folder of the app.py being run)."""
    try:
        settings = server_settings()
    except SettingsError as err:
        log.error("The server settings are not valid: %s", err)
        calm.not_set_up(root)
        return
    try:
        content = cached_content(str(root), settings.site,
                                 content_version(root, settings.site or None))
    except ContentError as err:
        log.error("The content files or the site folder are not set up correctly:\n%s", err)
        calm.not_set_up(root)
        return
    # One container with a key, the same element in every run: an st.empty() here would be
    # sent first in each run and replace the whole screen for a moment, so the answer that
    # has keyboard focus would be taken out of the page (focus falls to the page's top).
    screen = st.container(key=hooks.SCREEN)
    try:
        with screen:
            draw(root, content, settings)
    except Exception:  # a visitor never sees a traceback; the log keeps it
        log.exception("Unexpected error while drawing a screen")
        calm.not_set_up(root)  # app.css hides what was drawn of the screen before the error


def draw(root: Path, content, settings) -> None:
    state.start(content, settings)
    lang, step, mode = state.lang(), state.step(), state.mode()
    st.set_page_config(page_title=content.text(lang, "app.title"), page_icon=icon(str(root)),
                       layout="centered")
    if state.take_once(state.FRESH):
        kiosk.fresh_start(root, content, lang)
        return
    parts.stylesheets(root)
    screen = flow.screens(content)[step]
    if screen.kind != flow.CLOSE:
        state.drop_summary()  # the downloads exist only on the close
        if screen.kind != flow.HELP:
            state.drop_started()  # and the PDF started ahead, only on the screen before it
    parts.page_upkeep(root, content, lang, step)
    if mode.idle_watch:
        kiosk.watch(root, content, lang, screen)
    parts.controls_above(content, lang)
    if screen.kind in mode.language_switch:
        parts.language_switch(content, lang)
    parts.banner(content, lang)
    # "About this content" is drawn in place of the screen, which is still the step.
    (about if state.about_open() else SCREENS[screen.kind])(root, content, lang, screen)
    parts.controls_below(content, lang)
    parts.run_marker()


def calm_page_for(root: Path):
    """Return st.App's on_script_error handler: an exception the run did not catch (in a
    widget's callback, say) draws the calm page instead of Streamlit's error box."""

    def handle(error: Exception) -> bool:
        log.error("Unexpected error in a run: %s", type(error).__name__)
        try:
            calm.not_set_up(root)
        except Exception:  # nothing more can be drawn; Streamlit shows no details either
            log.exception("The calm page could not be drawn")
        return True  # Streamlit logs the traceback itself; the visitor sees no error box

    return handle
