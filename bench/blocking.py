"""Blocking work on a first visit, on a 4× slower CPU: what Lighthouse's total blocking time is
made of, for the bare app and ours, both in one run, alternating.

Lighthouse's total blocking time (issue 25, goal 1: at most 200 ms on the mobile preset) adds
up, for each main-thread task longer than 50 ms between the first contentful paint and time to
interactive, the part over 50 ms. The bare app's is 0 ms, and ours' is not, so this script
shows where the blocking work is, measured in real Chromium rather than simulated:

- Each visit is a fresh server (warmed by one GET of /), a fresh browser context (empty HTTP
  cache), a 390×844 viewport and Chromium's CPU slowed 4× (DevTools'
  Emulation.setCPUThrottlingRate, the slowdown of Lighthouse's mobile preset); the network is
  not throttled.
- Long tasks are the browser's own (PerformanceObserver "longtask", buffered from the start);
  the first contentful paint is the browser's paint entry. The visit ends when the welcome is
  drawn and Streamlit's run has finished, and then no long task has begun for QUIET_S seconds
  (the same kind of quiet window Lighthouse's time to interactive waits for).
- "blocking, all" is every long task's time over 50 ms from navigation start; "blocking after
  first paint" is the part Lighthouse's figure counts (tasks that start after the first
  paint). If the two differ little for ours and much for the bare app, the bare app's 0 ms is
  its late first paint, not less work.
- Where the main thread's script time goes: a DevTools CPU profile (sampled every 0.2 ms) of
  the same visit, each sample's own time put to the script it was in: Streamlit's front end
  (its /static/ bundles), the app's own scripts (/reflect-assets/, the page itself), or the
  browser's own work (style, layout, parsing, garbage collection: "(program)" and the like).

Usage: .venv/bin/python bench/blocking.py [--rounds N]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
import time
import urllib.request

from common import CHROMIUM, CHROMIUM_FLAGS, Server, machine, median, time_limit
from playwright.sync_api import Browser, sync_playwright

ROUNDS = 3
APPS = ("bare", "ours")
CPU_SLOWDOWN = 4  # Lighthouse's mobile preset
QUIET_S = 3.0  # no long task for this long after the welcome is ready: the visit is over
LIMIT_S = 60.0  # one visit gives up after this
LONG_TASK_MS = 50
GOAL_TBT_MS = 200
RUN_LIMIT_SECONDS = 600  # a backstop: the whole benchmark stops by itself after this
READY = ("[data-testid=stApp][data-test-script-state=notRunning] "
         "[data-testid=stMain] h1")
# Runs before the page's own scripts: keeps every long task, from the start.
WATCH = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) {
    window.__longTasks.push([task.startTime, task.duration]);
  }
}).observe({ type: "longtask", buffered: true });
"""


def where(url: str) -> str:
    """Whose script a profile sample was in."""
    if not url:
        return "the browser (style, layout, parsing, GC)"
    if "/static/" in url:
        return "Streamlit's front end"
    return "the app's own scripts"  # /reflect-assets/ and the page's own


