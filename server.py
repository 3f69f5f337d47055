"""The served entry point: app.py behind Streamlit's ASGI server, with our own headers.

`streamlit run server.py -- <the app's arguments>` (scripts/serve.sh does this) serves
app.py exactly as `streamlit run app.py` would, plus what serving.py adds: the headers of
reflect/web.py and a regular sweep of ended sessions' download files.
Streamlit finds `app` by reading this file, so it must stay a plain `app = st.App(...)`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from serving import options

app = st.App(Path(__file__).resolve().parent / "app.py", **options())
