"""The served entry point: app.py behind Streamlit's ASGI server, with our own headers.

`streamlit run server.py -- <the app's arguments>` (scripts/serve.sh does this) serves
app.py exactly as `streamlit run app.py` would, plus the middleware in reflect/web.py.
Streamlit finds `app` by reading this file, so it must stay a plain `app = st.App(...)`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from reflect.web import middleware

app = st.App(Path(__file__).resolve().parent / "app.py", middleware=middleware())
