#!/usr/bin/env bash
# Set up what the app needs (with --test: what its tests need too) on Debian, idempotently.
# Needs root only when a Debian package is missing (python3-venv; chromium for tests).
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements.txt
packages=()
if [ "${1:-}" = "--test" ]; then
  requirements=requirements-test.txt
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  # A font with wide Unicode coverage, so browser screenshots and checks see real glyphs.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
fi
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3-venv)
fi
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: these Debian packages are missing: ${packages[*]}. Run as root, or install them." >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# Reinstall only when a requirements file changed since the last successful install.
stamp=.venv/.installed-$requirements
wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing Python packages from $requirements"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
fi
