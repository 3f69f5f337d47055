"""What a mode that forgets its visitors draws: the idle watch, the QR code for help on the
visitor's own phone, the return notice, and the fresh start after a reset."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from reflect import flow
from reflect.content import Content
from reflect.kiosk import address_as_text, screen_timers
from ui import hooks, parts, state, text
from ui.cached import kiosk_qr, server_settings


def watch(root: Path, content: Content, lang: str, screen: flow.Screen) -> None:
    """The idle watch and its countdown (assets/kiosk.js), with this screen's timers.

    Any screen counts down while the session keeps an answer or a choice, the welcome too;
    so does "About this content", so that the next visitor finds the welcome.
    """
    timers = screen_timers(server_settings(), screen.kind,
                           state.holds_visitor() or state.about_open())
    parts.script(root, hooks.KIOSK, {
        "wait": "" if timers.wait_seconds is None else str(timers.wait_seconds),
        "countdown": str(timers.countdown_seconds),
        "heading": content.text(lang, "kiosk.idle_heading"),
        "body": content.text(lang, "kiosk.idle_body", seconds="{seconds}"),
        "body-one": content.text(lang, "kiosk.idle_body_one"),
        "still-here": content.text(lang, "kiosk.still_here"),
    })


def qr_code(content: Content, lang: str, url: str) -> None:
    """The help page at url as a QR code, to open on the visitor's own phone."""
    site = address_as_text(url)
    # One centred block, first on the close (kiosk.css): the code with its sentence.
    with st.container(key=hooks.KIOSK_QR):
        st.header(content.text(lang, "kiosk.qr_heading"), anchor=False)
        text.write(content.text(lang, "kiosk.qr_body", site=site))
        st.image(kiosk_qr(url), alt=content.text(lang, "kiosk.qr_alt", site=site), width=220)


def front_desk(content: Content, lang: str, key: str) -> None:
    """The clinic's own words on a kiosk's close (site.yaml kiosk_message): who to turn to.

    Drawn twice, and kiosk.css shows one: beside the QR code where the screen is wide enough
    for both (KIOSK_MESSAGE), and below it on a narrow one (KIOSK_MESSAGE_BELOW), so the code
    still ends within the first screen. The one not shown is display: none, so a screen reader
    reads it once."""
    if state.mode().qr_code and content.site and content.site.kiosk_message:
        with st.container(key=key):
            text.write(content.site.kiosk_message[lang])


def close_return_notice(content: Content, lang: str) -> None:
    text.write(content.text(lang, "kiosk.close_return",
                            seconds=server_settings().close_return_seconds))


def fresh_start(root: Path, content: Content, lang: str) -> None:
    """After forget_visitor: clear the browser's storage and load the page anew in place, so
    the next visitor gets new inputs and Back has nothing to return to."""
    text.write(content.text(lang, "kiosk.resetting"))
    parts.run_script(root, "fresh-start.js")
