#!/usr/bin/env bash
# Browser end-to-end: the browser example in Debian's Chromium, against the fakes on 127.0.0.1
# (`npm run test:e2e`). Installs Debian's chromium with apt-get when CHROMIUM_PATH (default
# /usr/bin/chromium) is missing, which needs root, as in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "installing Debian's chromium"
  apt-get update -qq && apt-get install -y -qq chromium
fi
CHROMIUM_PATH="$CHROMIUM_PATH" npm run test:e2e
