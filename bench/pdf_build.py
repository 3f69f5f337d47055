"""Building the take-home PDF: the first build, then the median of the next 30, in this
process and through the PDF process the server uses (reflect/pdf_process.py).

Not a test: it prints figures. The close screen gets one PDF per visitor, so the figure that
matters is a build after the first in a long-running process. Wall-clock times, and the CPU
time of this process, which other work on a shared machine disturbs less. Through the PDF
process, the wall-clock time is what a reader's run waits (the document down the pipe, the
PDF made with its fonts copied ahead, the PDF back), and the CPU is this process's alone,
which is what the server's interpreter spends on it. Run:
.venv/bin/python bench/pdf_build.py [--builds N]
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reflect.content import load_content  # noqa: E402
from reflect.pdf_process import PdfProcess  # noqa: E402
from reflect.reflection import build_reflection  # noqa: E402
from reflect.summary import build_summary, new_token, pdf_document, summary_pdf  # noqa: E402

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
    worker = PdfProcess()
    worker.start()
    makers = {"here": lambda summary: summary_pdf(content, summary),
              "PDF process": lambda summary: worker(pdf_document(content, summary))}
    for (name, choices), (where, make) in itertools.product(files.items(), makers.items()):
        times, cpu = [], []
        for _ in range(builds + 1):
            # A new file code each time, as the close screen makes one for each build.
            summary = build_summary(content, reflection, "en", date=datetime.date(2026, 12, 3),
                                    token=new_token(), **choices)
            started, started_cpu = time.perf_counter(), time.process_time()
            data = make(summary)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        # Here, the first build of the process imports fpdf2 and parses the fonts; the PDF
        # process did both as it started.
        first, rest = times[0], times[1:]
        print(f"{name:20} {where:11} first {first:6.1f}  median {statistics.median(rest):6.1f}  "
              f"min {min(rest):6.1f}  max {max(rest):6.1f}  "
              f"CPU median {statistics.median(cpu[1:]):6.1f}  ({len(data)} bytes)")
    worker.close()


if __name__ == "__main__":
    main()
