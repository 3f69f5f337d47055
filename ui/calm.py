"""The page shown instead of the reflection when anything fails: calm, without a detail of
what went wrong."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from reflect.content import ContentError, load_helplines
from reflect.kiosk import address_as_text
from ui import hooks, parts

# Shown when the content files cannot be read, so this wording cannot come from them.
# In every language the content is written in, since the reader's choice is unknown here.
NOT_SET_UP = (
    ("en", "This app is not set up correctly",
     "Sorry, this reflection cannot open right now. Please tell the person who runs it. "
     "If you need help now, call your local emergency number."),
    ("es", "Esta aplicación no está bien configurada",
     "Lo sentimos, esta reflexión no se puede abrir ahora. Avísele a la persona a cargo. "
     "Si necesita ayuda ahora, llame al número de emergencias de su zona."),
)


def not_set_up(root: Path) -> None:
    """Show a calm page without details; the details are already in the server log."""
    for number, (lang, title, body) in enumerate(NOT_SET_UP):
        with st.container(key=f"not_set_up_{lang}"):
            if number == 0:
                st.title(title, anchor=False)
            else:
                st.header(title, anchor=False)
            st.markdown(body)
    parts.run_script(root, "not-set-up.js",
                     before=f'<span id="{hooks.NOT_SET_UP_LANGS}" hidden></span>')
    try:
        helplines = load_helplines(root)
    except ContentError:
        return
    for line in helplines.crisis:
        words = next(iter(line.text.values()), None)
        if words:
            # Plain text: this page may be on a kiosk, where nothing may navigate away.
            address = line.url and address_as_text(line.url)
            contact = " · ".join(x for x in (line.phone, address) if x)
            st.markdown(f"**{words.name}**: {contact}")

