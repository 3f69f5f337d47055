"""The take-home PDF is made in a process of its own (reflect/pdf_process.py), and a reader
gets it whatever that process does: stopped, hung, unable to start, or printing."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflect import pdf_process, pdf_worker
from reflect.fonts import faces_for_a_pdf
from reflect.pdf_process import FAILURES_ALLOWED, PdfProcess
from reflect.summary import PdfDocument, pdf_document, render_pdf, summary_pdf
from tests.browser_support import free_port, start_process
from tests.test_summary import make, pdf_text

ROOT = Path(__file__).resolve().parent.parent
WORKER = [sys.executable, "-m", "reflect.pdf_worker"]
NOTE = "Mañana hablo con alguien 7f3a"


def wait_for(check, what: str, seconds: float = 20.0):
    """Return check()'s first true value, asking again until seconds have passed."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.05)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A child of this process that has ended stays as a zombie until it is waited for.
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


@pytest.fixture
def document(content) -> PdfDocument:
    return pdf_document(content, make(content, note=NOTE, include_help=True,
                                      include_cycle=True))


class WorkerOnly:
    """Makes a PDF made in the server (not by the worker) fail the test, unless allowed."""

    def __init__(self) -> None:
        self.allow = False

    @contextlib.contextmanager
    def allowed(self):
        self.allow = True
        try:
            yield
        finally:
            self.allow = False


@pytest.fixture
def worker_only(monkeypatch) -> WorkerOnly:
    guard = WorkerOnly()
    here = pdf_process.render_pdf

    def made_here(document, font_path=pdf_process.DEFAULT_FONT, faces=None):
        assert guard.allow, "the PDF was made in the server, not by the worker"
        return here(document, font_path, faces)

    monkeypatch.setattr(pdf_process, "render_pdf", made_here)
    return guard


@pytest.fixture
def pdfs():
    made = PdfProcess()
    yield made
    made.close()


def test_the_worker_makes_the_same_pdf_as_the_server(content, document, pdfs, worker_only):
    summary = make(content, note=NOTE, include_help=True, include_cycle=True)
    from_worker = pdfs(pdf_document(content, summary))
    assert pdfs.worker_pid() is not None and pdfs.failures == 0
    assert from_worker.startswith(b"%PDF-")
    assert pdf_text(from_worker) == pdf_text(summary_pdf(content, summary))
    assert NOTE.split()[0] in pdf_text(from_worker)


def test_the_document_crosses_as_text_and_comes_back_whole(document):
    assert PdfDocument.from_json(document.to_json()) == document
    assert NOTE in document.to_json()  # the reader's own words, in UTF-8, not escaped away


def test_a_worker_that_was_killed_is_replaced_by_a_new_one(document, pdfs, caplog,
                                                           worker_only):
    pdfs.start()
    first = wait_for(pdfs.worker_pid, "the worker's start")
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: gone(first), "the worker's end")
    with caplog.at_level(logging.WARNING, logger="reflect.pdf"):
        assert pdf_text(pdfs(document)) == pdf_text(summary_pdf_here(document))
    assert "had stopped" in caplog.text and NOTE not in caplog.text
    assert pdfs.worker_pid() not in (None, first)  # a new worker made it
    assert pdfs.failures == 0  # it answered: only failures in a row count


def summary_pdf_here(document: PdfDocument) -> bytes:
    return render_pdf(document)


def test_a_worker_that_hangs_is_stopped_and_the_pdf_made_here(document, caplog):
    hung = PdfProcess(command=[sys.executable, "-c", "import time; time.sleep(120)"],
                      timeout=1.0)
    try:
        hung.start()
        pid = hung.worker_pid()
        with caplog.at_level(logging.WARNING, logger="reflect.pdf"):
            assert NOTE.split()[0] in pdf_text(hung(document))
        assert hung.failures == 1 and gone(pid)
        assert "did not answer in time" in caplog.text
    finally:
        hung.close()


def test_a_worker_that_cannot_start_leaves_every_pdf_to_the_server(document, caplog):
    never = PdfProcess(command=["/nonexistent/python"])
    with caplog.at_level(logging.WARNING, logger="reflect.pdf"):
        for _ in range(FAILURES_ALLOWED + 2):
            assert never(document).startswith(b"%PDF-")
    assert never.failures == FAILURES_ALLOWED  # it stops trying, instead of once per PDF
    assert "could not start" in caplog.text
    assert "makes its PDFs itself for 300 s" in caplog.text


