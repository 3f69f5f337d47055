"""A regular sweep that deletes ended sessions' download files.

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


@contextlib.asynccontextmanager
async def lifespan(app) -> AsyncIterator[None]:
    task = asyncio.create_task(_sweep_media_files())
    try:
        yield None
    finally:
        task.cancel()
