"""nginx: throughput with 3 app processes vs 1, behind deploy/nginx/reflect.conf.

Three processes of our app (scripts/serve.sh), Debian's nginx on loopback with the project's
configuration started exactly as tests/nginx_support.py starts it (its start_nginx), with all three
in the upstream or only the first. Closed-loop visitors with no think time walk the whole
questionnaire through nginx (common.questionnaire), each with its own random route cookie,
as nginx would have given it on the first page; enough of them to keep every process busy.
Measured: completed questionnaires and interactions per second with 3 backends and with 1,
and the ratio. The phases alternate (1, 3, 1, 3, ...) so a change in the machine's other
load falls on both.

This machine has 2 cores, shared by the app processes, nginx and the client, so the ratio is
bounded near 2 (one Streamlit process uses about one core: its script runs hold the GIL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shlex
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

from common import (
    ROOT,
    Server,
    Tally,
    busy_seconds,
    cpu_seconds,
    free_port,
    machine,
    median,
    percentile,
    questionnaire,
)

from tests.nginx_support import certificate, start_nginx  # the tests' own nginx set-up

VISITORS = 30  # at once; about ten per process keeps each one's run queue full
WARM_SECONDS = 8.0  # not measured: visitors arrive and the phase settles
WINDOW_SECONDS = 40.0
ROUNDS = 2  # each round is one phase with 1 backend, then one with 3


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


class Nginx:
    """Debian's nginx in the foreground, with tests/nginx_support.py's configuration."""

    def __init__(self, folder: Path, ports: list[int]) -> None:
        folder.mkdir()
        self.port = free_port()
        self.url = f"https://localhost:{self.port}"
        # TLS with a throwaway certificate, trusted by this process's clients.
        os.environ["SSL_CERT_FILE"] = str(certificate(folder))
        self.process = start_nginx(folder, self.port, ports)

    def cpu(self) -> float:
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(cpu_seconds(pid) for pid in pids)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


async def closed_loop(url: str, visitors: int, warm: float, window: float,
                      seed: int) -> tuple[Tally, float, float]:
    """visitors walk the questionnaire again and again with no pause; returns the tally and
    the measuring window's start and end (monotonic)."""
    tally = Tally()
    start = time.monotonic() + warm
    end = start + window

    async def visitor(number: int) -> None:
        rng = random.Random(f"{seed}:{number}")  # noqa: S311 - repeatable, not secret
        await asyncio.sleep(number * 0.05)
        while time.monotonic() < end:
            cookie = {"Cookie": f"reflect_route={secrets.token_hex(8)}"}
            # Each walk from an address of its own: real visitors come from many, and the
            # shipped per-address limit (20 new sessions a minute after a burst of 60) would
            # otherwise throttle a benchmark that walks again and again from one.
            source = f"127.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if not await questionnaire(url, tally, rng, headers=cookie, source=source):
                await asyncio.sleep(1)

    tasks = [asyncio.create_task(visitor(number)) for number in range(visitors)]
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=30)
    return tally, start, end


def phase(folder: Path, servers: list[Server], visitors: int, warm: float, window: float,
          seed: int) -> dict:
    nginx = Nginx(folder, [server.port for server in servers])
    try:
        # The CPU counters are read at the window's edges, from a thread beside the client.
        marks: dict[str, list] = {}

        def read(label: str) -> None:
            marks[label] = [busy_seconds(), time.process_time(), nginx.cpu(),
                            *(cpu_seconds(server.pid()) for server in servers)]

        async def run() -> tuple[Tally, float, float]:
            job = asyncio.create_task(closed_loop(nginx.url, visitors, warm, window, seed))
            await asyncio.sleep(warm)
            read("start")
            await asyncio.sleep(window)
            read("end")
            return await job

        tally, start, end = asyncio.run(run())
    finally:
        nginx.stop()
    if tally.errors:  # say why, from nginx's side
        print("".join((folder / "error.log").read_text().splitlines(True)[-3:]), end="")
    used = [(after - before) / window for before, after in zip(marks["start"], marks["end"],
                                                               strict=True)]
    latencies = [ms for stamp, ms, _ in tally.latencies if start <= stamp < end]
    return {"backends": len(servers), "interactions": len(latencies) / window,
            "completed": sum(start <= stamp < end for stamp in tally.completed) / window,
            "p50": median(latencies), "p95": percentile(latencies, 0.95),
            "errors": Counter(kind for stamp, kind in tally.errors if start - warm <= stamp < end),
            "busy": used[0], "client": used[1], "nginx": used[2], "servers": used[3:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=VISITORS)
    parser.add_argument("--window", type=float, default=WINDOW_SECONDS)
    parser.add_argument("--warm", type=float, default=WARM_SECONDS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--server-args", default="",
                        help="extra options for each app process, e.g. "
                             "'--runner.postScriptGC false'")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    extra = shlex.split(args.server_args)

    print(f"# nginx throughput ({machine()}): deploy/nginx/reflect.conf on loopback, "
          f"{args.visitors} closed-loop visitors (no think time), {args.rounds} round(s) "
          f"of 1 then 3 backends, each measured {args.window:g} s after {args.warm:g} s")
    with (ROOT / ".streamlit" / "config.toml").open("rb") as config:
        gc_after_runs = tomllib.load(config).get("runner", {}).get("postScriptGC", True)
    print(f"# app processes: scripts/serve.sh (.streamlit/config.toml, where "
          f"runner.postScriptGC is {str(gc_after_runs).lower()}) {' '.join(extra)}")
    print("# per s: completed questionnaires, interactions; latency in ms; CPU in cores")
    print(f"{'backends':>8} {'done/s':>7} {'inter/s':>8} {'p50':>6} {'p95':>6} {'errors':>6} "
          f"{'machine':>7} {'client':>6} {'nginx':>6}  app processes", flush=True)
    servers = [Server("ours", *extra) for _ in range(3)]
    rows = []
    try:
        for server in servers:
            server.wait_healthy()
            warm = Tally()
            asyncio.run(questionnaire(server.url, warm, random.Random(0)))  # noqa: S311
        with tempfile.TemporaryDirectory(prefix="nginx-bench-") as folder:
            for number in range(args.rounds * 2):
                count = 1 if number % 2 == 0 else 3
                row = phase(Path(folder) / f"phase{number}", servers[:count], args.visitors,
                            args.warm, args.window, args.seed + number)
                rows.append(row)
                print(f"{count:8} {row['completed']:7.2f} {row['interactions']:8.1f} "
                      f"{row['p50']:6.0f} {row['p95']:6.0f} {row['errors'].total():6} "
                      f"{row['busy']:7.2f} {row['client']:6.2f} {row['nginx']:6.2f}  " +
                      " ".join(f"{used:.2f}" for used in row["servers"]) +
                      (f"  errors: {dict(row['errors'])}" if row["errors"] else ""), flush=True)
    finally:
        for server in servers:
            server.stop()

    def mean(count: int, key: str) -> float:
        values = [row[key] for row in rows if row["backends"] == count]
        return sum(values) / len(values)

    print()
    for key, label in (("completed", "completed questionnaires/s"),
                       ("interactions", "interactions/s")):
        one, three = mean(1, key), mean(3, key)
        print(f"{label}: 1 backend {one:.2f}, 3 backends {three:.2f}, "
              f"ratio 3/1 {three / one:.2f}")
    print("(2 cores for everything: the app processes, nginx and this client; the ratio "
          "cannot go much above 2, and the client's and nginx's share lowers it)")


if __name__ == "__main__":
    main()
