#!/usr/bin/env bash
# Run every benchmark (not tests: they print figures). Needs the test set-up for the client,
# Debian's Chromium (/usr/bin/chromium) for first_render, and Debian's nginx for
# nginx_throughput (setup.sh --test installs both). interaction takes about 25 minutes (3
# rounds) and load about 27 (see README.md for the goal runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test >/dev/null
# lighthouse also needs Node.js and npm (apt-get install nodejs npm); it installs its own
# Lighthouse from bench/lighthouse/package-lock.json.
for bench in interaction memory cold_start first_render load nginx_throughput lighthouse blocking; do
  .venv/bin/python "bench/$bench.py"
  echo
done
