#!/usr/bin/env bash
# Makes sure Debian's Chromium exists for the browser tests, installing it if it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing. Install it (Debian: sudo apt-get install -y chromium) and run make again." >&2
  exit 1
fi
echo "Installing chromium from Debian for the browser tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
