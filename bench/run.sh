#!/usr/bin/env bash
# Archive and search benchmarks of gongkai, with omindex (Xapian Omega) as the
# reference for archiving speed. Figures are printed and written to OUT_DIR.
#
# usage: bench/run.sh BUILD_DIR OUT_DIR [SCALED_DIR]
#
#   BUILD_DIR   a Release build of this tree (holds cli/gongkai, bench/gk_search_bench)
#   OUT_DIR     created; receives the data directories, raw outputs and summary.txt
#   SCALED_DIR  where bench/make_scaled.py writes the ~100,000-file corpus
#               (default OUT_DIR/scaled-corpus); keep it outside the repository
#
# Environment:
#   CORPUS=DIR        the shared corpus (default: <repo>/../shared/corpus)
#   SKIP_SCALED=1     stop after the 2,155-document runs (a)-(c)
#   SCALED_TOTAL=N    files in the scaled corpus (default 100000)
#   RUNS=N            timed runs per query (default 5; the scaled queries use 4x)
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,18p' "$0" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
REPO=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$REPO/../shared/corpus}
CORPUS=$(cd "$CORPUS" && pwd)
TEXTS=$CORPUS/texts
QUERIES=$CORPUS/queries.tsv
SCALED=${3:-$OUT/scaled-corpus}
SCALED_TOTAL=${SCALED_TOTAL:-100000}
RUNS=${RUNS:-5}
GK=$BUILD/cli/gongkai
SB=$BUILD/bench/gk_search_bench
SUMMARY=$OUT/summary.txt

for f in "$GK" "$SB"; do
    [ -x "$f" ] || { echo "run.sh: $f missing: build with cmake --build $BUILD" >&2; exit 1; }
done
[ -d "$TEXTS" ] || { echo "run.sh: no corpus at $TEXTS (set CORPUS=)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
if ! command -v omindex >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y xapian-omega >&2
    else
        echo "run.sh: omindex missing: apt-get install xapian-omega" >&2
        exit 1
    fi
fi

log() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
: >"$SUMMARY"

log "# gongkai benchmarks, $(date -u '+%Y-%m-%d %H:%M:%SZ')"
log "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), RAM $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
log "load average at start: $(cut -d" " -f1-3 /proc/loadavg) (other work on the machine disturbs the figures)"
log "gongkai $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet 2>/dev/null || echo ' (+uncommitted changes)'), $(omindex --version | head -1)"
log ""

# bytes of the files named (0 when absent)
bytes() { du -sb "$@" 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'; }

# report LABEL DOCS INPUT_BYTES TIMEFILE: one line of archive figures from /usr/bin/time -v output
report() {
    local label=$1 docs=$2 inbytes=$3 tf=$4
    python3 - "$label" "$docs" "$inbytes" "$tf" <<'EOF' | tee -a "$SUMMARY"
import re, sys
label, docs, inbytes, tf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
t = open(tf).read()
def num(key):
    return float(re.search(re.escape(key) + r"[^:]*: ([0-9.:]+)", t).group(1).split()[0])
user, sys_ = num("User time"), num("System time")
w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1).split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
rss = num("Maximum resident set size") / 1024
print("%-28s docs %7d  wall %8.1f s  cpu %8.1f s (user %.1f + sys %.1f)  %8.1f docs/s  %6.2f MB/s  peak RSS %7.1f MB"
      % (label, docs, wall, user + sys_, user, sys_, docs / wall, inbytes / 1e6 / wall, rss))
EOF
}

# docs/s of a report line
rate() { sed -n "s/^$1 .* \([0-9.]*\) docs\/s.*/\1/p" "$SUMMARY" | tail -1; }

# ---------------------------------------------------------------- (a) archive 2,155 texts
NDOCS=$(find "$TEXTS" -type f -name '*.md' | wc -l)
INBYTES=$(find "$TEXTS" -type f -name '*.md' -printf '%s\n' | awk '{s += $1} END {print s}')
log "## (a) gongkai archive, $NDOCS texts, $((INBYTES / 1000000)) MB"
rm -rf "$OUT/gk-small"
/usr/bin/time -v -o "$OUT/archive-small.time" \
    "$GK" --data "$OUT/gk-small" archive "$TEXTS" --json >"$OUT/archive-small.json"
ADDED=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["added"], d["duplicate"], d["failed"])' "$OUT/archive-small.json")
log "added/duplicate/failed: $ADDED"
report gongkai-archive "$NDOCS" "$INBYTES" "$OUT/archive-small.time"
log "sizes: index $(bytes "$OUT/gk-small/index") B, catalogue $(bytes "$OUT"/gk-small/catalogue.db*) B, objects $(bytes "$OUT/gk-small/objects") B, total $(bytes "$OUT/gk-small") B"
log ""

# ---------------------------------------------------------------- (b) omindex on the same texts
log "## (b) omindex, XAPIAN_CJK_NGRAM=1, same texts"
rm -rf "$OUT/omega-small"
XAPIAN_CJK_NGRAM=1 /usr/bin/time -v -o "$OUT/omindex-small.time" \
    omindex --db "$OUT/omega-small" --url / --mime-type=md:text/plain "$TEXTS" >"$OUT/omindex-small.log" 2>&1
log "documents in the omindex database: $(xapian-delve "$OUT/omega-small" 2>/dev/null | sed -n 's/^number of documents = //p')"
report omindex "$NDOCS" "$INBYTES" "$OUT/omindex-small.time"
log "sizes: database $(bytes "$OUT/omega-small") B"
log "ratio gongkai/omindex documents/s: $(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$(rate gongkai-archive)" "$(rate omindex)")"
log ""

