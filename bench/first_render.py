"""Benchmark 5: first render in real Chromium, cold and warm browser cache, against the bare app.

Each app's server is started fresh (one at a time) and warmed by one first load, printed
apart as "server cold". Then each sample opens a new incognito browser context (its own,
empty HTTP cache) and loads the page twice: a first visit (cold cache) and, after it has
finished, a second visit in a new tab of the same context (warm cache).

All times are the browser's own, from navigation start (performance.timeOrigin):
- FCP: the first contentful paint (performance.getEntriesByType("paint")).
- first screen: the first animation frame in which the welcome is fully drawn and usable:
  the welcome's h1 and the "Start the reflection" button are visible, the button is enabled
  (Streamlit enables widgets once its websocket is connected), and Streamlit's run has
  finished (stApp's data-test-script-state is "notRunning", as in tests/browser_support.py).
Requests and bytes are the navigation entry plus the resource entries once the network is
idle (transferSize: 0 for a response from the HTTP cache; the websocket is not counted).
"From cache" counts responses Chromium's DevTools protocol reports as served from its cache.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from pathlib import Path

from common import CHROMIUM, CHROMIUM_FLAGS, Server, machine, median, time_limit
from playwright.sync_api import Browser, BrowserContext, sync_playwright

SAMPLES = 7
APPS = ("bare", "ours")
HEADING = "A private reflection on coping"  # the same in both apps (questions.yaml, bare_app)
START = "Start the reflection"
LOAD_TIMEOUT_MS = 30_000
RUN_LIMIT_SECONDS = 600  # a backstop: the whole run stops by itself after this

# Runs in every page before the page's own scripts: checks the welcome once per frame and
# keeps the time of the first frame in which it is complete.
WATCH = """
(() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const ready = () => {
    const app = document.querySelector("[data-testid=stApp]");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
    const h1 = [...document.querySelectorAll("h1")]
      .some((el) => el.textContent.trim() === HEADING && visible(el));
    const start = [...document.querySelectorAll("button")]
      .some((el) => el.innerText.trim() === START && visible(el) && !el.disabled
                    && el.getAttribute("aria-disabled") !== "true");
    return h1 && start;
  };
  window.__firstScreen = new Promise((resolve) => {
    const check = () => (ready() ? resolve(performance.now()) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
})();
""".replace("HEADING", json.dumps(HEADING)).replace("START", json.dumps(START))

MEASURE = """
async (limit) => {
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("the welcome was not drawn in time")), limit));
  const firstScreen = await Promise.race([window.__firstScreen, timeout]);
  return firstScreen;
}
"""

FIGURES = """
() => {
  const paint = performance.getEntriesByType("paint")
    .find((entry) => entry.name === "first-contentful-paint");
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return {
    fcp: paint ? paint.startTime : null,
    requests: entries.length,
    bytes: entries.reduce((sum, entry) => sum + entry.transferSize, 0),
    // What went to the server: a 304 moves only headers, so less than the body's size.
    network: entries.filter((entry) => entry.transferSize > 0).map((entry) =>
      new URL(entry.name).pathname
      + (entry.transferSize < entry.encodedBodySize ? " (revalidated, 304)" : "")),
  };
}
"""


def visit(context: BrowserContext, url: str) -> dict:
    """Load url in a new tab of context; return the browser-side figures of that load."""
    page = context.new_page()
    try:
        devtools = context.new_cdp_session(page)
        responses: set[str] = set()
        cached: set[str] = set()

        def on_response(event: dict) -> None:
            responses.add(event["requestId"])
            response = event["response"]
            if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                cached.add(event["requestId"])

        def on_memory(event: dict) -> None:
            cached.add(event["requestId"])

        devtools.on("Network.responseReceived", on_response)
        devtools.on("Network.requestServedFromCache", on_memory)
        devtools.send("Network.enable")
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        first_screen = page.evaluate(MEASURE, LOAD_TIMEOUT_MS)
        # Count what the page fetched in all, not only what came before the first screen.
        page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
        figures = page.evaluate(FIGURES)
        devtools.detach()
    finally:
        page.close()
    return {**figures, "first_screen": first_screen,
            "from_cache": len(cached), "cdp_responses": len(responses)}


def chromium_cpu_seconds() -> float:
    """CPU time so far of the Chromium processes under this one, with their ended children."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        # fields[1] is the parent; [11:15] are utime, stime and the waited-for children's.
        processes[int(entry.name)] = (int(fields[1]), name, sum(map(int, fields[11:15])))
    ticks, parents = 0, {os.getpid()}
    while parents:
        children = {pid for pid, (parent, _, _) in processes.items() if parent in parents}
        ticks += sum(processes[pid][2] for pid in children
                     if processes[pid][1].startswith(("chrom", "headless")))
        parents = children
    return ticks / os.sysconf("SC_CLK_TCK")


