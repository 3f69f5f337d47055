"""The app Streamlit runs on every run: the reflection (ui/) for the content in this folder."""

from pathlib import Path

from ui.main import main

main(Path(__file__).resolve().parent)
