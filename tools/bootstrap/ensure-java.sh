#!/usr/bin/env bash
# Makes sure a Java 17+ runtime exists for DynamoDB Local, installing Debian's package if it is missing.
set -euo pipefail
java_major() { java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'; }
if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Java 17 or newer is missing. Install it (Debian: sudo apt-get install -y openjdk-17-jre-headless) and run make again." >&2
  exit 1
fi
echo "Installing openjdk-17-jre-headless from Debian for DynamoDB Local" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