def fresh_context(browser: Browser) -> BrowserContext:
    """A new incognito context: its own profile in memory, so its HTTP cache starts empty."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    return context


def measure(browser: Browser, url: str, samples: int) -> dict:
    context = fresh_context(browser)
    try:
        results: dict = {"server cold": visit(context, url), "cold": [], "warm": []}
    finally:
        context.close()
    for _ in range(samples):
        context = fresh_context(browser)
        try:
            results["cold"].append(visit(context, url))
            results["warm"].append(visit(context, url))
        finally:
            context.close()
    return results


def run(samples: int) -> dict:
    results = {}
    with sync_playwright() as playwright:
        for app in APPS:
            server = Server(app)
            try:
                server.wait_healthy()
                # One browser per app, so neither app's first load meets a warmer browser.
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_FLAGS)
                try:
                    cpu = chromium_cpu_seconds()
                    results[app] = measure(browser, server.url, samples)
                    results[app]["chromium cpu"] = ((chromium_cpu_seconds() - cpu)
                                                    / (1 + 2 * samples))
                finally:
                    browser.close()
            finally:
                server.stop()
    return results


def spread(values: list[float], unit: str = "") -> str:
    return f"{median(values):.0f}{unit} ({min(values):.0f}-{max(values):.0f})"


def report(results: dict, samples: int, seconds: float) -> None:
    print(f"# First render in Chromium ({machine()}), {samples} samples each "
          f"for a cold and a warm browser cache")
    print("# Browser-side ms from navigation start; median (min-max). Requests and KiB: "
          "navigation + resources until network idle (no websocket).")
    for app in APPS:
        first = results[app]["server cold"]
        print(f"server cold ({app}, the server's first load, also a cold cache): "
              f"FCP {first['fcp']:.0f} ms, first screen {first['first_screen']:.0f} ms, "
              f"{first['requests']} requests, {first['bytes'] / 1024:.1f} KiB")
    print(f"{'app':5} {'cache':5} {'FCP ms':>16} {'first screen ms':>17} {'requests':>9} "
          f"{'from cache':>11} {'KiB':>8}")
    medians: dict = {}
    for app in APPS:
        for cache in ("cold", "warm"):
            rows = results[app][cache]
            fcp = [row["fcp"] for row in rows]
            screen = [row["first_screen"] for row in rows]
            requests = median([row["requests"] for row in rows])
            from_cache = median([row["from_cache"] for row in rows])
            kib = median([row["bytes"] for row in rows]) / 1024
            medians[app, cache] = (median(fcp), median(screen), requests, kib)
            print(f"{app:5} {cache:5} {spread(fcp):>16} {spread(screen):>17} {requests:9.0f} "
                  f"{from_cache:11.0f} {kib:8.1f}")
    for cache in ("cold", "warm"):
        bare, ours = medians["bare", cache], medians["ours", cache]
        ratios = [o / b if b else float("nan") for o, b in zip(ours, bare, strict=True)]
        print(f"ratio ours/bare, {cache}: FCP {ratios[0]:.2f}, first screen {ratios[1]:.2f}, "
              f"requests {ratios[2]:.2f}, KiB {ratios[3]:.2f}")
    for app in APPS:
        fetched = sorted({path for row in results[app]["warm"] for path in row["network"]})
        print(f"warm visits, {app}, from the server: {', '.join(fetched)}")
    unseen = sorted({row["cdp_responses"] - row["requests"] for app in APPS
                     for cache in ("cold", "warm") for row in results[app][cache]} - {0})
    if unseen:
        print(f"DevTools saw {unseen} more responses per load than the page's timing lists")
    cpu = ", ".join(f"{app} {results[app]['chromium cpu']:.2f} s" for app in APPS)
    print(f"Note: each Chromium page load costs about 1 s of CPU on this 2-core machine "
          f"(measured here, Chromium's processes per load: {cpu}), so the browser and the "
          f"server compete for the cores, and figures from a busy machine are preliminary. "
          f"Run took {seconds:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=SAMPLES,
                        help=f"cold and warm loads per app (default {SAMPLES})")
    args = parser.parse_args()
    started = time.perf_counter()
    with time_limit(RUN_LIMIT_SECONDS):
        results = run(args.samples)
    with contextlib.suppress(BrokenPipeError):
        report(results, args.samples, time.perf_counter() - started)


if __name__ == "__main__":
    main()
