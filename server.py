"""The served entry point: app.py behind Streamlit's ASGI server, with what webserver/ adds.

`python -m webserver` (scripts/serve.sh) runs this file through Streamlit's own command line.
Streamlit finds `app` by reading this file, so it must stay a plain `app = st.App(...)`.
"""

from pathlib import Path

import streamlit as st

from webserver.app import options

ROOT = Path(__file__).resolve().parent
app = st.App(ROOT / "app.py", **options(ROOT))
