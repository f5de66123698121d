#!/usr/bin/env bash
# web_browser.sh: runs the headless-Chromium browser tests
# (tests/browser/run.sh) as part of `make check`. They skip with a message
# when Chromium or playwright-core cannot be had.
set -u
exec bash "$(dirname "$0")/../browser/run.sh"