# ---------------------------------------------------------------- (c) search at 2,155 documents
log "## (c) search, all $(($(wc -l <"$QUERIES") - 1)) queries of queries.tsv, $NDOCS documents, scope all, size 10"
for f in on off; do
    "$SB" --data "$OUT/gk-small" --queries "$QUERIES" --runs "$RUNS" --warmup 1 \
        --scope all --size 10 --facets $f --snippets on --slowest 5 \
        --label "queries.tsv facets $f" >"$OUT/search-small-facets-$f.txt"
    "$SB" --data "$OUT/gk-small" --queries "$QUERIES" --runs "$RUNS" --warmup 1 \
        --scope all --size 10 --facets $f --snippets on --json \
        --label "queries.tsv facets $f" >"$OUT/search-small-facets-$f.json"
    tee -a "$SUMMARY" <"$OUT/search-small-facets-$f.txt"
done
log ""

if [ "${SKIP_SCALED:-0}" = 1 ]; then
    log "scaled runs skipped (SKIP_SCALED=1)"
    exit 0
fi

# ---------------------------------------------------------------- (d) ~100,000 documents
log "## (d) scaled corpus"
rm -rf "$SCALED"
START=$(date +%s)
python3 "$REPO/bench/make_scaled.py" "$TEXTS" "$SCALED" --total "$SCALED_TOTAL" --years 2015-2024 | tee -a "$SUMMARY"
log "generated in $(($(date +%s) - START)) s"
rm -rf "$OUT/gk-scaled"
: >"$OUT/archive-scaled.progress"
rm -f "$OUT/search-scaled.jsonl"
for y in $(seq 2015 2024); do
    n=$(find "$SCALED/$y" -type f | wc -l)
    b=$(find "$SCALED/$y" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    /usr/bin/time -v -o "$OUT/archive-scaled-$y.time" \
        "$GK" --data "$OUT/gk-scaled" archive "$SCALED/$y" --year "$y" --json >"$OUT/archive-scaled-$y.json"
    report "gongkai-archive-$y" "$n" "$b" "$OUT/archive-scaled-$y.time" >>"$OUT/archive-scaled.progress"
    tail -1 "$OUT/archive-scaled.progress"
done
python3 - "$OUT" <<'EOF' | tee -a "$SUMMARY"
import json, re, sys
out = sys.argv[1]
docs = wall = cpu = 0.0
rss = 0.0
added = dup = failed = 0
for y in range(2015, 2025):
    j = json.load(open("%s/archive-scaled-%d.json" % (out, y)))
    added += j["added"]; dup += j["duplicate"]; failed += j["failed"]
for line in open(out + "/archive-scaled.progress"):
    m = re.search(r"docs +(\d+) +wall +([0-9.]+) s +cpu +([0-9.]+) s.*peak RSS +([0-9.]+) MB", line)
    docs += int(m.group(1)); wall += float(m.group(2)); cpu += float(m.group(3)); rss = max(rss, float(m.group(4)))
print("added/duplicate/failed: %d %d %d" % (added, dup, failed))
print("%-28s docs %7d  wall %8.1f s  cpu %8.1f s  %8.1f docs/s  peak RSS %7.1f MB (max over the 10 runs)"
      % ("gongkai-archive-scaled", docs, wall, cpu, docs / wall, rss))
EOF
cat "$OUT/archive-scaled.progress" >>"$SUMMARY"
log "scaled input $(bytes "$SCALED") B on disk"
log "sizes: index $(bytes "$OUT/gk-scaled/index") B, catalogue $(bytes "$OUT"/gk-scaled/catalogue.db*) B, objects $(bytes "$OUT/gk-scaled/objects") B, total $(bytes "$OUT/gk-scaled") B"
log ""

log "## (d) search at the scaled size, scope all, size 10, snippets on, $((RUNS * 4)) runs after 2 warm-up"
# name|query|extra options
CASES=(
    "rare word|熊猫|"
    "common word|人民|"
    "4-char phrase|法律责任|"
    "two words|环境 保护|"
    "common word, year 2020|人民|--year 2020"
    "common word, sort date|人民|--sort date"
)
for f in off on; do
    for c in "${CASES[@]}"; do
        IFS='|' read -r name q extra <<<"$c"
        # shellcheck disable=SC2086
        "$SB" --data "$OUT/gk-scaled" --runs $((RUNS * 4)) --warmup 2 --scope all --size 10 \
            --facets $f --snippets on $extra --json --label "$name, facets $f" -- "$q" \
            >>"$OUT/search-scaled.jsonl"
    done
done
python3 - "$OUT/search-scaled.jsonl" <<'EOF' | tee -a "$SUMMARY"
import json, sys
print("%-34s %8s %8s %8s %8s %8s %8s" % ("case", "matches", "p50", "p90", "p99", "max", "mean"))
for line in open(sys.argv[1]):
    j = json.loads(line)
    print("%-34s %8d %8.2f %8.2f %8.2f %8.2f %8.2f" % (j["label"], j["total"], j["p50_ms"], j["p90_ms"],
          j["p99_ms"], j["max_ms"], j["mean_ms"]))
EOF
log ""
log "load average at end: $(cut -d" " -f1-3 /proc/loadavg)"
log "done $(date -u '+%Y-%m-%d %H:%M:%SZ')"
