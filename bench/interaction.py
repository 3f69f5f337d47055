"""Benchmark 1: server time per interaction, our app against the bare app, same run.

One visitor at a time speaks Streamlit's websocket protocol on loopback; the time from
sending an interaction to the run's end is the server's time for it (loopback adds tens of
microseconds). Goal: median at most 1.15x the bare app's, p95 at most 1.3x.

A pause of PAUSE_SECONDS comes before each interaction, as a reader's would. Without it, an
interaction sent the moment the last run ended took about 44 ms in both apps however little
they did: a wait on the connection, not work, which hid the difference between the apps. The
server's CPU time per interaction is printed too; it shows the work itself.
"""

from __future__ import annotations

import asyncio
import time

from common import Server, Session, cpu_seconds, machine, median, percentile

CYCLES = 40
WARM_UP_CYCLES = 5
PAUSE_SECONDS = 0.25


async def timed(samples: dict, kind: str, action) -> None:
    await asyncio.sleep(PAUSE_SECONDS)
    started = time.perf_counter()
    await action
    samples.setdefault(kind, []).append((time.perf_counter() - started) * 1000)


async def measure(url: str, cycles: int = CYCLES) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {}
    async with Session(url) as tab:
        for _ in range(cycles):
            await timed(samples, "step", tab.press("Start the reflection"))
            await timed(samples, "answer", tab.choose("Sometimes"))
            await timed(samples, "step", tab.press("Next"))
            await timed(samples, "back", tab.press("Back"))
            await timed(samples, "step", tab.press("Next"))
            for _ in range(2):
                await timed(samples, "answer", tab.choose("Not really"))
                await timed(samples, "step", tab.press("Next"))
            await timed(samples, "answer", tab.choose("This sounds like me"))
            await timed(samples, "reflection", tab.press("Next"))
            await timed(samples, "start over", tab.press("Start over"))
            if "Yes, clear them" in tab.screen.text():  # ours asks first; the bare app does not
                await timed(samples, "start over", tab.press("Yes, clear them"))
    return samples


def main() -> None:
    results, cpu = {}, {}
    for app in ("bare", "ours"):
        server = Server(app)
        server.wait_healthy()
        asyncio.run(measure(server.url, WARM_UP_CYCLES))  # warm up: imports, caches, first runs
        before = cpu_seconds(server.pid())
        results[app] = asyncio.run(measure(server.url))
        interactions = sum(len(samples) for samples in results[app].values())
        cpu[app] = (cpu_seconds(server.pid()) - before) * 1000 / interactions
        server.stop()
    print(f"# Interaction cost ({machine()}), {CYCLES} cycles each, a {PAUSE_SECONDS} s pause "
          f"before each interaction, ms")
    print(f"{'interaction':12} {'bare p50':>9} {'ours p50':>9} {'ratio':>6} "
          f"{'bare p95':>9} {'ours p95':>9} {'ratio':>6}")
    for kind in ("step", "back", "reflection", "start over", "answer"):
        bare, ours = results["bare"][kind], results["ours"][kind]
        b50, o50 = median(bare), median(ours)
        b95, o95 = percentile(bare, 0.95), percentile(ours, 0.95)
        print(f"{kind:12} {b50:9.1f} {o50:9.1f} {o50 / b50:6.2f} {b95:9.1f} {o95:9.1f} "
              f"{o95 / b95:6.2f}")
    print(f"server CPU per interaction, ms: bare {cpu['bare']:.1f}, ours {cpu['ours']:.1f}, "
          f"ratio {cpu['ours'] / cpu['bare']:.2f}")


if __name__ == "__main__":
    main()
