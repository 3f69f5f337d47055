"""Benchmark 3: load. Simulated visitors complete the questionnaire with think time, 10 -> 400
of them at once, against one server process on this machine, for both apps in the same run.

A visitor is one websocket session (tests/protocol.py) that walks the whole questionnaire as
a reader (common.questionnaire): open, start, four answers, the reflection, help and close,
then leave; a new visitor takes its place at once (a closed population). Visitors are added
level by level without stopping the ones already there: each level's new visitors arrive
spread over RAMP_SECONDS, then the level is measured for WINDOW_SECONDS.

Per level: interactions and completed questionnaires per second, interaction latency (send to
the run's end) p50/p95/p99, errors (an exception, a reply slower than 30 s, or a screen
without the expected widget), and who used the CPU: the server, the client (these visitors,
on the same two cores), and the whole machine (anything above server + client is someone
else's work).

Goal (issue 25): 300 visitors at p95 < 300 ms with no errors, and the close screen's own p95
(the press of "What to do next" that draws it, the "close" step) < 300 ms too, as the median
of three runs. --runs N repeats the configurations in turn (with --configs bare-tuned,
ours-tuned: bare-tuned, ours-tuned, bare-tuned, ...), each run a fresh server and the same
seeded visitors, so a change in the machine's other load falls on both apps; it prints each
run's p95 and close p95 per level, their medians, and a last line per configuration beside
the goal. A run's errors count against it at any level up to 300, in any run.

Server options: each configuration names its options. "bare" and "ours" pass Streamlit's
default runner.postScriptGC (true: a full gc.collect() after every script run) explicitly, so
the row does not depend on what .streamlit/config.toml says; "-tuned" turns it off, as the
project's .streamlit/config.toml does: "ours-tuned" is the app as shipped, and "bare-tuned"
the floor with the same settings.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import random
import time
from collections import Counter

from common import (
    STEPS,
    Server,
    Tally,
    busy_seconds,
    children_rss_kib,
    cpu_seconds,
    machine,
    median,
    percentile,
    questionnaire,
    rss_kib,
)

# A reader reads each question (about 25 words and four answers) or screen before the next
# press: 3-15 s, uniform, mean 9 s. So one questionnaire (12 interactions) takes about 110 s,
# and N visitors make about N / 9 interactions per second.
THINK_SECONDS = (3.0, 15.0)
QUESTIONNAIRE = 12  # interactions in one (common.questionnaire)
LEVELS = (10, 25, 50, 100, 200, 300, 400)
RAMP_SECONDS = 9.0  # a level's new visitors arrive spread over about one think time
WINDOW_SECONDS = 45.0
GOAL_MS, GOAL_VISITORS = 300.0, 300
GOAL_RUNS = 3  # the goal is the median of this many runs
SEED = 5  # the same visitors (arrivals, think times, answers) in every run
# Client processes sharing the visitors. One is enough: measured at 400 visitors it used
# 0.07 of a core and its loop woke at most 2-5 ms late (the lag column); --clients 2 splits
# the visitors over two processes if that ever changes.
CLIENTS = 1

CONFIGS = {  # name: (app, extra options for `streamlit run`)
    "bare": ("bare", ("--runner.postScriptGC", "true")),
    "ours": ("ours", ("--runner.postScriptGC", "true")),
    "ours-tuned": ("ours", ("--runner.postScriptGC", "false")),
    "bare-tuned": ("bare", ("--runner.postScriptGC", "false")),
    "ours-ttl": ("ours", ("--runner.postScriptGC", "true",
                          "--server.disconnectedSessionTTL", "30")),
    "ours-tuned-ttl": ("ours", ("--runner.postScriptGC", "false",
                                "--server.disconnectedSessionTTL", "30")),
}


def schedule(levels: list[int], start: float, ramp: float, window: float) -> list[dict]:
    """Each level's times on the monotonic clock: new visitors arrive, measuring starts, ends."""
    plan = []
    for number, visitors in enumerate(levels):
        arrive = start + number * (ramp + window)
        plan.append({"visitors": visitors, "arrive": arrive, "start": arrive + ramp,
                     "end": arrive + ramp + window})
    return plan


async def sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


