#!/usr/bin/env bash
# test.sh: the whole test suite, as CI runs it: clang-format and cppcheck
# checks, a build with -Werror, cmocka unit tests and fuzz-corpus replays
# normally and under ASan+UBSan, then the integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/deps-browser.sh || echo "test.sh: Chromium or playwright-core unavailable; the browser tests will skip"
jobs="$(nproc 2>/dev/null || echo 2)"
make format-check lint
make -j"$jobs" WERROR=1 all
make -j"$jobs" WERROR=1 check
make -j"$jobs" WERROR=1 MODE=asan check
echo "test.sh: all tests passed"
