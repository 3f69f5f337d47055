"""Test-only entry point: app.py served as server.py serves it (webserver/app.py), plus one
route that shows the tests what every session on the server still holds. Never used outside
the tests.

Run as `streamlit run tests/servers/inspect_app.py -- <the app's own arguments>`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from webserver.app import options  # noqa: E402 - the project's own, after the path is set


async def sessions(request: Request) -> JSONResponse:
    """Return every session the server keeps, connected or waiting to reconnect."""
    from streamlit.runtime import Runtime

    found = []
    for info in Runtime.instance()._session_mgr.list_sessions():
        state = info.session.session_state
        found.append({
            "id": info.session.id,
            "keys": sorted(str(key) for key in state.filtered_state),
            # Every value the session state holds, widget values included, as text. (Widget
            # metadata is left out: it holds each question's options, not what was chosen.)
            "everything": repr((state._old_state, state._new_session_state,
                                state._new_widget_state.states)),
        })
    return JSONResponse(found)


OPTIONS = options(ROOT)
app = st.App(ROOT / "app.py",
             routes=[Route("/api/test/sessions", sessions), *OPTIONS.pop("routes")], **OPTIONS)