async def drive(url: str, plan: list[dict], worker: int, clients: int, seed: int) -> dict:
    """One client process's share of the visitors, level by level; returns what it saw."""
    tally, lags, tasks, cpu = Tally(), [], [], []
    end = plan[-1]["end"]

    async def visitor(slot: int, ramp: float) -> None:
        rng = random.Random(f"{seed}:{worker}:{slot}")  # noqa: S311 - repeatable, not secret
        await asyncio.sleep(rng.uniform(0, ramp))  # arrivals spread over the ramp

        def think() -> float:
            return rng.uniform(*THINK_SECONDS)

        while time.monotonic() < end:
            if not await questionnaire(url, tally, rng, think):
                await asyncio.sleep(think())  # after an error, a new visitor, not a storm

    async def watch_loop() -> None:  # how late this client's loop wakes: its own backlog
        while True:
            planned = time.monotonic() + 0.1
            await asyncio.sleep(0.1)
            lags.append((time.monotonic(), (time.monotonic() - planned) * 1000))

    watcher = asyncio.create_task(watch_loop())
    started = 0
    for level in plan:
        await sleep_until(level["arrive"])
        share = level["visitors"] // clients + (worker < level["visitors"] % clients)
        ramp = level["start"] - level["arrive"]
        tasks += [asyncio.create_task(visitor(slot, ramp)) for slot in range(started, share)]
        started = max(started, share)
        await sleep_until(level["start"])
        before = time.process_time()
        await sleep_until(level["end"])
        cpu.append(time.process_time() - before)
    for task in [*tasks, watcher]:
        task.cancel()
    await asyncio.wait([*tasks, watcher], timeout=30)

    def within(stamped: list, start: float, stop: float) -> list:
        return [item for item in stamped if start <= item[0] < stop]

    return {"levels": [{
        "latencies": [(ms, step) for _, ms, step in
                      within(tally.latencies, level["start"], level["end"])],
        "completed": sum(level["start"] <= t < level["end"] for t in tally.completed),
        "errors": Counter(kind for _, kind in
                          within(tally.errors, level["arrive"], level["end"])),
        "lags": [ms for _, ms in within(lags, level["start"], level["end"])],
        "cpu": cpu[number],
    } for number, level in enumerate(plan)]}


def client_process(url: str, plan: list[dict], worker: int, clients: int, seed: int) -> dict:
    return asyncio.run(drive(url, plan, worker, clients, seed))


def run_config(name: str, levels: list[int], ramp: float, window: float, clients: int,
               seed: int) -> list[dict]:
    app, extra = CONFIGS[name]
    server = Server(app, *extra)
    try:
        server.wait_healthy()
        warm = Tally()
        for number in range(3):  # imports, caches, first runs
            asyncio.run(questionnaire(server.url, warm, random.Random(number)))  # noqa: S311
        plan = schedule(levels, time.monotonic() + 2, ramp, window)
        context = multiprocessing.get_context("fork")
        with context.Pool(clients) as pool:
            pending = pool.starmap_async(client_process, [(server.url, plan, worker, clients,
                                                           seed) for worker in range(clients)])
            samples = []
            for level in plan:  # the server's and the machine's CPU over each window
                time.sleep(max(0.0, level["start"] - time.monotonic()))
                server_before, busy_before = cpu_seconds(server.pid()), busy_seconds()
                time.sleep(max(0.0, level["end"] - time.monotonic()))
                samples.append({"server": cpu_seconds(server.pid()) - server_before,
                                "busy": busy_seconds() - busy_before,
                                "rss": rss_kib(server.pid()),
                                "pdf rss": children_rss_kib(server.pid())})
            results = pending.get(timeout=120)
    finally:
        server.stop()
    rows = []
    for number, level in enumerate(plan):
        parts = [result["levels"][number] for result in results]
        latencies = [ms for part in parts for ms, _ in part["latencies"]]
        by_step = {step: [ms for part in parts for ms, name in part["latencies"] if name == step]
                   for step in STEPS}
        rows.append({
            "config": name, "visitors": level["visitors"], "interactions": len(latencies),
            "completed": sum(part["completed"] for part in parts),
            "p50": median(latencies) if latencies else float("nan"),
            "p95": percentile(latencies, 0.95) if latencies else float("nan"),
            "p99": percentile(latencies, 0.99) if latencies else float("nan"),
            "steps": {step: percentile(values, 0.95) if values else float("nan")
                      for step, values in by_step.items()},
            "errors": sum((part["errors"] for part in parts), Counter()),
            "lag": percentile([ms for part in parts for ms in part["lags"]] or [0.0], 0.99),
            "client": sum(part["cpu"] for part in parts), **samples[number],
        })
    return rows


