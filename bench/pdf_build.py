"""Building the take-home PDF in one process: the first build, then the median of the next 30.

Not a test: it prints figures. The close screen builds one PDF per visitor, each in its own
session's thread, so the figure that matters is a build after the first in a long-running
server process. Wall-clock times, and the CPU time of the process, which other work on a
shared machine disturbs less. Run: .venv/bin/python bench/pdf_build.py [--builds N]
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reflect.content import load_content  # noqa: E402
from reflect.reflection import build_reflection  # noqa: E402
from reflect.summary import build_summary, new_token, summary_pdf  # noqa: E402

ANSWERS = {"relief": "sounds_like_me", "escape": "sometimes", "escalation": "sounds_like_me",
           "loop": "sometimes"}
NOTE = "Mañana hablo con alguien — talk to someone I trust this week."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=30)
    builds = parser.parse_args().builds
    content = load_content(ROOT)
    reflection = build_reflection(content, ANSWERS, "en")

    files = {
        # What the close screen builds as it first shows: nothing ticked yet.
        "close, nothing kept": {"chosen": (), "include_help": False},
        # A reader who kept every pattern, the help lines, the cycle and a short note.
        "fullest file": {"chosen": tuple(ANSWERS), "include_help": True, "note": NOTE,
                         "include_cycle": True},
    }
    print(f"# PDF build (Python {platform.python_version()}, {platform.machine()}), "
          f"{builds} builds after the first, ms")
    for name, choices in files.items():
        times, cpu = [], []
        for _ in range(builds + 1):
            # A new file code each time, as the close screen makes one for each build.
            summary = build_summary(content, reflection, "en", date=datetime.date(2026, 12, 3),
                                    token=new_token(), **choices)
            started, started_cpu = time.perf_counter(), time.process_time()
            data = summary_pdf(content, summary)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        # The first build of the process imports fpdf2 (and, since issue 25, parses the fonts).
        first, rest = times[0], times[1:]
        print(f"{name:20} first {first:6.1f}  median {statistics.median(rest):6.1f}  "
              f"min {min(rest):6.1f}  max {max(rest):6.1f}  "
              f"CPU median {statistics.median(cpu[1:]):6.1f}  ({len(data)} bytes)")


if __name__ == "__main__":
    main()
