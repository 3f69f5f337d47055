"""Test-only: the app served exactly as server.py serves it, but with a widget callback that
raises (Start's), to show what a visitor sees when a callback fails. Never used elsewhere.

Run as `streamlit run tests/servers/faulty_app.py -- <the app's own arguments>`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from ui import state  # noqa: E402 - the project's own, after the path is set
from webserver.app import options  # noqa: E402


def broken_go_to(step: int) -> None:
    raise RuntimeError("a callback failed (test-only fault)")


state.go_to = broken_go_to
app = st.App(ROOT / "app.py", **options(ROOT))
