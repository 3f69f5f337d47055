"""Test-only: the app served exactly as server.py serves it, but with one fault, to show what
a visitor sees when something fails. REFLECT_TEST_FAULT chooses it: "callback" (the default,
Start's callback raises), "draw" (the question screen raises after drawing its heading and
its answers) or "slow_note" (the run that takes in a typed note lasts longer than
assets/page.js holds a Download for it: a busy server). Never used elsewhere.

Run as `streamlit run tests/servers/faulty_app.py -- <the app's own arguments>`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import MappingProxyType

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from reflect import flow  # noqa: E402 - the project's own, after the path is set
from ui import main, screens, state  # noqa: E402
from webserver.app import options  # noqa: E402


def broken_go_to(step: int) -> None:
    raise RuntimeError("a callback failed (test-only fault)")


def broken_question(*args) -> None:
    screens.question(*args)
    raise RuntimeError("a screen failed while it was drawn (test-only fault)")


SLOW_NOTE_SECONDS = 8  # longer than page.js's five-second hold of a Download


def slow_keep_choice(key: str, keep=state.keep_choice) -> None:
    if str(key).startswith("note:"):
        time.sleep(SLOW_NOTE_SECONDS)
    keep(key)


FAULT = os.environ.get("REFLECT_TEST_FAULT", "callback")
if FAULT == "draw":
    main.SCREENS = MappingProxyType({**screens.SCREENS, flow.QUESTION: broken_question})
elif FAULT == "slow_note":
    state.keep_choice = slow_keep_choice
else:
    state.go_to = broken_go_to
app = st.App(ROOT / "app.py", **options(ROOT))
