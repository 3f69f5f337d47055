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

packages=()
# The PDF download embeds DejaVu Sans (fpdf2's own fonts are Latin-1 only); the browser
# tests use it too, for real glyphs (✓, →).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  # tests/test_nginx.py runs deploy/nginx/reflect.conf in Debian's nginx on loopback.
  [ -x /usr/sbin/nginx ] || packages+=(nginx)
  # The TLS tests make a throwaway self-signed certificate with it.
  [ -x /usr/bin/openssl ] || packages+=(openssl)
fi
if [ ${#packages[@]} -gt 0 ]; then apt_install "${packages[@]}"; fi

# A virtual environment with the installer pinned (requirements-installer.txt); its
# requirements are installed again only when a file they come from changed since the last
# successful install.
make_venv() {
  local venv=$1 stamp=$1/.installed wanted
  shift
  if [ ! -x "$venv/bin/python" ]; then
    # Debian ships venv's pip bootstrap in a separate package: install it only if needed.
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      rm -rf "$venv"
      apt_install python3-venv
      python3 -m venv "$venv"
    fi
  fi
  wanted=$(cat requirements-installer.txt "$@" | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "setup: installing Python packages in $venv from $*"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r requirements-installer.txt
    local files=()
    for file in "$@"; do files+=(-r "$file"); done
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${files[@]}"
    echo "$wanted" > "$stamp"
  fi
}

if [ "${1:-}" = "--test" ]; then
  make_venv .venv requirements.txt requirements-test.txt
  # The deployment's linters, apart: checkov's pins must not mix with Streamlit's.
  make_venv .venv-lint requirements-lint.txt
else
  make_venv .venv requirements.txt
fi
