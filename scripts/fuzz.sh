#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]     (default 30 per target)
#
# Every fuzz/fuzz_<name>.c is a target. Seeds come from corpus/ and, when
# present, ../shared/corpus (the smallest files of each format, the real
# third-party samples and the hostile files); a crash or a timeout leaves
# its input in build-fuzz/crashes/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
scripts/setup.sh >/dev/null   # the Debian packages
for p in clang libclang-rt-14-dev; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null; then
        sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p" >&2
    fi
done
targets=$(cd fuzz && ls fuzz_*.c | sed 's/\.c$//')
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DGK_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build build-fuzz -j"$(nproc)" --target $targets >/dev/null

shared=../shared/corpus
seeds=build-fuzz/seeds
rm -rf "$seeds" build-fuzz/crashes && mkdir -p "$seeds" build-fuzz/crashes

# Copy into seed directory $1 the files matching the globs that follow,
# the smallest first, at most 12 per glob and none above 512 KB.
seed() {
    local dir="$seeds/$1"; shift
    mkdir -p "$dir"
    local g f
    for g in "$@"; do
        local files=()
        # shellcheck disable=SC2206
        for f in $g; do [ -f "$f" ] && files+=("$f"); done
        ((${#files[@]})) || continue
        while IFS= read -r f; do
            [ "$(stat -c %s "$f")" -le 524288 ] && cp "$f" "$dir/"
        done < <(ls -S -r "${files[@]}" | head -n 12)
    done
    return 0
}
seed text 'corpus/*/*.txt' 'corpus/*/*.md' 'corpus/*/*.html' "$shared/hostile/*.txt" \
     "$shared/hostile/*.html" "$shared/formats/*.html"
seed extract 'corpus/*/*' "$shared/hostile/*" "$shared/real/*"
seed pdf 'corpus/*/*.pdf' "$shared/formats/*.pdf" "$shared/real/*.pdf" "$shared/hostile/*.pdf"
seed docx 'corpus/*/*.docx' "$shared/formats/*.docx" "$shared/real/*.docx" "$shared/hostile/*.docx"
seed xlsx 'corpus/*/*.xlsx' "$shared/formats/*.xlsx"
seed pptx "$shared/formats/*.pptx"
seed odf 'corpus/*/*.odt' "$shared/formats/*.odt"
seed ofd "$shared/real/*.ofd"
seed doc 'corpus/*/*.doc' "$shared/formats/*.doc" "$shared/hostile/*.doc"
seed xls "$shared/real/*.xls"
seed rtf 'corpus/*/*.rtf' "$shared/formats/*.rtf" "$shared/hostile/*.rtf"
seed govmeta 'corpus/*/*.txt' "$shared/govdocs/*.txt"
mkdir -p "$seeds/manifest"
printf '件号,责任者,文号,题名,日期,页数,密级/公开属性,备注,文件名\r\n1,青山县人民政府,青政发〔2023〕12号,"关于""低保""的通知",20230512,3,主动公开,,2023/G0001.txt\r\n2,,,纪要,2024年3月8日,,秘密★1年,,b.pdf\r\n' \
    > "$seeds/manifest/utf8.csv"
mkdir -p "$seeds/query"
if [ -d "$shared" ]; then
    # sed rather than head: head closing the pipe early fails it under pipefail.
    sed -n '2,201p' "$shared/queries.tsv" | cut -f3 | split -l 1 - "$seeds/query/q"
fi
printf '"防汛 物资" -城市 OR 低保 year:2023 date:2023-01..2023-06-30 title:通知' > "$seeds/query/fields"

export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}"
for target in $targets; do
    name=${target#fuzz_}
    case $name in
        tokenize) dir=$seeds/text; max_len=65536 ;;
        govmeta | manifest) dir=$seeds/$name; max_len=65536 ;;
        query) dir=$seeds/query; max_len=4096 ;;
        *) dir=$seeds/$name; max_len=262144 ;;
    esac
    # libgsf loses directory entries of some malformed OLE2 files; its
    # frames are not unwound (no frame pointers), so scripts/lsan.supp
    # cannot name it: targets reaching libgsf run without leak detection
    # (the unit tests under ASan keep it for our own code).
    case $name in doc | xls | extract) leaks=0 ;; *) leaks=1 ;; esac
    mkdir -p "$dir" "build-fuzz/generated/$target"
    echo "fuzzing $target for ${seconds}s" >&2
    ASAN_OPTIONS="detect_leaks=$leaks" "build-fuzz/fuzz/$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 \
        -detect_leaks="$leaks" \
        -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 "build-fuzz/generated/$target" "$dir" 2>&1 |
        grep -E '^(stat::number_of_executed_runs|==|SUMMARY|ERROR)' >&2 || true
done
if ls build-fuzz/crashes/* >/dev/null 2>&1; then
    echo "fuzzing found crashes:" >&2
    ls -l build-fuzz/crashes >&2
    exit 1
fi
echo "fuzzing: no crashes"
