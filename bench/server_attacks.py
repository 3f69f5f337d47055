"""The attacks of issue 14, measured: what uploads, huge notes and foreign Origins cost the
server, and which other hosts it looked up or connected to. Prints figures; no goal is timed.

    .venv/bin/python bench/server_attacks.py [CHECKOUT]

CHECKOUT is the folder of the app to attack (default: this one), so an older checkout can be
measured the same way for a before/after table. It must hold tests/servers/audited_serve.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import Session, free_port, machine, rss_kib

from tests.protocol import foreign_handshakes, status, upload_request

NOTE_BYTES = 20 * 10**6
NOTE_SESSIONS = 8
UPLOADS = 100
FOREIGN = 5


@contextlib.contextmanager
def audited_server(root: Path, audit: Path):
    port = free_port()
    command = [str(root / ".venv/bin/python"), str(root / "tests/servers/audited_serve.py"),
               "--server.port", str(port), "--server.address", "0.0.0.0"]  # noqa: S104
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "REFLECT_AUDIT_LOG": str(audit)})
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while status_or_none(url) != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield url, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def status_or_none(url: str) -> int | None:
    try:
        return status(f"{url}/_stcore/health")
    except OSError:
        return None


async def uploads(url: str) -> list[int]:
    async with Session(url) as tab:
        results = []
        for _ in range(UPLOADS):
            path, headers, body = upload_request(tab.session_id)
            results.append(await asyncio.to_thread(status, url + path, "PUT", headers, body))
        return results


async def huge_note(url: str, stack: contextlib.AsyncExitStack, size: int = NOTE_BYTES) -> bool:
    tab = await stack.enter_async_context(Session(url, query="mode=counseling"))
    await tab.walk_to_close("This sounds like me")
    note = next(w for w in tab.screen.widgets if w.kind == "text_area")
    tab.values[note.id] = ("string", "N" * size)
    try:
        await tab.rerun()
    except Exception:  # closed by the server: the message was refused
        return False
    return True


def slowest_health_during(url: str, work) -> tuple[object, float]:
    """Run work while checking health again and again; return its result and the slowest."""
    answers, stop = [], threading.Event()

    def watch() -> None:
        while not stop.is_set():
            started = time.monotonic()
            status_or_none(url)
            answers.append(time.monotonic() - started)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = work()
    finally:
        stop.set()
        watcher.join()
    return result, max(answers, default=0.0)


def main(root: Path) -> None:
    print(f"# {machine()}\n# checkout: {root}")
    with tempfile.TemporaryDirectory() as folder:
        audit = Path(folder) / "audit.log"
        audit.touch()
        with audited_server(root, audit) as (url, pid):
            started = audit.read_text().splitlines()
            print(f"start-up with server.address 0.0.0.0: {len(started)} lookups or "
                  f"connections to other hosts {sorted(set(started))}")

            idle = rss_kib(pid)
            codes = asyncio.run(uploads(url))
            time.sleep(1)
            print(f"uploads: {UPLOADS} PUTs of 1 MB -> statuses {sorted(set(codes))}, "
                  f"{sum(c in (200, 204) for c in codes)} accepted; RSS {idle} -> "
                  f"{rss_kib(pid)} KiB (+{(rss_kib(pid) - idle) / 1024:.0f} MiB)")

            async def notes() -> tuple[list[bool], int]:
                async with contextlib.AsyncExitStack() as stack:
                    kept = [await huge_note(url, stack) for _ in range(NOTE_SESSIONS)]
                    await asyncio.sleep(1)
                    return kept, rss_kib(pid)

            async def warm_up() -> None:  # the first close loads the PDF font: not the notes'
                async with contextlib.AsyncExitStack() as stack:
                    for _ in range(NOTE_SESSIONS):
                        await huge_note(url, stack, size=100)

            asyncio.run(warm_up())
            time.sleep(1)
            before = rss_kib(pid)
            kept, during = asyncio.run(notes())
            print(f"huge notes: {NOTE_SESSIONS} sessions, a {NOTE_BYTES // 10**6} MB note each "
                  f"-> {sum(kept)} accepted; RSS {before} -> {during} KiB "
                  f"(+{(during - before) / 1024:.0f} MiB)")

            seen = len(audit.read_text().splitlines())
            started_at = time.monotonic()
            codes, slowest = slowest_health_during(
                url, lambda: asyncio.run(foreign_handshakes(url, FOREIGN)))
            took = time.monotonic() - started_at
            new = audit.read_text().splitlines()[seen:]
            print(f"foreign Origins: {FOREIGN} handshakes -> statuses {sorted(set(codes))} in "
                  f"{took:.2f} s; slowest health check meanwhile {slowest:.2f} s; "
                  f"{len(new)} lookups or connections to other hosts {sorted(set(new))}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else
         Path(__file__).resolve().parent.parent)
