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
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
