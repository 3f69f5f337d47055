#!/usr/bin/env bash
# Set up what the app needs (with --test: what its tests need too) on Debian, idempotently.
# Needs root only when a Debian package is missing (python3-venv; chromium and nginx for
# tests).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "setup: these Debian packages are missing: $*. Run as root, or install them." >&2
    exit 1
  fi
  echo "setup: installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}

requirements=requirements.txt
packages=()
# The PDF download embeds DejaVu Sans (fpdf2's own fonts are Latin-1 only); the browser
# tests use it too, for real glyphs (✓, →).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  requirements=requirements-test.txt
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  # tests/test_nginx.py runs deploy/nginx/reflect.conf in Debian's nginx on loopback.
  [ -x /usr/sbin/nginx ] || packages+=(nginx)
fi
if [ ${#packages[@]} -gt 0 ]; then apt_install "${packages[@]}"; fi

if [ ! -x .venv/bin/python ]; then
  # Debian ships venv's pip bootstrap in a separate package: install it only if needed.
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    apt_install python3-venv
    python3 -m venv .venv
  fi
fi

# Reinstall only when a requirements file changed since the last successful install.
stamp=.venv/.installed-$requirements
wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing Python packages from $requirements"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
fi
