"""Lighthouse: a first visit on the mobile and desktop presets, bare app vs ours vs ours+nginx.

Lighthouse 12.2.3 from npm (bench/lighthouse/package.json; 13 needs Node 22), driving Debian's
Chromium (CHROME_PATH=/usr/bin/chromium, the launch flags of streamlit-facts.md, headless),
with its default simulated throttling (Lantern): "mobile" is Lighthouse's default (a mid-range
phone on slow 4G, 4x CPU slowdown), "desktop" is --preset=desktop. Each run is a fresh
Lighthouse with a clean Chromium profile, so every run is a first visit (empty HTTP cache).

Targets, one at a time, each started fresh and warmed by one plain GET of / before measuring:
- bare: `streamlit run bench/bare_app.py`, the default a user would get (common.Server).
- ours: our app as the README runs it, scripts/serve.sh (common.Server).
- ours+nginx: ONE scripts/serve.sh process behind Debian's nginx with deploy/nginx/reflect.conf
  built exactly as tests/nginx_support.py builds it (gzip on text, /static/ kept a year). One
  backend, not three: Lighthouse is a single visitor, so the other processes would only idle.
Both apps read the project's .streamlit/config.toml (theme, minimal toolbar, no usage
statistics), the same for both: "bare" is `streamlit run` with that file, not with every one
of Streamlit's defaults.

Figures per run, from Lighthouse's JSON: bytes on the first visit (total-byte-weight, bytes
transferred), requests (network-requests items), first contentful paint, largest contentful
paint, time to interactive, total blocking time (ms), and the performance and accessibility
scores. The runs alternate: each round starts every target afresh in turn. The table shows the
median of the runs; then the issue's goals, for ours and for ours+nginx, against bare.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import CHROMIUM, CHROMIUM_FLAGS, ROOT, Server, machine, median, time_limit
from nginx_throughput import Nginx  # Debian's nginx, started by tests/nginx_support.py

PACKAGE = ROOT / "bench" / "lighthouse"  # package.json and package-lock.json
LIGHTHOUSE = PACKAGE / "node_modules" / ".bin" / "lighthouse"
# Through nginx the page is served over TLS with a throwaway certificate.
CHROME_FLAGS = " ".join(["--headless=new", "--ignore-certificate-errors", *CHROMIUM_FLAGS])
NODE_MINIMUM = (18, 16)  # Lighthouse 12's "engines"; Debian 12's nodejs is 18.20
TARGETS = ("bare", "ours", "ours+nginx")
PRESETS = ("mobile", "desktop")
RUNS = 3
RUN_TIMEOUT = 120  # seconds for one Lighthouse run
RUN_LIMIT_SECONDS = 20 * 60  # a backstop: the whole benchmark stops by itself after this
FIGURES = ("bytes", "requests", "fcp", "lcp", "tti", "tbt", "performance", "accessibility")
GOALS = {"bytes": 0.45, "fcp_mobile_s": 2.5, "tti": 0.6, "tbt_ms": 200, "accessibility": 1.0}


def need_lighthouse() -> str:
    """Check Node, install Lighthouse from the lock file if it is missing; its version."""
    advice = ("bench/lighthouse.py needs Node.js 18.16 or later and npm: "
              "apt-get install nodejs npm (as root), then run it again.")
    node = shutil.which("node")
    if node is None:
        sys.exit(advice)
    version = subprocess.run([node, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    if tuple(int(part) for part in version.lstrip("v").split(".")[:2]) < NODE_MINIMUM:
        sys.exit(f"Node.js {version} is too old. " + advice)
    wanted = json.loads((PACKAGE / "package.json").read_text())["dependencies"]["lighthouse"]
    installed = PACKAGE / "node_modules" / "lighthouse" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != wanted:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(advice)
        print(f"Installing Lighthouse {wanted} into bench/lighthouse/node_modules "
              f"(npm ci)", file=sys.stderr)
        subprocess.run([npm, "ci", "--prefix", str(PACKAGE), "--no-audit", "--no-fund"],
                       check=True, stdout=sys.stderr)
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: bash scripts/setup.sh --test installs it.")
    return f"Node {version}"


def lighthouse(url: str, preset: str, folder: Path) -> dict:
    """One Lighthouse run with a clean profile; the JSON report (lhr)."""
    folder.mkdir()
    report = folder / "report.json"
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}",
               "--only-categories=performance,accessibility", "--quiet",
               "--no-enable-error-reporting", f"--chrome-flags={CHROME_FLAGS}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    # TMPDIR: chrome-launcher makes the profile there (mktemp), so what it leaves is ours.
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "TMPDIR": str(folder)}
    with (folder / "lighthouse.log").open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = process.wait(timeout=RUN_TIMEOUT)
        finally:
            stop_lighthouse(process, folder)
    if code != 0 or not report.exists():
        tail = (folder / "lighthouse.log").read_text(errors="replace").strip()[-600:]
        raise RuntimeError(f"lighthouse exited with {code}: {tail}")
    lhr = json.loads(report.read_text())
    if lhr.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {lhr['runtimeError'].get('message')}")
    return lhr


def stop_lighthouse(process: subprocess.Popen, folder: Path) -> None:
    """Lighthouse and the Chromium it started (chrome-launcher detaches it: its own group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for pid_file in folder.glob("lighthouse.*/chrome.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.killpg(int(pid_file.read_text().strip()), signal.SIGKILL)


def figures(lhr: dict) -> dict:
    audits, categories = lhr["audits"], lhr["categories"]

    def score(name: str) -> float:
        value = categories[name]["score"]
        return float("nan") if value is None else value

    failing = {}
    for ref in categories["accessibility"]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit["scoreDisplayMode"] in ("binary", "numeric") and audit["score"] != 1:
            nodes = [item.get("node", {}) for item in
                     (audit.get("details") or {}).get("items", [])]
            failing[ref["id"]] = {
                "title": audit["title"],
                "nodes": [(node.get("selector", ""), node.get("explanation", ""),
                           node.get("snippet", "")) for node in nodes],
            }
    return {
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tti": audits["interactive"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "failing": failing,
        "version": lhr["lighthouseVersion"],
        "agent": lhr.get("environment", {}).get("hostUserAgent", ""),
    }


@contextlib.contextmanager
def serve(target: str, folder: Path):
    """The target's server(s), warmed by one GET of /; yields the URL Lighthouse loads."""
    server = Server("bare" if target == "bare" else "ours")
    nginx = None
    try:
        server.wait_healthy()
        url = server.url
        if target == "ours+nginx":
            nginx = Nginx(folder / "nginx", [server.port])
            url = nginx.url
        urllib.request.urlopen(url + "/", timeout=30).close()
        yield url + "/"
    finally:
        if nginx is not None:
            nginx.stop()
        server.stop()


def run(results: dict, runs: int, folder: Path, save: Path | None,
        targets: tuple[str, ...] = TARGETS) -> None:
    # Rounds: each round starts every target afresh in turn (bare, ours, ours+nginx, bare,
    # ...), so a change in the machine's load falls on all of them, not on one.
    for number in range(runs):
        for target in targets:
            (folder / target / str(number)).mkdir(parents=True)
            with serve(target, folder / target / str(number)) as url:
                for preset in PRESETS:  # alternate, so a change in the machine's load hits both
                    cell = results.setdefault((target, preset), {"runs": [], "errors": []})
                    place = folder / target / f"{preset}-{number}"
                    try:
                        lhr = lighthouse(url, preset, place)
                    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as e:
                        cell["errors"].append(str(e))
                        print(f"{target} {preset} run {number + 1}: {e}", file=sys.stderr)
                        continue
                    cell["runs"].append(figures(lhr))
                    if save is not None:
                        name = f"{target.replace('+', '-')}-{preset}-{number + 1}.json"
                        shutil.copy(place / "report.json", save / name)


def medians(cell: dict) -> dict | None:
    rows = cell["runs"]
    if not rows:
        return None
    return {key: median([row[key] for row in rows]) for key in FIGURES}


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def goals(table: dict, target: str) -> None:
    """Print the issue's goals for one target against the bare app, each met or not."""
    for preset in PRESETS:
        ours, bare = table.get((target, preset)), table.get(("bare", preset))
        if ours is None or bare is None:
            print(f"  {preset}: no figures")
            continue
        ratio = ours["bytes"] / bare["bytes"]
        print(f"  first-visit bytes, {preset}: {ours['bytes'] / 1024:.0f} / "
              f"{bare['bytes'] / 1024:.0f} KiB = {ratio:.2f}x (goal <= {GOALS['bytes']}x): "
              f"{verdict(ratio <= GOALS['bytes'])}")
    ours = table.get((target, "mobile"))
    if ours is not None:
        fcp = ours["fcp"] / 1000
        print(f"  help lines painted (first contentful paint), mobile: {fcp:.2f} s "
              f"(goal <= {GOALS['fcp_mobile_s']} s): {verdict(fcp <= GOALS['fcp_mobile_s'])}")
    for preset in PRESETS:
        ours, bare = table.get((target, preset)), table.get(("bare", preset))
        if ours is None or bare is None:
            continue
        ratio = ours["tti"] / bare["tti"]
        print(f"  time to interactive, {preset}: {ours['tti']:.0f} / {bare['tti']:.0f} ms = "
              f"{ratio:.2f}x (goal <= {GOALS['tti']}x): {verdict(ratio <= GOALS['tti'])}")
    for preset in PRESETS:
        ours, bare = table.get((target, preset)), table.get(("bare", preset))
        if ours is not None and bare is not None:
            print(f"  total blocking time, {preset}: {ours['tbt']:.0f} ms (bare "
                  f"{bare['tbt']:.0f} ms; goal <= {GOALS['tbt_ms']} ms): "
                  f"{verdict(ours['tbt'] <= GOALS['tbt_ms'])}")
    for preset in PRESETS:
        ours = table.get((target, preset))
        if ours is not None:
            score = ours["accessibility"]
            print(f"  accessibility, {preset}: {score:.2f} (goal {GOALS['accessibility']}): "
                  f"{verdict(score >= GOALS['accessibility'])}")


def report(results: dict, runs: int, node: str, seconds: float) -> None:
    first = next((row for cell in results.values() for row in cell["runs"]), {})
    chromium = next((part for part in first.get("agent", "").split()
                     if part.startswith("HeadlessChrome/")), "Chromium")
    print(f"# Lighthouse {first.get('version', '?')} ({node}), {chromium} ({CHROMIUM}); "
          f"{machine()}")
    print(f"# Median of {runs} runs per target and preset, each a first visit with a clean "
          f"profile. Throttling simulated (Lantern), Lighthouse's defaults: mobile = default "
          f"preset, desktop = --preset=desktop.")
    print("# bare = streamlit run bench/bare_app.py; ours = scripts/serve.sh; ours+nginx = "
          "one scripts/serve.sh process behind deploy/nginx/reflect.conf (gzip, /static/ "
          "cached). bare and ours both read the project's .streamlit/config.toml.")
    print(f"{'target':11} {'preset':7} {'KiB':>7} {'requests':>8} {'FCP ms':>7} {'LCP ms':>7} "
          f"{'TTI ms':>7} {'TBT ms':>7} {'perf':>5} {'a11y':>5}")
    table = {}
    for target in TARGETS:
        for preset in PRESETS:
            cell = results.get((target, preset), {"runs": [], "errors": []})
            row = table[target, preset] = medians(cell)
            if row is None:
                print(f"{target:11} {preset:7} failed: {'; '.join(cell['errors'])[:200]}")
                continue
            note = f"  ({len(cell['runs'])} of {runs} runs)" if len(cell["runs"]) < runs else ""
            print(f"{target:11} {preset:7} {row['bytes'] / 1024:7.0f} {row['requests']:8.0f} "
                  f"{row['fcp']:7.0f} {row['lcp']:7.0f} {row['tti']:7.0f} {row['tbt']:7.0f} "
                  f"{row['performance']:5.2f} {row['accessibility']:5.2f}{note}")

    for target, label in (("ours", "served by the app itself (scripts/serve.sh, no proxy)"),
                          ("ours+nginx", "through deploy/ (nginx)")):
        print()
        print(f"Goals, {label}, against the bare app:")
        goals(table, target)

    failing = False
    for target in TARGETS:
        for preset in PRESETS:
            audits: dict = {}
            for row in results.get((target, preset), {"runs": []})["runs"]:
                for audit, found in row["failing"].items():
                    entry = audits.setdefault(audit, {"title": found["title"], "nodes": {}})
                    for node in found["nodes"]:
                        entry["nodes"][node] = None  # the union over runs, in order
            if not audits:
                continue
            if not failing:
                print()
                print("Failing accessibility audits (any run):")
                failing = True
            print(f"  {target} {preset}: {', '.join(audits)}")
            for audit, entry in audits.items():
                print(f"    {audit}: {entry['title']}")
                for selector, explanation, snippet in list(entry["nodes"])[:10]:
                    why = " ".join(explanation.split())
                    print(f"      {selector} {snippet[:120]}" + (f"\n        {why}" if why else ""))
    print()
    print(f"Run took {seconds:.0f} s. Each Lighthouse run loads Streamlit's front end in "
          f"Chromium (about 1 s of CPU on 2 cores); figures from a busy machine vary.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS,
                        help=f"Lighthouse runs per target and preset (default {RUNS})")
    parser.add_argument("--targets", default=",".join(TARGETS),
                        help="a comma-separated subset of " + ", ".join(TARGETS))
    parser.add_argument("--save", type=Path,
                        help="a folder to keep every Lighthouse JSON report in")
    args = parser.parse_args()
    node = need_lighthouse()
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {}
    try:
        with time_limit(RUN_LIMIT_SECONDS), \
                tempfile.TemporaryDirectory(prefix="lighthouse-bench-") as folder:
            run(results, args.runs, Path(folder), args.save,
                tuple(t for t in args.targets.split(",") if t in TARGETS))
    except TimeoutError as error:  # the backstop: report what was measured
        print(f"Stopped: {error}; the figures below are partial.", file=sys.stderr)
    with contextlib.suppress(BrokenPipeError):
        report(results, args.runs, node, time.perf_counter() - started)


if __name__ == "__main__":
    main()
