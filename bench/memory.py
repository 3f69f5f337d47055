"""Benchmark 2: memory. RSS at start and with 1, 50 and 200 sessions open mid-questionnaire,
then after they close and their time to reconnect has passed, for both apps.

Goal: per-session memory at most 1.2x the bare app's; back within 10% of the idle figure.

"start" is after one visitor has pressed "Start the reflection" (the idle figure); "cold" is
before any visitor. Options, for trying what changes the figures (the defaults are the
benchmark): --env NAME=VALUE (repeatable) adds an environment variable to our server only;
--apps picks the apps; --full-warm makes the first visitor walk the whole questionnaire, so
what loads only on later screens (fpdf2 on the close) is already in "start".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import time

from common import Server, Session, Tally, children_rss_kib, machine, questionnaire, rss_kib

LEVELS = (1, 50, 200)
TTL_SECONDS = 5


async def open_sessions(url: str, count: int, stack: contextlib.AsyncExitStack) -> None:
    for _ in range(count):
        tab = await stack.enter_async_context(Session(url))
        await tab.press("Start the reflection")
        await tab.choose("Sometimes")
        await tab.press("Next")


async def measure(server: Server) -> dict:
    figures = {"start": rss_kib(server.pid()), "pdf start": children_rss_kib(server.pid())}
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
    figures["pdf after"] = children_rss_kib(server.pid())
    return figures


async def warm(url: str, full: bool) -> None:
    if full:
        tally = Tally()
        if not await questionnaire(url, tally, random.Random(0)):  # noqa: S311 - the answers
            raise RuntimeError(f"the warm-up visitor failed: {tally.errors}")
        return
    async with Session(url) as tab:
        await tab.press("Start the reflection")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--apps", nargs="+", choices=("bare", "ours"), default=["bare", "ours"])
    parser.add_argument("--full-warm", action="store_true")
    options = parser.parse_args()
    env = dict(item.split("=", 1) for item in options.env)
    results = {}
    for app in options.apps:
        server = Server(app, "--server.disconnectedSessionTTL", str(TTL_SECONDS),
                        env=env if app == "ours" else None)
        server.wait_healthy()
        time.sleep(1)
        cold = rss_kib(server.pid())
        asyncio.run(warm(server.url, options.full_warm))
        time.sleep(1)
        results[app] = {"cold": cold, **asyncio.run(measure(server))}
        server.stop()
    print(f"# Memory ({machine()}), RSS in MiB; per session = (200 sessions - start) / 200")
    if env or options.full_warm:
        walked = "; the warm-up visitor walked the whole questionnaire"
        print(f"# ours with {' '.join(options.env) or 'no extra environment'}"
              f"{walked if options.full_warm else ''}")
    print("# the server process alone; the PDF process (ours, reflect/pdf_process.py) after it")
    print(f"{'app':5} {'cold':>7} {'start':>7} {'1':>7} {'50':>7} {'200':>7} {'after':>7} "
          f"{'KiB/session':>12} {'after/start':>12} {'after/cold':>11} {'PDF start':>10} "
          f"{'PDF after':>10} {'both after/start':>17}")
    per = {}
    for app, f in results.items():
        per[app] = (f[200] - f["start"]) / 200
        print(f"{app:5} {f['cold'] / 1024:7.1f} {f['start'] / 1024:7.1f} {f[1] / 1024:7.1f} "
              f"{f[50] / 1024:7.1f} {f[200] / 1024:7.1f} {f['after'] / 1024:7.1f} "
              f"{per[app]:12.0f} {f['after'] / f['start']:12.2f} "
              f"{f['after'] / f['cold']:11.2f} {f['pdf start'] / 1024:10.1f} "
              f"{f['pdf after'] / 1024:10.1f} "
              f"{(f['after'] + f['pdf after']) / (f['start'] + f['pdf start']):17.2f}")
    if len(per) == 2:
        print(f"per-session ratio ours/bare: {per['ours'] / per['bare']:.2f}")


if __name__ == "__main__":
    main()
