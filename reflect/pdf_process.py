"""The take-home PDF, made in a process of its own (reflect/pdf_worker.py).

fpdf2 is pure Python: one PDF is 100-220 ms of CPU (bench/results/pdf_build_quiet.txt). Made in
the server's process, it holds the interpreter all that time, and every other visitor's screen
that arrives meanwhile waits behind it: with 200 visitors, every screen's p95 went from about
50 ms to over 800 ms as the first of them reached the close (bench/README.md, goal 3). Made in
a process of its own, it never holds the server's interpreter: the system shares the cores
between the two processes (on one core as well), and only the reader whose PDF it is waits
for it.

What crosses: the document (the words the reader chose to keep, reflect/summary.PdfDocument)
goes down a pipe to the worker, and the PDF comes back up another; nothing is written to disk,
and the worker keeps nothing between PDFs but the parsed fonts. If the worker cannot start,
stops (killed for memory, say), answers wrongly or takes longer than TIMEOUT_SECONDS, it is
stopped and that PDF is made in the server, as before: a reader always gets their PDF. After
FAILURES_ALLOWED such failures in a row the server makes its PDFs itself for RETRY_SECONDS,
then tries a new worker.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import select
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from reflect.fonts import DEFAULT_FONT
from reflect.pdf_worker import FAILED, LENGTH, OK
from reflect.summary import PdfDocument, render_pdf

log = logging.getLogger("reflect.pdf")
TIMEOUT_SECONDS = 15.0  # the fullest PDF takes about 0.2 s; under heavy load, about 1 s
FAILURES_ALLOWED = 3
RETRY_SECONDS = 300.0
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # where `-m reflect.pdf_worker` is found


class PdfProcess:
    """Make PDFs in one worker process, one at a time, or here when the worker cannot."""

    def __init__(self, font_path: str | Path = DEFAULT_FONT, *,
                 command: list[str] | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.font_path = str(font_path)
        self.command = command or [sys.executable, "-m", "reflect.pdf_worker", self.font_path]
        self.timeout = timeout
        self.failures = 0
        self._lock = threading.Lock()  # one PDF at a time through the worker's one pipe
        self._worker: subprocess.Popen | None = None
        self._off_until = 0.0  # after FAILURES_ALLOWED in a row, no worker until then
        self._closed = False  # the server is stopping: no new worker

    def start(self) -> None:
        """Start the worker now, so the first reader at the close does not wait for it."""
        with self._lock:
            self._running()

    def close(self) -> None:
        """Stop the worker: its input closes and it ends; if it does not, it is killed."""
        with self._lock:
            worker, self._worker, self._closed = self._worker, None, True
        if worker is not None:
            _end(worker)

    def worker_pid(self) -> int | None:
        worker = self._worker
        return worker.pid if worker is not None and worker.poll() is None else None

    def __call__(self, document: PdfDocument) -> bytes:
        """Return the document as a PDF, made by the worker, or here if it cannot."""
        pdf = self._from_worker(document)
        return render_pdf(document, self.font_path) if pdf is None else pdf

    def submit(self, document: PdfDocument) -> Future:
        """Start making the document's PDF, and return at once: the PDF, when it is made, is
        the future's result (its error, if it could not be made even here)."""
        future: Future = Future()

        def make() -> None:
            try:
                future.set_result(self(document))
            except Exception as err:  # the reader's run raises it where it asks for the PDF
                future.set_exception(err)

        threading.Thread(target=make, name="reflect-pdf", daemon=True).start()
        return future

    def _from_worker(self, document: PdfDocument) -> bytes | None:
        if not self._lock.acquire(timeout=self.timeout):
            return None  # the worker has been busy too long: this reader's PDF is made here
        # The worker's own time starts now: a wait in the queue is not the worker's failure.
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._running()
            if worker is None:
                return None
            request = document.to_json().encode("utf-8")
            try:
                if _write(worker, len(request).to_bytes(LENGTH, "big") + request, deadline):
                    answer = _read(worker, deadline)
                else:
                    answer = None
            except OSError as err:
                answer, why = None, type(err).__name__
            except BaseException:  # the pipe may be mid-answer: never reuse it
                self._discard(worker, "was interrupted")
                raise
            else:
                why = "did not answer in time, or stopped"
            if answer is None:
                self._discard(worker, why)
                return None
            status, pdf = answer
            self.failures = 0  # it answered: only failures in a row stop the server using it
            # A document the worker could not make is made here, where its error is logged
            # and handled as any other; it is not the worker's failure.
            return pdf if status == OK else None
        finally:
            self._lock.release()

    def _running(self) -> subprocess.Popen | None:
        worker = self._worker
        if worker is not None:
            if worker.poll() is None:
                return worker
            self._discard(worker, f"had stopped (exit status {worker.returncode})")
        if self._closed:
            return None
        if self.failures >= FAILURES_ALLOWED:
            if time.monotonic() < self._off_until:
                return None
            self.failures = 0  # time to try a worker again
        try:
            self._worker = subprocess.Popen(  # noqa: S603 - our own command, no shell
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
                cwd=PACKAGE_ROOT, close_fds=True)
        except OSError as err:
            self._discard(None, f"could not start ({type(err).__name__})")
            return None
        return self._worker

    def _discard(self, worker: subprocess.Popen | None, why: str) -> None:
        self.failures += 1
        if self.failures >= FAILURES_ALLOWED:
            self._off_until = time.monotonic() + RETRY_SECONDS
        self._worker = None
        if worker is not None:
            worker.kill()
            _end(worker)
        after = (f"the server makes its PDFs itself for {RETRY_SECONDS:.0f} s"
                 if self.failures >= FAILURES_ALLOWED else "this PDF is made in the server")
        log.warning("The PDF process %s; %s", why, after)


def _end(worker: subprocess.Popen) -> None:
    for stream in (worker.stdin, worker.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):  # a broken pipe is closed all the same
                stream.close()
    try:
        worker.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _ready(fd: int, event: int, deadline: float) -> bool:
    """Wait until fd can be read or written (event), or the deadline passes. poll, not
    select: a server with many visitors has file descriptors above select's 1024."""
    left = deadline - time.monotonic()
    if left <= 0:
        return False
    poller = select.poll()
    poller.register(fd, event)
    return bool(poller.poll(left * 1000))


def _write(worker: subprocess.Popen, data: bytes, deadline: float) -> bool:
    fd = worker.stdin.fileno()
    view = memoryview(data)
    while view:
        if not _ready(fd, select.POLLOUT, deadline):
            return False
        # At most PIPE_BUF at a time: poll promises room for that much, so a worker that has
        # stopped reading can never block this write past the deadline.
        view = view[os.write(fd, view[:select.PIPE_BUF]):]
    return True


def _read(worker: subprocess.Popen, deadline: float) -> tuple[bytes, bytes] | None:
    fd = worker.stdout.fileno()

    def exactly(size: int) -> bytes | None:
        data = bytearray()
        while len(data) < size:
            if not _ready(fd, select.POLLIN, deadline):
                return None
            chunk = os.read(fd, size - len(data))
            if not chunk:
                return None
            data += chunk
        return bytes(data)

    head = exactly(1 + LENGTH)
    if head is None or head[:1] not in (OK, FAILED):
        return None
    body = exactly(int.from_bytes(head[1:], "big"))
    return None if body is None else (head[:1], body)


@functools.cache
def shared() -> PdfProcess:
    """The server's one PdfProcess (started with the server by webserver/sweep.lifespan_for
    where its mode offers downloads; else when first used)."""
    return PdfProcess()
