#!/usr/bin/env bash
# Set everything up, then serve the app on http://localhost:8501 (arguments go to streamlit).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash scripts/serve.sh "$@"
