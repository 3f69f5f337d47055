"""Check the content files: ``python -m reflect check [folder]``. Exits 1 on any problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reflect.content import ContentError, load_content

DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m reflect", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate questions.yaml, helplines.yaml "
                                "and explanations/")
    check.add_argument("folder", nargs="?", type=Path, default=DEFAULT_ROOT,
                       help="the folder holding the content (default: this project)")
    args = parser.parse_args(argv)
    try:
        content = load_content(args.folder)
    except ContentError as err:
        print(f"The content has {len(err.problems)} problem(s):", file=sys.stderr)
        for problem in err.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    lines = len(content.helplines.crisis) + len(content.helplines.finding)
    print(
        f"Content OK: {len(content.patterns)} patterns, {len(content.answers)} answers, "
        f"languages {', '.join(content.languages)}, {lines} help lines "
        f"(last verified {content.helplines.last_verified.isoformat()})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
