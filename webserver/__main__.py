"""`python -m webserver <streamlit run options> [-- <the app's options>]`: check, then serve.

One process: the settings and the start are checked before Streamlit starts (so an invalid
mode never prints a URL), then Streamlit's own command line runs server.py in this same
process. A second Python process just for the check cost about 0.3 s of every cold start.
"""

from __future__ import annotations

import sys
from pathlib import Path

from webserver.app import check_settings, check_site, check_start

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    settings = check_settings(argv[argv.index("--") + 1:] if "--" in argv else [])
    check_start()
    check_site(ROOT, settings)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "server.py"), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
