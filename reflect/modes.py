"""The modes, as one table: a row per mode. Drawing and serving ask a mode's row what to do,
never its name, so a new mode is one new row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from reflect import flow

EVERY_SCREEN = frozenset(flow.KINDS)


@dataclass(frozen=True)
class Mode:
    """What one mode shows and does."""

    name: str
    links: bool  # addresses are links; off, they are shown as text and nothing leaves the page
    downloads: bool  # the close offers to keep, download or print a summary
    note: bool  # the summary can hold a note in the reader's own words
    provider_questions: bool  # the summary offers questions to ask a provider
    questions_ticked: bool  # ... ticked at first (a counselor's default), or left for the reader
    talk_prompts: bool  # "To talk about together" under each recognised pattern
    # The reflection opens with every statement and the answer given, "No" and "I'd rather not
    # say" too: a counselor and client see at a glance what to talk through.
    answers_overview: bool
    quick_exit: bool  # Quick exit in the bar at the top of every screen (assets/page.js)
    history: bool  # the browser's Back and Forward move between screens (assets/page.js)
    forgets_visitor: bool  # Start over (large, at the top) forgets the whole session, reloads
    idle_watch: bool  # after no touch, a countdown, then the visitor is forgotten
    qr_code: bool  # the close shows the help page as a QR code for the visitor's own phone
    language_switch: frozenset[str]  # the screens (flow kinds) that show the language switch
    stylesheet: str | None  # assets/<file>, on top of app.css
    # The welcome's switch between two modes (off, on), or None for no switch.
    switch: tuple[str, str] | None
    # The modes a session on a server of this mode may ask for (?mode= or the switch).
    session_modes: tuple[str, ...]
    # The text key for who sees the screen in this mode ("About this content"): each row says
    # only what holds for it (a counselor beside the reader, people nearby a kiosk).
    who_sees: str


PERSONAL, COUNSELING, KIOSK = "personal", "counseling", "kiosk"
_OPEN = (PERSONAL, COUNSELING)

MODES = MappingProxyType({mode.name: mode for mode in (
    Mode(PERSONAL, links=True, downloads=True, note=False, provider_questions=True,
         questions_ticked=False, talk_prompts=False, answers_overview=False, quick_exit=True,
         history=True, forgets_visitor=False, idle_watch=False, qr_code=False,
         language_switch=EVERY_SCREEN, stylesheet=None, switch=_OPEN, session_modes=_OPEN,
         who_sees="about.who_personal"),
    Mode(COUNSELING, links=True, downloads=True, note=True, provider_questions=True,
         questions_ticked=True, talk_prompts=True, answers_overview=True, quick_exit=True,
         history=True, forgets_visitor=False, idle_watch=False, qr_code=False,
         language_switch=EVERY_SCREEN, stylesheet="counseling.css", switch=_OPEN,
         session_modes=_OPEN, who_sees="about.who_counseling"),
    Mode(KIOSK, links=False, downloads=False, note=False, provider_questions=False,
         questions_ticked=False, talk_prompts=False, answers_overview=False, quick_exit=False,
         history=False, forgets_visitor=True, idle_watch=True, qr_code=True,
         language_switch=EVERY_SCREEN, stylesheet="kiosk.css", switch=None, session_modes=(),
         who_sees="about.who_kiosk"),
)})


def session_mode(server_mode: str, requested: object) -> Mode:
    """Return the mode for one session: what the server's mode lets a session ask for.

    A kiosk stays a kiosk whatever a visitor sends; a personal server offers counseling (for
    example through ``?mode=counseling``). Anything else gets the server's own mode.
    """
    server = MODES[server_mode]
    if isinstance(requested, str) and requested in server.session_modes:
        return MODES[requested]
    return server


def page_stylesheets(server_mode: str) -> tuple[str, ...]:
    """Return the stylesheets (assets/<file>) every session of a server of this mode draws:
    app.css, and the mode's own where no session can leave the mode (a kiosk). The first page
    carries them (webserver/), so no run sends them again; a session draws only a sheet of
    its own mode that is not among them (counseling, which a session can switch off)."""
    mode = MODES[server_mode]
    return ("app.css", *((mode.stylesheet,) if mode.stylesheet and not mode.session_modes
                         else ()))
