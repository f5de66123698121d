#!/usr/bin/env bash
# deps-browser.sh: what the browser tests need beyond scripts/deps.sh:
# Chromium, node and npm, then playwright-core from npm into
# tests/browser/node_modules (npm ci, pinned by
# tests/browser/package-lock.json). It checks for the commands, not for
# Debian package names: a node installed some other way (with its own npm,
# which conflicts with Debian's npm package) is used as it is, and only a
# missing command is installed from Debian. playwright-core downloads no
# browser: the tests drive /usr/bin/chromium. Exits non-zero if something
# could not be installed; the browser tests then skip with a message, or
# fail under CI (CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

want=(fonts-dejavu-core curl python3)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || want+=(chromium)
command -v node >/dev/null || want+=(nodejs)
command -v npm >/dev/null || want+=(npm)
scripts/deps.sh "${want[@]}"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
