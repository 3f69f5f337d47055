"""Benchmark 4: cold start, from process start to the welcome screen's first complete run,
for both apps, each started fresh five times. Goal: at most 1.2x the bare app's."""

from __future__ import annotations

import asyncio
import time

from common import Server, Session, machine, median

RUNS = 5


async def first_run(url: str) -> None:
    async with Session(url):
        pass  # entering runs the script once, to its end


def main() -> None:
    results: dict[str, list[float]] = {"bare": [], "ours": []}
    for _ in range(RUNS):
        for app in results:
            server = Server(app)
            server.wait_healthy()
            asyncio.run(first_run(server.url))
            results[app].append(time.perf_counter() - server.started)
            server.stop()
    print(f"# Cold start ({machine()}), {RUNS} fresh starts each, seconds")
    for app, times in results.items():
        print(f"{app:5} median {median(times):.2f}  all " +
              " ".join(f"{t:.2f}" for t in times))
    print(f"ratio ours/bare: {median(results['ours']) / median(results['bare']):.2f}")


if __name__ == "__main__":
    main()
