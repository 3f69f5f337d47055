"""Every name that assets/*.js and assets/*.css rely on and the Python side draws: element
ids, a class, widget keys (Streamlit gives each element a class st-key-<key>) and the data
attributes the scripts read.

Rename one here and in the asset together; tests/test_ui.py checks that each name is still
used on both sides.
"""

from __future__ import annotations

from types import MappingProxyType

PAGE = "reflect-page"  # id: page.js reads the page's language, step, visit and words
KIOSK = "reflect-kiosk"  # id: kiosk.js reads this screen's timers and words
FIRST = "reflect-first"  # id: the help lines in the first bytes (reflect/first_paint.py)
NOT_SET_UP_LANGS = "not-set-up-langs"  # id: the calm page's script, hidden by app.css
PRINT_BUTTON = "print-button"  # class: the Print button, styled by app.css, pressed in page.js
START_OVER = "start_over"  # key: kiosk.js presses it at the end of the countdown
START_OVER_ASK = "reflect_start_over_ask"  # key: "Clear everything?"; app.css lays it out
SYNC = "reflect_sync"  # key: page.js presses it when the connection is back; app.css hides it
LANGUAGE = "language"  # key: page.js labels its options; kiosk.css lays them out
KIOSK_QR = "kiosk_qr"  # key: kiosk.css centres the QR code block and borders the code
BANNER = "reflect_banner"  # key: the crisis box on every screen; app.css fits it to a phone
NAV = "reflect_nav"  # key: a question's Back and Next, side by side; app.css makes them halves
SAVE_ROW = "reflect_save"  # key: the close's downloads and Print; app.css makes them one row
OVERVIEW = "reflect_overview"  # key: a counseling reflection's answers; counseling.css sets it
RUN = "reflect-run"  # id: the run's number, drawn last; app.css hides it, tests wait on it
HISTORY = "reflect_history"  # key: page.js chooses the screen Back or Forward asks for
SCREEN = "reflect_screen"  # key: the screen's container; app.css hides it under the calm page
FORGET = "reflect_forget"  # key: page.js presses it on Quick exit; app.css hides it
FILES = "reflect-files"  # id: which note the close's downloads hold; page.js reads it
ABOUT_OPEN = "reflect_about_open"  # key: "About this content"; page.js presses it on Forward
ABOUT_BACK = "reflect_about_back"  # key: "Back to where I was"; page.js presses it on Back
CLINIC = "reflect-clinic"  # class: the clinic's logo and name on the welcome; app.css lays it out
KIOSK_MESSAGE = "reflect_kiosk_message"  # key: the clinic's words on a kiosk close; kiosk.css
KIOSK_MESSAGE_BELOW = "reflect_kiosk_message_below"  # key: the same, below the QR code if narrow

# Which assets read each name; a key is written st-key-<key> there.
READ_BY = MappingProxyType({
    PAGE: ("page.js", "app.css"),
    KIOSK: ("kiosk.js", "kiosk.css"),
    FIRST: ("page.js",),
    NOT_SET_UP_LANGS: ("app.css",),
    PRINT_BUTTON: ("app.css", "page.js"),
    START_OVER: ("kiosk.js", "kiosk.css", "app.css"),
    START_OVER_ASK: ("app.css",),
    SYNC: ("page.js", "app.css"),
    LANGUAGE: ("page.js", "kiosk.css"),
    KIOSK_QR: ("kiosk.css",),
    NAV: ("app.css",),
    SAVE_ROW: ("app.css",),
    BANNER: ("app.css",),
    OVERVIEW: ("counseling.css",),
    RUN: ("page.js", "app.css"),
    HISTORY: ("page.js", "app.css"),
    FORGET: ("page.js", "app.css"),
    SCREEN: ("app.css",),
    FILES: ("page.js", "app.css"),
    ABOUT_OPEN: ("page.js", "app.css"),
    ABOUT_BACK: ("page.js",),
    CLINIC: ("app.css",),
    KIOSK_MESSAGE: ("kiosk.css",),
    KIOSK_MESSAGE_BELOW: ("kiosk.css",),
})
KEYS = (START_OVER, START_OVER_ASK, SYNC, LANGUAGE, KIOSK_QR, NAV, SAVE_ROW, BANNER, OVERVIEW,
        HISTORY, FORGET, SCREEN, ABOUT_OPEN, ABOUT_BACK, KIOSK_MESSAGE, KIOSK_MESSAGE_BELOW)
# The data attributes (data-<name>) of each element a script reads, all of them required.
DATA = MappingProxyType({
    PAGE: ("script", "lang", "step", "languages", "visit", "generation", "restart-notice",
           "restart-button", "history", "reload-notice", "offline-notice", "bar-label",
           "help-label", "help-heading", "help", "links", "quick-exit", "quick-exit-to", "about",
           "listen", "listen-lines", "listen-label", "listen-pause", "listen-resume",
           "listen-stop", "listen-crisis", "listen-reading", "listen-paused", "listen-stopped",
           "listen-no-voice", "listen-unavailable", "listen-recorded"),
    KIOSK: ("wait", "countdown", "heading", "body", "body-one", "still-here"),
})
SCRIPT_OF = MappingProxyType({PAGE: "page.js", KIOSK: "kiosk.js"})
# The script that starts one of those on each screen (reflect/csp.py's RUNNERS); it reads data
# attributes too (page-run.js: data-script, page.js's address).
RUNNER_OF = MappingProxyType({PAGE: "page-run.js"})
