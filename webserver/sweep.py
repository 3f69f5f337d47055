"""The server's lifespan: a regular sweep that deletes ended sessions' download files, and
the process that makes the take-home PDFs.

Measured on Streamlit 1.67: when a disconnected session's time to reconnect runs out, it is
dropped without releasing its download files, so they stay at their /media/ address for as
long as the process lives. And Streamlit deletes a download only on its second clean-up,
which runs only when some script run ends. Every SWEEP_SECONDS we release the files of
sessions that no longer exist and clean up, so an ended session's file is gone within two
sweeps (tests/test_isolation.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from reflect import pdf_process
from webserver import internals

log = logging.getLogger("reflect.serving")
SWEEP_SECONDS = 5.0


def sweep_once() -> None:
    internals.release_ended_sessions_files()


async def _sweep_media_files() -> None:
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            sweep_once()
        except Exception:  # a failed sweep must not stop the server; the next one retries
            log.exception("Sweeping ended sessions' files failed")


def lifespan_for(downloads: bool):
    """Return st.App's lifespan. Where the server's mode offers downloads (a kiosk's never
    does), the process that makes the take-home PDFs starts with the server, so the first
    reader at the close does not wait for it, and stops with it (reflect/pdf_process.py)."""

    @contextlib.asynccontextmanager
    async def lifespan(app) -> AsyncIterator[None]:
        task = asyncio.create_task(_sweep_media_files())
        pdfs = pdf_process.shared() if downloads else None
        if pdfs is not None:
            pdfs.start()
        try:
            yield None
        finally:
            task.cancel()
            if pdfs is not None:
                await asyncio.to_thread(pdfs.close)

    return lifespan
