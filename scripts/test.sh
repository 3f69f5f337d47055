#!/usr/bin/env bash
# Set everything up (Chromium included), then lint, check the content and run every test.
# Arguments go to pytest, for example: bash scripts/test.sh -k browser
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/python -m ruff check .
.venv/bin/python -m reflect check
# -m "" runs every test, the server and browser ones too (plain pytest runs the fast set).
exec .venv/bin/python -m pytest -m "" "$@"