def test_after_its_failures_the_server_tries_a_worker_again_later(document, monkeypatch,
                                                                  worker_only):
    monkeypatch.setattr(pdf_process, "RETRY_SECONDS", 0.0)
    later = PdfProcess(command=["/nonexistent/python"])
    try:
        with worker_only.allowed():
            for _ in range(FAILURES_ALLOWED):
                later(document)
        assert later.failures == FAILURES_ALLOWED
        later.command = [*WORKER, pdf_process.DEFAULT_FONT]  # the worker can start again
        assert later(document).startswith(b"%PDF-")  # made by it (worker_only)
        assert later.worker_pid() is not None and later.failures == 0
    finally:
        later.close()


def test_a_closed_pdf_process_starts_no_worker_again(document):
    closing = PdfProcess()
    closing.start()
    closing.close()  # the server is stopping; a session's PDF still comes, made here
    assert closing(document).startswith(b"%PDF-")
    assert closing.worker_pid() is None


def test_a_pdf_the_worker_cannot_make_is_made_here_with_its_error(document, tmp_path):
    missing = tmp_path / "DejaVuSans.ttf"
    broken = PdfProcess(missing)
    try:
        with pytest.raises(FileNotFoundError, match="fonts-dejavu-core"):
            broken(document)
    finally:
        broken.close()


def test_what_a_library_prints_in_the_worker_never_mixes_into_a_pdf(document, worker_only):
    # fpdf2 or fontTools printing to standard output must not be read as part of the answer.
    noisy = PdfProcess(command=[
        sys.executable, "-c",
        "import sys, reflect.pdf_worker as w\n"
        "real = w.render_pdf\n"
        "w.render_pdf = lambda d, f, faces=None: "
        "(print('noise ' * 50, flush=True), real(d, f, faces))[1]\n"
        "w.main(sys.argv[1:])", pdf_process.DEFAULT_FONT])
    try:
        assert noisy(document).startswith(b"%PDF-")
        assert noisy.failures == 0
    finally:
        noisy.close()


def test_the_worker_ends_when_its_server_is_killed(tmp_path):
    # However the server ends (here SIGKILL, which runs no clean-up), the worker's input
    # closes and it ends: no PDF process outlives its server.
    script = ("import sys, time\nfrom reflect.pdf_process import PdfProcess\n"
              "p = PdfProcess()\np.start()\nprint(p.worker_pid(), flush=True)\ntime.sleep(120)\n")
    with subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True) as server:
        try:
            worker = int(server.stdout.readline())
            assert not gone(worker)
            server.kill()
            server.wait()
            wait_for(lambda: gone(worker), "the worker's end after its server was killed")
        finally:
            server.kill()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:  # a process that ended while this looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def is_worker(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"reflect.pdf_worker" in command


