"""What every benchmark shares: starting each app's server, reading its memory, the machine."""

from __future__ import annotations

import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.protocol import Session  # noqa: E402 - the project's protocol client

APPS = {
    # name: command (PORT is replaced); both read the project's .streamlit/config.toml.
    "bare": [".venv/bin/python", "-m", "streamlit", "run", "bench/bare_app.py",
             "--server.port", "PORT"],
    "ours": ["bash", "scripts/serve.sh", "--server.port", "PORT"],
}
__all__ = ["APPS", "Server", "Session", "machine", "percentile", "rss_kib"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One app's server process, started fresh, with its own log."""

    def __init__(self, app: str, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        command = [str(self.port) if part == "PORT" else part for part in APPS[app]]
        if extra:
            command += list(extra)
        self.log = open(os.devnull, "w")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

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
        self.process.wait(timeout=20)
        self.log.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def machine() -> str:
    import streamlit

    return (f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, Streamlit {streamlit.__version__}")


def median(values: list[float]) -> float:
    return statistics.median(values)
