"""What every benchmark shares: starting each app's server, reading its memory, the machine."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_FLAGS, free_port  # noqa: E402
from tests.protocol import Session  # noqa: E402 - the project's protocol client

APPS = {
    # name: command (PORT is replaced); both read the project's .streamlit/config.toml.
    "bare": [".venv/bin/python", "-m", "streamlit", "run", "bench/bare_app.py",
             "--server.port", "PORT"],
    "ours": ["bash", "scripts/serve.sh", "--server.port", "PORT"],
}
__all__ = ["APPS", "CHROMIUM", "CHROMIUM_FLAGS", "STEPS", "Server", "Session", "Tally",
           "time_limit",
           "busy_seconds", "children_rss_kib", "cpu_seconds", "free_port", "machine",
           "percentile",
           "questionnaire", "rss_kib"]

# The answers a simulated visitor gives, with their weights; both apps offer these labels.
ANSWER_MIX = {"This sounds like me": 35, "Sometimes": 30, "Not really": 25,
              "I'd rather not say": 10}
# A reply slower than this counts as an error (a reader would think the page had hung).
REPLY_SECONDS = 30


class Server:
    """One app's server process, started fresh, with its own log."""

    def __init__(self, app: str, *extra: str, env: dict[str, str] | None = None) -> None:
        """extra: more command-line options; env: environment variables to add."""
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        command = [str(self.port) if part == "PORT" else part for part in APPS[app]]
        if extra:
            command += list(extra)
        self.log = open(os.devnull, "w")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, **env} if env else None)

    def wait_healthy(self, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).close()
                return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"{self.url} did not start")

    def pid(self) -> int:
        return self.process.pid  # serve.sh execs python, so this is the server itself

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # overloaded (bench/load.py), it can take longer
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.log.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # it ended while this looked
        return None


def children(pid: int) -> list[int]:
    """The processes pid started that are still running (ours: the PDF process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """The server's user + system CPU time so far, in seconds (from /proc), with that of
    the processes it started: ours makes its PDFs in one (reflect/pdf_process.py)."""
    total = 0
    for one in (pid, *children(pid)):
        fields = _stat(one)
        if fields is not None:  # utime, stime, and those of its children that have ended
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / os.sysconf("SC_CLK_TCK")


def children_rss_kib(pid: int) -> int:
    """The RSS of the processes pid started (ours: the PDF process), 0 for none."""
    total = 0
    for child in children(pid):
        with contextlib.suppress(OSError, RuntimeError):
            total += rss_kib(child)
    return total


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, everyone), from /proc/stat."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


STEPS = ("open", "start", "answer", "next", "reflection", "help", "close")


class Tally:
    """What visitors did, each stamped with time.monotonic() at its end (the same clock in
    every process): interactions (with their step, one of STEPS, and latency in ms),
    completed questionnaires, and errors by kind."""

    def __init__(self) -> None:
        self.latencies: list[tuple[float, float, str]] = []
        self.completed: list[float] = []
        self.errors: list[tuple[float, str]] = []


async def questionnaire(url: str, tally: Tally, rng: random.Random, think=None,
                        headers: dict | None = None, source: str | None = None) -> bool:
    """One visitor walks the whole questionnaire as a reader, the same presses on both apps:
    open the page (the first run), "Start the reflection", four questions (choose an answer,
    then "Next"), the reflection, "Ways people find help", "What to do next", then leave:
    12 interactions. think() gives the seconds to wait before each interaction after the
    first, and before leaving. Each reply is checked for the next screen; an exception, a
    reply slower than REPLY_SECONDS or a missing widget is recorded as an error and ends the
    visit. Returns whether it completed. source: the loopback address to connect from."""
    answers = rng.choices(list(ANSWER_MIX), weights=list(ANSWER_MIX.values()), k=4)
    tab = Session(url, headers=headers, source=source)

    async def step(name: str, action, expect: str, button: bool = False) -> None:
        if think and name != "open":
            await asyncio.sleep(think())
        started = time.perf_counter()
        await asyncio.wait_for(action(), REPLY_SECONDS)
        tally.latencies.append((time.monotonic(), (time.perf_counter() - started) * 1000, name))
        if button:
            tab.screen.widget("button", expect)  # raises LookupError if it is missing
        elif expect not in tab.screen.text():
            raise LookupError(f"expected {expect!r} on the screen")

    try:
        await step("open", tab.__aenter__, "Start the reflection", button=True)
        await step("start", lambda: tab.press("Start the reflection"), "Question 1 of 4")
        for number, answer in enumerate(answers, start=1):
            await step("answer", lambda answer=answer: tab.choose(answer), "Next", button=True)
            if number < 4:
                await step("next", lambda: tab.press("Next"), f"Question {number + 1} of 4")
            else:
                await step("reflection", lambda: tab.press("Next"), "Ways people find help",
                           button=True)
        await step("help", lambda: tab.press("Ways people find help"), "What to do next",
                   button=True)
        await step("close", lambda: tab.press("What to do next"), "Talk with a professional")
        if [w for w in tab.screen.widgets if w.label == "What to do next"]:
            raise LookupError("still on the help screen")
        tally.completed.append(time.monotonic())
        if think:
            await asyncio.sleep(think())  # reading the close before leaving
        return True
    except Exception as error:  # noqa: BLE001 - every failure is a visitor's error
        kind = ("timeout" if isinstance(error, TimeoutError) else
                "missing widget" if isinstance(error, LookupError) else type(error).__name__)
        tally.errors.append((time.monotonic(), kind))
        return False
    finally:
        if tab.socket is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(tab.__aexit__(None, None, None), 5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def machine() -> str:
    import streamlit

    return (f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, Streamlit {streamlit.__version__}")


@contextlib.contextmanager
def time_limit(seconds: int):
    """A backstop for a whole benchmark: TimeoutError inside the block once seconds pass."""
    def too_long(_signum, _frame) -> None:
        raise TimeoutError(f"the benchmark ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def median(values: list[float]) -> float:
    return statistics.median(values)
