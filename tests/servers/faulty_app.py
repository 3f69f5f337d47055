"""Test-only: the app served exactly as server.py serves it, but with one fault, to show what
a visitor sees when something fails. REFLECT_TEST_FAULT chooses it: "callback" (the default,
Start's callback raises) or "draw" (the question screen raises after drawing its heading and
its answers). Never used elsewhere.

Run as `streamlit run tests/servers/faulty_app.py -- <the app's own arguments>`.
"""

from __future__ import annotations

import os
import sys
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


if os.environ.get("REFLECT_TEST_FAULT", "callback") == "draw":
    main.SCREENS = MappingProxyType({**screens.SCREENS, flow.QUESTION: broken_question})
else:
    state.go_to = broken_go_to
app = st.App(ROOT / "app.py", **options(ROOT))
