"""Benchmark 2: memory. RSS at start and with 1, 50 and 200 sessions open mid-questionnaire,
then after they close and their time to reconnect has passed, for both apps.

Goal: per-session memory at most 1.2x the bare app's; back within 10% of the idle figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from common import Server, Session, machine, rss_kib

LEVELS = (1, 50, 200)
TTL_SECONDS = 5


async def open_sessions(url: str, count: int, stack: contextlib.AsyncExitStack) -> None:
    for _ in range(count):
        tab = await stack.enter_async_context(Session(url))
        await tab.press("Start the reflection")
        await tab.choose("Sometimes")
        await tab.press("Next")


async def measure(server: Server) -> dict:
    figures = {"start": rss_kib(server.pid())}
    async with contextlib.AsyncExitStack() as stack:
        opened = 0
        for level in LEVELS:
            await open_sessions(server.url, level - opened, stack)
            opened = level
            await asyncio.sleep(1)
            figures[level] = rss_kib(server.pid())
    await asyncio.sleep(TTL_SECONDS + 12)  # the time to reconnect, and our media sweep
    async with Session(server.url) as tab:  # one run lets Streamlit clean up
        await tab.press("Start the reflection")
    await asyncio.sleep(2)
    figures["after"] = rss_kib(server.pid())
    return figures


def main() -> None:
    results = {}
    for app in ("bare", "ours"):
        server = Server(app, "--server.disconnectedSessionTTL", str(TTL_SECONDS))
        server.wait_healthy()
        async def warm(url: str) -> None:
            async with Session(url) as tab:
                await tab.press("Start the reflection")
        asyncio.run(warm(server.url))
        time.sleep(1)
        results[app] = asyncio.run(measure(server))
        server.stop()
    print(f"# Memory ({machine()}), RSS in MiB; per session = (200 sessions - start) / 200")
    print(f"{'app':5} {'start':>7} {'1':>7} {'50':>7} {'200':>7} {'after':>7} "
          f"{'KiB/session':>12} {'after/start':>12}")
    per = {}
    for app, f in results.items():
        per[app] = (f[200] - f["start"]) / 200
        print(f"{app:5} {f['start'] / 1024:7.1f} {f[1] / 1024:7.1f} {f[50] / 1024:7.1f} "
              f"{f[200] / 1024:7.1f} {f['after'] / 1024:7.1f} {per[app]:12.0f} "
              f"{f['after'] / f['start']:12.2f}")
    print(f"per-session ratio ours/bare: {per['ours'] / per['bare']:.2f}")


if __name__ == "__main__":
    main()
