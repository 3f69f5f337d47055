"""The one place that writes content text to the screen, so every mode's rules hold for all of
it: where the mode has no links (a kiosk), every link becomes plain text here.

Drawing code calls these, never st.markdown, st.info or st.warning directly (a test checks).
"""

from __future__ import annotations

import streamlit as st

from reflect.kiosk import without_links
from ui import state


def shown(markdown: str) -> str:
    """Return Markdown as this session may show it: without links where the mode has none."""
    return markdown if state.mode().links else without_links(markdown)


def write(markdown: str) -> None:
    st.markdown(shown(markdown))


def info(markdown: str) -> None:
    st.info(shown(markdown))


def warning(markdown: str) -> None:
    st.warning(shown(markdown))
