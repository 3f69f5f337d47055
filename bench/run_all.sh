#!/usr/bin/env bash
# Run every benchmark (not tests: they print figures). Needs the test set-up for the client.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test >/dev/null
for bench in interaction memory cold_start; do
  .venv/bin/python "bench/$bench.py"
  echo
done
