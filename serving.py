"""How server.py serves app.py: our headers, and a sweep that deletes ended sessions' files.

Imported by server.py (and by the tests' own entry point), never by app.py or reflect/.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from reflect.content import ContentError, content_fingerprint, load_content
from reflect.first_paint import FirstPaint, first_paint
from reflect.language import pick_language, preferences
from reflect.settings import KIOSK, Settings, SettingsError, read_settings
from reflect.web import middleware

log = logging.getLogger("reflect.serving")
# Measured on Streamlit 1.67: when a disconnected session's time to reconnect runs out, it is
# dropped without releasing its download files, so they stay at their /media/ address for
# as long as the process lives. And Streamlit deletes a download only on its second
# clean-up, which runs only when some script run ends. Every SWEEP_SECONDS we release the
# files of sessions that no longer exist and clean up, so an ended session's file is gone
# within two sweeps. (Private attributes: checked by tests/test_isolation.py on every run.)
SWEEP_SECONDS = 5.0


def sweep_once() -> None:
    """Release ended sessions' files, then let Streamlit delete what nothing refers to."""
    from streamlit.runtime import Runtime

    runtime = Runtime.instance()
    live = {info.session.id for info in runtime._session_mgr.list_sessions()}
    files = runtime.media_file_mgr
    for session_id in list(files._files_by_session_and_coord):
        if session_id not in live:
            files.clear_session_refs(session_id)
    files.remove_orphaned_files()


async def _sweep_media_files() -> None:
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            sweep_once()
        except Exception:  # a failed sweep must not stop the server; the next one retries
            log.exception("Sweeping ended sessions' files failed")


@contextlib.asynccontextmanager
async def lifespan(app) -> AsyncIterator[None]:
    task = asyncio.create_task(_sweep_media_files())
    try:
        yield None
    finally:
        task.cancel()


def check_settings(app_args: list[str]) -> Settings:
    """Return the app's settings, or stop the start with a clear message (exit status 2)."""
    try:
        return read_settings(app_args, os.environ)
    except SettingsError as err:
        print(f"The app cannot start: {err}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


class FirstPage:
    """The help lines for the first page, in the language a request asks for.

    Read from the same content files as the app, again after an edit (the fingerprint
    changes). While the files are broken it returns None: the page is served unchanged and the
    app shows its own calm page. On a kiosk the contacts are plain text, as in the app.
    """

    def __init__(self, root: Path, links: bool) -> None:
        self.root, self.links = root, links
        self.loaded: tuple[tuple, object] | None = None

    def __call__(self, accept_language: str) -> FirstPaint | None:
        fingerprint = content_fingerprint(self.root)
        if self.loaded is None or self.loaded[0] != fingerprint:
            try:
                content = load_content(self.root)
            except ContentError:
                content = None  # the app logs the problems and shows its calm page
            self.loaded = (fingerprint, content)
        content = self.loaded[1]
        if content is None:
            return None
        lang = pick_language(preferences(accept_language), content.languages,
                             content.default_language)
        return first_paint(content, lang, links=self.links)


def options() -> dict:
    """Check the settings, then return the keyword arguments for st.App."""
    # Also a backstop for `streamlit run server.py` started directly.
    settings = check_settings(sys.argv[1:])
    page = FirstPage(Path(__file__).resolve().parent, links=settings.mode != KIOSK)
    return {"middleware": middleware(page, metrics=settings.metrics,
                                     allowed_origins=settings.allowed_origins),
            "lifespan": lifespan}


def main(argv: list[str]) -> None:
    """`python serving.py <streamlit run options> [-- <the app's options>]`: check, then serve.

    One process: the settings are checked before Streamlit starts (so an invalid mode never
    prints a URL), then Streamlit's own command line runs server.py in this same process. A
    second Python process just for the check cost about 0.3 s of every cold start.
    """
    check_settings(argv[argv.index("--") + 1:] if "--" in argv else [])
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent / "server.py"), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