def print_row(row: dict, window: float) -> None:
    errors = sum(row["errors"].values())
    others = row["busy"] - row["server"] - row["client"]
    print(f"{row['config']:14} {row['run']:3} {row['visitors']:5} "
          f"{row['interactions'] / window:8.1f} "
          f"{row['completed'] / window:7.2f} {row['interactions'] / window / QUESTIONNAIRE:7.2f} "
          f"{row['p50']:7.0f} {row['p95']:7.0f} "
          f"{row['p99']:7.0f} {errors:6} {row['server'] / window:6.2f} "
          f"{row['client'] / window:6.2f} {others / window:6.2f} {row['lag']:6.0f} "
          f"{row['rss'] / 1024:6.0f} {row['pdf rss'] / 1024:7.0f}", flush=True)


def failed_as_slowest(value: float) -> float:
    """A level with no interaction measured (every one failed) counts as the slowest run."""
    return float("inf") if math.isnan(value) else value


def across(values: list[float]) -> tuple[str, float]:
    """Each run's figure, in run order, and their median (nan: no sample in any run)."""
    shown = ", ".join("-" if math.isnan(value) else f"{value:.0f}" for value in values)
    measured = [value for value in values if not math.isnan(value)]
    return shown, (median(measured) if measured else float("nan"))


