#!/usr/bin/env bash
# Bulk archiving side by side, on the same files in one run: gongkai archive
# with --jobs 1 and --jobs 2, omindex (Debian xapian-omega, XAPIAN_CJK_NGRAM=1)
# and recollindex (Debian recollcmd): wall time, CPU, files/s, peak RSS, and
# gongkai's ratios to each and from 1 to 2 jobs.
#
# usage: bench/bulk.sh BUILD_DIR OUT_DIR
#
#   BUILD_DIR   a build of this tree (cli/gongkai)
#   OUT_DIR     created; data directories, logs and summary.txt
#
# Environment: CORPUS=DIR (default <repo>/../shared/corpus; texts/ and
# formats/ of it are archived), SKIP_PEERS=1 (gongkai only).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/common.sh"
bench_args 15 "$@"
SUMMARY=$OUT/summary.txt
INPUTS=("$CORPUS/texts" "$CORPUS/formats")

# The peers at their best: omindex with the converters Debian pairs it with.
if [ "${SKIP_PEERS:-0}" = 1 ]; then
    need_packages time
else
    need_packages time xapian-omega recollcmd poppler-utils catdoc antiword unrtf libxml2-utils python3-lxml
fi

log() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
: >"$SUMMARY"
files=$(find "${INPUTS[@]}" -type f | wc -l)
bytes=$(find "${INPUTS[@]}" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
log "# bulk archiving, $(date -u '+%Y-%m-%d %H:%M:%SZ'): texts/ + formats/, $files files, $((bytes / 1000000)) MB"
log "machine: nproc $(nproc); load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
log "gongkai $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"

# run LABEL COMMAND...: time it (wall, CPU, peak RSS) into OUT/LABEL.time
run() {
    local label=$1; shift
    /usr/bin/time -v -o "$OUT/$label.time" "$@" >"$OUT/$label.log" 2>&1 || true
    figures "$label" "$files" "$bytes" "$OUT/$label.time" | tee -a "$SUMMARY"
}

for jobs in 1 2; do
    rm -rf "$OUT/gk-j$jobs"
    run "gongkai-j$jobs" "$GK" --data "$OUT/gk-j$jobs" archive "${INPUTS[@]}" --jobs "$jobs"
    log "   $(tail -1 "$OUT/gongkai-j$jobs.log")"
done

if [ "${SKIP_PEERS:-0}" != 1 ]; then
    rm -rf "$OUT/omega"
    # The shared texts are Markdown, which omindex skips unless told it is text.
    run omindex env XAPIAN_CJK_NGRAM=1 sh -c \
        "omindex --db '$OUT/omega' --url /texts --mime-type=md:text/plain '$CORPUS/texts' && omindex --no-delete --db '$OUT/omega' --url /formats '$CORPUS/formats'"
    log "   omindex: $(xapian-delve "$OUT/omega" 2>/dev/null | sed -n 's/^number of documents = //p') documents"
    rm -rf "$OUT/recoll" && mkdir -p "$OUT/recoll"
    printf 'topdirs = %s %s\ndbdir = %s/xapiandb\n' "$CORPUS/texts" "$CORPUS/formats" "$OUT/recoll" \
        >"$OUT/recoll/recoll.conf"
    run recollindex env RECOLL_CONFDIR="$OUT/recoll" recollindex -c "$OUT/recoll"
    log "   recollindex: $(xapian-delve "$OUT/recoll/xapiandb" 2>/dev/null | sed -n 's/^number of documents = //p') documents"
fi

python3 - "$OUT" <<'PY' | tee -a "$SUMMARY"
import os, re, sys
out = sys.argv[1]
def wall(label):
    p = os.path.join(out, label + ".time")
    if not os.path.exists(p):
        return None
    w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", open(p).read()).group(1).split(":")
    return sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
g1, g2 = wall("gongkai-j1"), wall("gongkai-j2")
print(f"gongkai --jobs 1 → 2: {g1 / g2:.2f}x")
for peer in ("omindex", "recollindex"):
    w = wall(peer)
    if w:
        print(f"gongkai (--jobs 2) vs {peer}: {w / g2:.2f}x the files/s")
PY
