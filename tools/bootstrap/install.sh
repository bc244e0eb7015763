#!/usr/bin/env bash
# Installs the locked npm packages, including the Node 24 binary the project runs on.
# The machine's own Node (20 or newer) runs only the first install.
set -euo pipefail
cd "$(dirname "$0")/../.."

export SCARF_ANALYTICS=false PUPPETEER_SKIP_DOWNLOAD=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

if ! command -v npm >/dev/null 2>&1; then
  echo "npm was not found. Install Node.js 20 or newer with npm (Debian: apt-get install nodejs npm), then run make again." >&2
  exit 1
fi

# One install at a time: parallel make runs would otherwise empty node_modules under each other.
exec 9>"${TMPDIR:-/tmp}/katapp-npm.lock"
flock 9

if [ -d node_modules/.bin ]; then
  # An existing tree is brought up to the lockfile in place; "npm ci" would delete it first.
  npm install --no-audit --no-fund --prefer-offline --loglevel=error
else
  npm ci --no-audit --no-fund --loglevel=error
fi

node_binary=node_modules/.bin/node
if ! "$node_binary" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)'; then
  echo "node_modules/.bin/node is not Node 24 after the install; remove node_modules and run make install again." >&2
  exit 1
fi
echo "Installed npm packages; Node $("$node_binary" -v) from node_modules/.bin runs every target."
