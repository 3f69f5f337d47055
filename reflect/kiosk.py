"""What a kiosk needs beyond the other modes: text without links, a QR code and its timers."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno

from reflect import flow
from reflect.settings import Settings

# [text](target) and <scheme:...> in Markdown; bare web addresses that Markdown would link.
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ANGLE_LINK = re.compile(r"<((?:https?|mailto|tel|sms):[^>\s]+)>", re.IGNORECASE)
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()]*[^\s<>().,;:!?'\"]", re.IGNORECASE)
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def address_as_text(url: str) -> str:
    """Return an address a reader can type but Markdown will not turn into a link."""
    text = re.sub(r"^(?:https?://|mailto:|tel:|sms:)", "", url, flags=re.IGNORECASE)
    return re.sub(r"^www\.", "", text, flags=re.IGNORECASE).rstrip("/")


def without_links(markdown: str) -> str:
    """Return Markdown that shows every link as plain text, for a screen nobody may leave.

    A kiosk must not navigate away, so links become their words and a typeable address.
    """

    def link(match: re.Match) -> str:
        words, target = match.group(1), match.group(2)
        if not target or target.startswith("#"):
            return words
        shown = address_as_text(target)
        return words if shown in words else f"{words} ({shown})"

    text = _MARKDOWN_LINK.sub(link, markdown)
    text = _ANGLE_LINK.sub(lambda m: address_as_text(m.group(1)), text)
    text = _BARE_URL.sub(lambda m: address_as_text(m.group(0)), text)
    # "name@host" becomes a mail link in Markdown; an "at" with spaces stays plain text.
    return _EMAIL.sub(lambda m: f"{m.group(1)} (at) {m.group(2)}", text)


def qr_svg(url: str) -> str:
    """Return a standalone SVG QR code for url, with the quiet border scanners need."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=4, xmldecl=False,
                                    dark="#000000", light="#ffffff")
    return buffer.getvalue().decode("utf-8")


@dataclass(frozen=True)
class Timers:
    """How long a kiosk screen waits with no touch before counting down, and for how long.

    wait_seconds None means this screen never counts down: nothing of a visitor is on it.
    """

    wait_seconds: int | None
    countdown_seconds: int


def screen_timers(settings: Settings, screen_kind: str, holds_visitor: bool) -> Timers:
    """Return the timers for a screen: the close returns sooner, an empty welcome never needs to.

    holds_visitor: the session keeps an answer or a choice of the visitor's. Then every screen
    counts down, the welcome too (a visitor who pressed Back to it and walked away must not
    hand their answers to the next one). On the close, the whole wait is close_return_seconds;
    the countdown fills its end.
    """
    if screen_kind == flow.WELCOME and not holds_visitor:
        return Timers(None, 0)
    if screen_kind == flow.CLOSE:
        countdown = min(settings.countdown_seconds, settings.close_return_seconds)
        return Timers(settings.close_return_seconds - countdown, countdown)
    return Timers(settings.idle_seconds, settings.countdown_seconds)
