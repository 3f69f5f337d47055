#!/usr/bin/env bash
# Start the app with the project's settings (.streamlit/config.toml). Arguments go to
# `streamlit run`; the app's own come after --, for example:
#   bash scripts/serve.sh --server.port 8600 -- --mode kiosk --idle-seconds 60
# The settings are checked first, in the same process, so an invalid mode stops here with a
# clear message and exit status 2.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m webserver "$@"
