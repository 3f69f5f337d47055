"""What the server keeps once per process (st.cache_resource, or a plain memo for the app's
own files): nothing about any reader.

The settings, the content files, the stylesheets (and which of them the page carries), and
kiosk QR codes. Defined here,
not in app.py: Streamlit runs app.py again on every run, and a cached function defined there
was wrapped again each time, reading its own source to name its cache (about 1 ms per run).
The folder is an argument, so a copy of the app (as in the tests) reads its own files.
Never st.cache_data, and never anything a reader chose: these are shared by every session.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import streamlit as st

from reflect.content import Content, load_content
from reflect.first_paint import icon_uri
from reflect.kiosk import qr_svg
from reflect.settings import Settings, read_settings


@st.cache_resource(show_spinner=False)
def server_settings() -> Settings:
    """Read the settings given at start-up (after -- on the command line, or REFLECT_*)."""
    return read_settings(sys.argv[1:], os.environ)


@st.cache_resource(max_entries=2, show_spinner=False)
def cached_content(root: str, site: str, version: str) -> Content:
    """Load the content, with the clinic's site folder if one is set, once per version of
    the files (reflect.content.content_version, which changes on an edit of either)."""
    return load_content(Path(root), site or None)


# The two below are files of the app itself, the same for every visitor: a plain memo, not
# st.cache_resource, whose call costs about 0.1 ms (it hashes its arguments in Python), twice
# or three times a run.
@functools.cache
def asset(root: str, name: str) -> str:
    """Read a stylesheet from assets/ once per process. (Scripts are read by
    reflect/csp.script_text, the same text the Content-Security-Policy hashes.)"""
    return (Path(root) / "assets" / name).read_text(encoding="utf-8")


# The stylesheets the first page carries (webserver/app.options says which, at start, for a
# page served through webserver/middleware.FirstPaint); a run draws only the others. Empty
# where the app runs without them (`streamlit run app.py`): a run then draws every sheet.
_sheets_in_page: tuple[str, ...] = ()


def set_sheets_in_page(names: tuple[str, ...]) -> None:
    global _sheets_in_page
    _sheets_in_page = tuple(names)


def sheets_in_page() -> tuple[str, ...]:
    return _sheets_in_page


@functools.cache
def icon(root: str) -> str:
    """The app's icon as a data: address (reflect/first_paint.icon_uri), read once."""
    return icon_uri(Path(root))


@st.cache_resource(max_entries=8, show_spinner=False)
def kiosk_qr(url: str) -> str:
    """Draw the QR code for an address from the help-line file once per process."""
    return qr_svg(url)