def script_time(profile: dict) -> dict[str, float]:
    """Each sample's own time (ms), put to whose script it was in; idle left out."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    totals: collections.Counter = collections.Counter()
    deltas = profile["timeDeltas"][1:] + [0]
    for sample, delta in zip(profile["samples"], deltas, strict=True):
        frame = nodes[sample]["callFrame"]
        if frame["functionName"] == "(idle)":
            continue
        totals[where(frame["url"])] += delta / 1000
    return dict(totals)


def visit(browser: Browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        page.goto(url, wait_until="commit")
        page.wait_for_selector(READY, timeout=LIMIT_S * 1000)
        deadline = time.monotonic() + LIMIT_S
        while time.monotonic() < deadline:  # wait for the quiet window itself
            last = page.evaluate("Math.max(0, ...window.__longTasks.map(t => t[0] + t[1]))")
            now = page.evaluate("performance.now()")
            if now - last >= QUIET_S * 1000:
                break
            page.wait_for_timeout(200)
        profile = cdp.send("Profiler.stop")["profile"]
        tasks = page.evaluate("window.__longTasks")
        fcp = page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0].startTime")
    finally:
        context.close()
    over = [(start, duration - LONG_TASK_MS) for start, duration in tasks]
    return {"fcp": fcp, "tasks": len(tasks),
            "longest": max((duration for _, duration in tasks), default=0),
            "blocking": sum(part for _, part in over),
            "after_paint": sum(part for start, part in over if start >= fcp),
            "scripts": script_time(profile)}


def run(rounds: int, results: dict) -> None:
    """Fill results (a list of visits per app) as they come: a stopped run keeps them."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for number in range(rounds):
                for app in APPS if number % 2 == 0 else APPS[::-1]:  # alternating
                    server = Server(app)
                    try:
                        server.wait_healthy()
                        urllib.request.urlopen(server.url + "/", timeout=30).close()
                        results[app].append(visit(browser, server.url + "/"))
                    finally:
                        server.stop()
        finally:
            browser.close()


def report(results: dict, rounds: int, seconds: float) -> None:
    print(f"# {machine()}; Chromium {CHROMIUM}, CPU slowed {CPU_SLOWDOWN}x, 390x844, "
          f"network not throttled; median of {rounds} rounds, the apps alternating")
    print(f"{'app':6} {'first paint ms':>14} {'long tasks':>10} {'longest ms':>10} "
          f"{'blocking, all ms':>16} {'after first paint ms':>20}")
    table = {}
    for app in APPS:
        visits = results[app]
        if not visits:
            print(f"{app:6} no figures")
            continue
        row = {key: median([v[key] for v in visits])
               for key in ("fcp", "tasks", "longest", "blocking", "after_paint")}
        table[app] = row
        print(f"{app:6} {row['fcp']:14.0f} {row['tasks']:10.0f} {row['longest']:10.0f} "
              f"{row['blocking']:16.0f} {row['after_paint']:20.0f}")
    print("\nMain-thread time by whose script it was in (ms, median; idle left out):")
    for app in APPS:
        if results[app]:
            kinds = sorted({kind for v in results[app] for kind in v["scripts"]})
            times = {kind: median([v["scripts"].get(kind, 0) for v in results[app]])
                     for kind in kinds}
            parts = ", ".join(f"{kind} {ms:.0f}" for kind, ms in times.items())
            print(f"  {app}: {parts}")
    if "bare" in table and "ours" in table:
        ours, bare = table["ours"], table["bare"]
        met = "met" if ours["after_paint"] <= GOAL_TBT_MS else "not met"
        print(f"\nGoal 1, total blocking time <= {GOAL_TBT_MS} ms (Lighthouse counts it after the "
              f"first paint): ours {ours['after_paint']:.0f} ms here: {met}.")
        print(f"The bare app's own blocking work is {bare['blocking']:.0f} ms in all, "
              f"{bare['after_paint']:.0f} ms of it after its first paint at "
              f"{bare['fcp']:.0f} ms; ours' is {ours['blocking']:.0f} ms in all "
              f"({ours['blocking'] / bare['blocking']:.2f}x the bare app's), with its first "
              f"paint at {ours['fcp']:.0f} ms." if bare["blocking"] else "")
    print(f"\nRun took {seconds:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"visits per app, alternating (default {ROUNDS})")
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict = {app: [] for app in APPS}
    try:
        with time_limit(RUN_LIMIT_SECONDS):
            run(args.rounds, results)
    except TimeoutError as error:  # the backstop: report what was measured
        print(f"Stopped: {error}; the figures below are partial.", file=sys.stderr)
    with contextlib.suppress(BrokenPipeError):
        report(results, args.rounds, time.perf_counter() - started)


if __name__ == "__main__":
    main()
