#!/usr/bin/env bash
# Archiving speed per document format, and side by side with omindex on the
# whole of the shared formats/ folder. Figures are printed and written to
# OUT_DIR/formats-summary.txt.
#
# usage: bench/formats.sh BUILD_DIR OUT_DIR
#
#   BUILD_DIR   a Release build of this tree (holds cli/gongkai)
#   OUT_DIR     created; receives the data directories and raw outputs
#
# Environment:
#   CORPUS=DIR      the shared corpus (default: <repo>/../shared/corpus)
#   SKIP_OMINDEX=1  leave out the omindex run (about 6 minutes)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/common.sh"
bench_args 14 "$@"
FORMATS=$CORPUS/formats
SUMMARY=$OUT/formats-summary.txt
[ -x "$GK" ] || { echo "formats.sh: $GK missing: build with cmake --build $BUILD" >&2; exit 1; }
[ -d "$FORMATS" ] || { echo "formats.sh: no corpus at $FORMATS (set CORPUS=)" >&2; exit 1; }

# omindex converts with external programs: install the ones Debian's
# xapian-omega uses for these formats, so that it is measured at its best.
need_packages time xapian-omega poppler-utils catdoc antiword unrtf libxml2-utils

log() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
figures_log() { figures "$@" | tee -a "$SUMMARY"; }
: >"$SUMMARY"
log "# gongkai archiving by format, $(date -u '+%Y-%m-%d %H:%M:%SZ')"
log "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
log "load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
log "gongkai $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet 2>/dev/null || echo ' (+uncommitted changes)'), $(omindex --version | head -1)"
log ""


# ------------------------------------------------------------ per format
log "## gongkai archive, one format at a time (fresh data directory each)"
formats=("pdf:*.pdf:*.scan.pdf" "scan.pdf:*.scan.pdf:" "docx:*.docx:" "doc:*.doc:" "odt:*.odt:" "rtf:*.rtf:"
         "html:*.html:" "gb18030.txt:*.gb18030.txt:" "utf16le.txt:*.utf16le.txt:" "xlsx:*.xlsx:")
for spec in "${formats[@]}"; do
    IFS=: read -r name glob exclude <<<"$spec"
    dir=$OUT/in/$name
    rm -rf "$dir" "$OUT/gk-$name" && mkdir -p "$dir"
    for f in "$FORMATS"/$glob; do
        # shellcheck disable=SC2053
        [ -n "$exclude" ] && [[ $(basename "$f") == $exclude ]] && continue
        ln -s "$f" "$dir/"
    done
    files=$(find "$dir" -type l | wc -l)
    bytes=$(find -L "$dir" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    /usr/bin/time -v -o "$OUT/gk-$name.time" "$GK" --data "$OUT/gk-$name" archive "$dir" --json \
        >"$OUT/gk-$name.json" 2>"$OUT/gk-$name.err" || true
    pages=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COALESCE(SUM(pages),0) FROM items').fetchone()[0])" "$OUT/gk-$name/catalogue.db")
    failed=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['failed'])" "$OUT/gk-$name.json")
    figures_log "$name" "$files" "$bytes" "$OUT/gk-$name.time" "$([ "$name" = pdf ] && echo "$pages")"
    [ "$failed" = 0 ] || log "   $failed failed: see $OUT/gk-$name.json"
done
log ""

# ------------------------------------------------------------ the whole folder, side by side
files=$(find "$FORMATS" -type f | wc -l)
bytes=$(find "$FORMATS" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
log "## the whole formats/ folder ($files files), side by side"
rm -rf "$OUT/gk-all"
/usr/bin/time -v -o "$OUT/gk-all.time" "$GK" --data "$OUT/gk-all" archive "$FORMATS" --json \
    >"$OUT/gk-all.json" 2>"$OUT/gk-all.err" || true
figures_log "gongkai" "$files" "$bytes" "$OUT/gk-all.time"
log "   gongkai: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['added'], 'added,', r['duplicate'], 'duplicate,', r['failed'], 'failed')" "$OUT/gk-all.json")"
if [ "${SKIP_OMINDEX:-}" != 1 ]; then
    rm -rf "$OUT/omega-all"
    XAPIAN_CJK_NGRAM=1 /usr/bin/time -v -o "$OUT/omindex-all.time" \
        omindex --db "$OUT/omega-all" --url / "$FORMATS" >"$OUT/omindex-all.log" 2>&1 || true
    figures_log "omindex" "$files" "$bytes" "$OUT/omindex-all.time"
    log "   omindex: $(xapian-delve "$OUT/omega-all" 2>/dev/null | sed -n 's/^number of documents = //p') documents in its database"
    python3 - "$OUT/gk-all.time" "$OUT/omindex-all.time" <<'PY' | tee -a "$SUMMARY"
import re, sys
def wall(p):
    w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", open(p).read()).group(1).split(":")
    return sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
print(f"   ratio gongkai/omindex files/s: {wall(sys.argv[2]) / wall(sys.argv[1]):.2f}")
PY
fi
