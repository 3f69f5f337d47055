#!/usr/bin/env bash
# Start the app with the project's settings (.streamlit/config.toml); extra arguments go to
# `streamlit run`, for example --server.port 8600. Expects scripts/setup.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m streamlit run app.py "$@"
