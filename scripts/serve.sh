#!/usr/bin/env bash
# Start the app with the project's settings (.streamlit/config.toml). Arguments go to
# `streamlit run`; the app's own come after --, for example:
#   bash scripts/serve.sh --server.port 8600 -- --mode kiosk --idle-seconds 60
# Settings are checked first, so an invalid mode stops here with a clear message.
set -euo pipefail
cd "$(dirname "$0")/.."
app_args=()
seen=0
for arg in "$@"; do
  if [ "$seen" = 1 ]; then app_args+=("$arg"); fi
  if [ "$arg" = "--" ]; then seen=1; fi
done
.venv/bin/python -m reflect settings -- "${app_args[@]}" >/dev/null
exec .venv/bin/python -m streamlit run server.py "$@"