def summary(name: str, runs: list[list[dict]], levels: list[int]) -> None:
    """The goal line for one configuration: at GOAL_VISITORS (or the most measured, for a
    short look), the median p95 of the runs, overall and of the close, and the errors."""
    goal_measured = GOAL_VISITORS in levels
    level = GOAL_VISITORS if goal_measured else max(levels)
    at_level = [next(row for row in run if row["visitors"] == level) for run in runs]
    overalls, _ = across([row["p95"] for row in at_level])
    overall = median([failed_as_slowest(row["p95"]) for row in at_level])
    closes, close = across([row["steps"]["close"] for row in at_level])
    errors = [sum(sum(row["errors"].values()) for row in run if row["visitors"] <= level)
              for run in runs]
    met = overall < GOAL_MS and close < GOAL_MS and not any(errors)  # nan < x is False
    verdict = ("met" if met else "not met") if goal_measured else f"not measured ({level})"
    print(f"{name} at {level} visitors, median of {len(runs)} run(s): p95 {overall:.0f} ms "
          f"({overalls}), close p95 {'-' if math.isnan(close) else f'{close:.0f}'} ms "
          f"({closes}), errors at up to {level} visitors {', '.join(map(str, errors))}; "
          f"goal (at {GOAL_VISITORS} visitors p95 < {GOAL_MS:.0f} ms, close p95 < "
          f"{GOAL_MS:.0f} ms, no errors; median of {GOAL_RUNS} runs): {verdict}"
          f"{'' if len(runs) >= GOAL_RUNS else f' (from {len(runs)} run(s), not {GOAL_RUNS})'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)),
                        help="visitors at once, in order (default %(default)s)")
    parser.add_argument("--window", type=float, default=WINDOW_SECONDS,
                        help="seconds measured at each level (default %(default)s)")
    parser.add_argument("--ramp", type=float, default=RAMP_SECONDS,
                        help="seconds over which a level's new visitors arrive")
    parser.add_argument("--configs", default="bare,bare-tuned,ours,ours-tuned",
                        help=f"from {', '.join(CONFIGS)} (default %(default)s)")
    parser.add_argument("--runs", type=int, default=1,
                        help="runs of the configurations in turn, alternating (default "
                             f"%(default)s; the goal is the median of {GOAL_RUNS})")
    parser.add_argument("--clients", type=int, default=CLIENTS,
                        help="client processes sharing the visitors (default %(default)s)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs needs at least 1")
    levels = [int(level) for level in args.levels.split(",")]
    names = args.configs.split(",")
    for name in names:
        if name not in CONFIGS:
            parser.error(f"no configuration {name!r}; there are {', '.join(CONFIGS)}")

    minutes = args.runs * len(names) * (len(levels) * (args.ramp + args.window) + 20) / 60
    print(f"# Load ({machine()}): one server process, visitors with think time "
          f"{THINK_SECONDS[0]:g}-{THINK_SECONDS[1]:g} s (uniform), levels {args.levels}, "
          f"each measured {args.window:g} s after {args.ramp:g} s of arrivals; "
          f"{args.clients} client process(es) on the same cores; {args.runs} run(s) of "
          f"{', '.join(names)} in turn; about {minutes:.0f} min")
    for name in names:
        app, extra = CONFIGS[name]
        start = "scripts/serve.sh" if app == "ours" else "streamlit run bench/bare_app.py"
        print(f"#   {name}: {start} (.streamlit/config.toml) {' '.join(extra)}")
    print(f"# per s: interactions, completed questionnaires, and steady = interactions / "
          f"{QUESTIONNAIRE} (what a settled population completes: a level's new visitors "
          "need about 110 s\n# to finish, so done/s lags behind at first); latency in ms; "
          "CPU in cores (server: with the PDF process it started; others = whole machine - "
          "server - client);\n# lag = client loop p99, ms; RSS of the server process, and "
          "of the PDF process (reflect/pdf_process.py)")
    print(f"{'config':14} {'run':>3} {'users':>5} {'inter/s':>8} {'done/s':>7} {'steady':>7} "
          f"{'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'server':>6} {'client':>6} "
          f"{'others':>6} {'lag':>6} {'RSS MiB':>7} {'PDF MiB':>7}", flush=True)
    results: dict[str, list[list[dict]]] = {name: [] for name in names}
    for run in range(1, args.runs + 1):
        for name in names:
            rows = run_config(name, levels, args.ramp, args.window, args.clients, args.seed)
            for row in rows:
                row["run"] = run
                print_row(row, args.window)
            results[name].append(rows)
    print(f"\n# p95 by step, ms ({', '.join(STEPS)}: see common.questionnaire)")
    print(f"{'config':14} {'run':>3} {'users':>5} " + " ".join(f"{step:>10}" for step in STEPS))
    for run in range(args.runs):
        for name in names:
            for row in results[name][run]:
                print(f"{row['config']:14} {row['run']:3} {row['visitors']:5} " +
                      " ".join(f"{row['steps'][step]:10.0f}" if row["steps"][step] >= 0 else
                               f"{'-':>10}" for step in STEPS))
    print("\n# p95 per level, ms: each run's (in run order; - for none measured) and their "
          "median; overall and the close screen's; errors in each run")
    print(f"{'config':14} {'users':>5}  {'p95 by run':>20} {'median':>7}  "
          f"{'close p95 by run':>20} {'median':>7}  errors by run")
    for name in names:
        for number, level in enumerate(levels):
            at_level = [run[number] for run in results[name]]
            shown = ", ".join("-" if math.isnan(row["p95"]) else f"{row['p95']:.0f}"
                              for row in at_level)
            overall = median([failed_as_slowest(row["p95"]) for row in at_level])
            closes, close = across([row["steps"]["close"] for row in at_level])
            errors = ", ".join(str(sum(row["errors"].values())) for row in at_level)
            print(f"{name:14} {level:5}  {shown:>20} {overall:7.0f}  {closes:>20} "
                  f"{'-' if math.isnan(close) else f'{close:.0f}':>7}  {errors}")
    print()
    for name in names:
        for rows in results[name]:
            passed = next((row["visitors"] for row in rows if not row["p95"] <= GOAL_MS), None)
            kinds = sum((row["errors"] for row in rows), Counter())
            print(f"{name} run {rows[0]['run']}: p95 passes {GOAL_MS:.0f} ms at "
                  f"{passed if passed else f'none up to {max(levels)}'} visitors"
                  f"{'; errors: ' + dict(kinds).__repr__() if kinds else ''}")
    for name in names:
        summary(name, results[name], levels)


if __name__ == "__main__":
    main()
