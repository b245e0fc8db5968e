#!/usr/bin/env bash
# Set up, build and run the whole test suite.
#
#   scripts/test.sh          release build, every test
#   scripts/test.sh --asan   the same under AddressSanitizer + UBSan
#
# Tests that need ../shared/corpus skip cleanly when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(scripts/setup.sh "$@" | tail -n 1)

# The browser test drives Debian's chromium with playwright-core from npm;
# without them (no network, say) it skips.
need=()
command -v node >/dev/null || need+=(nodejs npm)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
if ((${#need[@]})); then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
        echo "warning: could not install ${need[*]}: the browser test will skip" >&2
fi
if command -v npm >/dev/null && [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent) >&2 ||
        echo "warning: npm ci failed in tests/browser: the browser test will skip" >&2
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
