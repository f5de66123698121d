#!/usr/bin/env bash
# deps-browser.sh: what the browser tests need beyond scripts/deps.sh:
# Debian's chromium and npm (apt-get, via sudo when not root), then
# playwright-core from npm into tests/browser/node_modules (npm ci, pinned
# by tests/browser/package-lock.json). playwright-core downloads no browser:
# the tests drive /usr/bin/chromium. Exits non-zero if something could not
# be installed; the browser tests then skip with a message.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh chromium npm fonts-dejavu-core curl python3
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
