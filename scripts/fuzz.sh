#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]     (default 30 per target)
#
# Seeds come from corpus/ and, when present, ../shared/corpus; a crash
# leaves its input in build-fuzz/crashes/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
scripts/setup.sh >/dev/null   # the Debian packages
for p in clang libclang-rt-14-dev; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p" >&2
    fi
done
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DGK_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_tokenize fuzz_extract fuzz_query >/dev/null

seeds=build-fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{text,query} build-fuzz/crashes
find corpus -type f -size -64k | head -n 60 | xargs -I{} cp {} "$seeds/text/" 2>/dev/null || true
shared=../shared/corpus
if [ -d "$shared" ]; then
    find "$shared/hostile" -type f -size -256k | xargs -I{} cp {} "$seeds/text/" 2>/dev/null || true
    ls "$shared"/formats/*.html 2>/dev/null | head -n 10 | xargs -I{} cp {} "$seeds/text/" || true
    tail -n +2 "$shared/queries.tsv" | cut -f3 | head -n 200 | split -l 1 - "$seeds/query/q"
fi
printf '"防汛 物资" -城市 OR 低保 year:2023 date:2023-01..2023-06-30 title:通知' > "$seeds/query/fields"

run() {
    local target=$1 dir=$2
    echo "fuzzing $target for ${seconds}s" >&2
    mkdir -p "build-fuzz/generated/$target"
    "build-fuzz/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
        -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 "build-fuzz/generated/$target" "$dir" 2>&1 |
        grep -E '^(stat::number_of_executed_runs|==|SUMMARY|ERROR)' >&2 || true
}
run fuzz_tokenize "$seeds/text"
run fuzz_extract "$seeds/text"
run fuzz_query "$seeds/query"
if ls build-fuzz/crashes/* >/dev/null 2>&1; then
    echo "fuzzing found crashes:" >&2
    ls -l build-fuzz/crashes >&2
    exit 1
fi
echo "fuzzing: no crashes"