@pytest.mark.server
def test_a_kiosk_server_starts_no_pdf_process(tmp_path):
    # A kiosk offers no downloads: no process, and none of its memory, for PDFs.
    port = free_port()
    server = start_process([".venv/bin/python", "-m", "webserver", "--server.port", "PORT",
                            "--", "--mode", "kiosk"], port, tmp_path / "server.log")
    try:
        # Served only once the lifespan has started: a PDF process would be there by now.
        assert not [c for c in children(server.pid) if is_worker(c)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


@pytest.mark.server
def test_the_served_app_starts_its_pdf_process_and_stops_it_with_itself(tmp_path):
    port = free_port()
    server = start_process([".venv/bin/python", "-m", "webserver", "--server.port", "PORT"],
                           port, tmp_path / "server.log")
    try:
        # Served only once the lifespan has started it.
        (worker,) = [c for c in children(server.pid) if is_worker(c)]
        os.kill(server.pid, signal.SIGTERM)  # the server alone, as a service manager stops it
        server.wait(timeout=20)
        wait_for(lambda: gone(worker), "the PDF process's end with its server")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_a_worker_given_what_no_server_of_ours_sends_stops_without_answering(tmp_path):
    too_long = (pdf_worker.MAX_DOCUMENT + 1).to_bytes(pdf_worker.LENGTH, "big")
    answers = io.BytesIO()
    pdf_worker.serve(io.BytesIO(too_long + b"{}"), answers, pdf_process.DEFAULT_FONT)
    assert answers.getvalue() == b""
    cut_short = (100).to_bytes(pdf_worker.LENGTH, "big") + b"{"
    pdf_worker.serve(io.BytesIO(cut_short), answers, pdf_process.DEFAULT_FONT)
    assert answers.getvalue() == b""


@pytest.fixture
def asked(monkeypatch) -> dict:
    """How many PDFs were started ahead (submit) and made in all (each is made by a call)."""
    counts = {"submit": 0, "made": 0}

    def counted(name, real):
        def call(self, document):
            counts[name] += 1
            return real(self, document)
        return call

    monkeypatch.setattr(PdfProcess, "submit", counted("submit", PdfProcess.submit))
    monkeypatch.setattr(PdfProcess, "__call__", counted("made", PdfProcess.__call__))
    return counts


def test_the_close_starts_its_pdf_first_and_offers_the_one_made_for_its_choices(
        content, asked):
    # Each PDF is started before the screen that offers it is drawn (ui/save.start); what it
    # offers is still the PDF of exactly what the reader chose, with the web page's file code.
    from tests.test_state import walk_counseling_session_with

    at = walk_counseling_session_with("NOTE-FOR-THE-PDF-5d1e")
    # The help screen (for the close), the tick and the note: each new choice one PDF.
    assert asked["made"] == asked["submit"] == 3
    files = {built.format.ext: built.data for built in at.session_state["summary_files"].files}
    page, pdf = files["html"].decode("utf-8"), pdf_text(files["pdf"])
    token = re.search(r"[0-9a-f]{32}", page).group(0)
    assert token in pdf.replace("\n", "")
    assert "NOTE-FOR-THE-PDF-5d1e" in page and "NOTE-FOR-THE-PDF-5d1e" in pdf
    first_pattern = content.text("en", f"patterns.{content.patterns[0].id}.title")
    assert first_pattern in pdf and content.text(
        "en", f"patterns.{content.patterns[1].id}.title") not in pdf
    made_by = pdf_process.shared()
    assert made_by.worker_pid() is not None and made_by.failures == 0


def test_fonts_made_ahead_give_the_same_pdf(document):
    # The worker copies the next PDF's fonts while it waits (reflect/fonts.faces_for_a_pdf).
    from pypdf import PdfReader

    ahead = render_pdf(document, faces=faces_for_a_pdf())
    assert pdf_text(ahead) == pdf_text(render_pdf(document))
    fonts = {str(font["/BaseFont"]).split("+")[-1]
             for page in PdfReader(io.BytesIO(ahead)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts == {"DejaVuSansBook", "DejaVuSansBold"}


def test_the_close_pdf_is_made_while_the_reader_reads_the_screen_before(content, asked):
    # Started on the help screen, so the close shows at once; dropped on any other screen.
    from tests.test_modes import start, walk_to

    at = walk_to(start(), "reflection")
    assert asked["submit"] == 0 and "summary_started" not in at.session_state
    next(b for b in at.button if b.label == "Ways people find help").click().run()
    assert asked["submit"] == 1 and "summary_started" in at.session_state
    next(b for b in at.button if b.label == "What to do next").click().run()
    assert asked == {"submit": 1, "made": 1}  # the close used the PDF started ahead
    assert "summary_started" not in at.session_state  # kept as the close's files now
    assert pdf_text(next(built.data for built in at.session_state["summary_files"].files
                         if built.format.ext == "pdf")).startswith(
        content.text("en", "summary.title"))
    # Back to the help screen, then to a question: what was started ahead is dropped.
    at.session_state["step"] = 6
    at.run()
    assert "summary_started" in at.session_state and "summary_files" not in at.session_state
    at.session_state["step"] = 1
    at.run()
    assert "summary_started" not in at.session_state


def test_a_kiosk_never_starts_a_pdf(asked, monkeypatch):
    from tests.test_kiosk import start, walk

    monkeypatch.setenv("REFLECT_MODE", "kiosk")
    at = walk(start(), "close")
    assert at.session_state["mode"] == "kiosk" and not at.get("download_button")
    assert asked == {"submit": 0, "made": 0}


def test_going_back_and_forth_to_the_screen_before_queues_no_pdf_after_pdf(
        content, asked, monkeypatch):
    # The screen before the close starts a PDF without waiting for it; a session that goes
    # back and forth to it (or switches its language there) has at most one on the way.
    import threading

    from tests.test_modes import start, walk_to

    release = threading.Event()
    slow = PdfProcess.__call__

    def held(self, document):  # the PDF process is busy until the test lets it go
        release.wait(30)
        return slow(self, document)

    monkeypatch.setattr(PdfProcess, "__call__", held)
    try:
        at = walk_to(start(), "reflection")
        for _ in range(5):
            next(b for b in at.button if b.label == "Ways people find help").click().run()
            at.session_state["step"] = 5  # back to the reflection, as the browser's Back does
            at.run()
            at.session_state["step"] = 6
            at.run()
            at.radio(key="language").set_value("es").run()
            at.radio(key="language").set_value("en").run()
            at.session_state["step"] = 5
            at.run()
        assert asked["submit"] == 1
    finally:
        release.set()
    # Once it is made, the screen before starts the next one.
    wait_for(lambda: at.session_state["pdf_made"].is_set(), "the held PDF")
    at.session_state["step"] = 6
    at.run()
    assert asked["submit"] == 2


def test_a_document_the_worker_cannot_make_leaves_it_in_step_for_the_next(document,
                                                                          worker_only):
    # A "failed" answer is made here; the same worker, still in step, makes the next one.
    picky = PdfProcess(command=[
        sys.executable, "-c",
        "import sys, reflect.pdf_worker as w\n"
        "real = w.render_pdf\n"
        "def render(d, f, faces=None):\n"
        "    if d.title == 'FAIL':\n"
        "        raise ValueError('this one')\n"
        "    return real(d, f, faces)\n"
        "w.render_pdf = render\n"
        "w.main(sys.argv[1:])", pdf_process.DEFAULT_FONT])
    try:
        with worker_only.allowed():
            assert picky(dataclasses.replace(document, title="FAIL")).startswith(b"%PDF-")
        pid = picky.worker_pid()
        assert pid is not None and picky.failures == 0
        assert NOTE.split()[0] in pdf_text(picky(document))  # by the worker (worker_only)
        assert picky.worker_pid() == pid
    finally:
        picky.close()


def test_a_wait_in_the_queue_is_not_counted_against_the_worker(document, worker_only):
    # Under load a PDF may wait for the one worker; that wait must not eat into the worker's
    # own time, or a healthy worker would be stopped as if it had hung.
    import threading

    # The worker takes 2 s a PDF; another reader holds it for 4.5 s of a 6 s deadline.
    slow = PdfProcess(timeout=6.0, command=[
        sys.executable, "-c",
        "import sys, time, reflect.pdf_worker as w\n"
        "real = w.render_pdf\n"
        "w.render_pdf = lambda d, f, faces=None: (time.sleep(2.0), real(d, f, faces))[1]\n"
        "w.main(sys.argv[1:])", pdf_process.DEFAULT_FONT])
    try:
        slow.start()
        held = threading.Event()

        def busy() -> None:  # another reader's PDF, holding the worker for 4.5 s
            with slow._lock:
                held.set()
                time.sleep(4.5)

        other = threading.Thread(target=busy)
        other.start()
        held.wait(10)
        assert slow(document).startswith(b"%PDF-")
        other.join()
        assert slow.failures == 0 and slow.worker_pid() is not None
    finally:
        slow.close()


def test_a_tick_while_a_pdf_is_on_the_way_waits_for_it_before_starting_another(
        content, asked, monkeypatch):
    # A close run cut short by a rerun leaves its PDF on the way; the next run waits for it
    # before it starts its own, so ticking faster than runs end queues no PDF after PDF.
    import threading

    from tests.test_modes import start, walk_to

    at = walk_to(start(), "close")
    on_the_way = threading.Event()  # as a run cut short leaves it
    at.session_state["pdf_made"] = on_the_way
    seen_at_submit = []
    submit = PdfProcess.submit

    def recorded(self, document):
        seen_at_submit.append(on_the_way.is_set())
        return submit(self, document)

    monkeypatch.setattr(PdfProcess, "submit", recorded)
    threading.Timer(1.0, on_the_way.set).start()  # that PDF is made a moment later
    at.checkbox[0].check().run()
    assert seen_at_submit == [True]  # it waited for the one on the way, then started its own
    assert content.text("en", f"patterns.{content.patterns[0].id}.title") in pdf_text(
        next(b.data for b in at.session_state["summary_files"].files if b.format.ext == "pdf"))


def test_a_pdf_that_failed_is_made_again_not_used_again(content, asked):
    # One failure (a worker and the server both out of memory for a moment, say) must not
    # leave the close failing on every run with the same choices.
    from concurrent.futures import Future

    from tests.test_modes import start, walk_to
    from ui.save import Started

    at = walk_to(start(), "reflection")
    next(b for b in at.button if b.label == "Ways people find help").click().run()
    started = at.session_state["summary_started"]
    broken: Future = Future()
    broken.set_exception(MemoryError())
    at.session_state["summary_started"] = Started(started.choices, started.summary, broken)
    next(b for b in at.button if b.label == "What to do next").click().run()
    assert asked["submit"] == 2  # made again on the close
    assert len(at.get("download_button")) == 2 and not at.exception
