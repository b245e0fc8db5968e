#!/usr/bin/env bash
# HTTP benchmark of gongkai-searchd with wrk: the query mix of queries.tsv
# against an archive of the shared texts, daemon and wrk on this machine.
#
# usage: bench/searchd.sh BUILD_DIR OUT_DIR
#
#   BUILD_DIR   a build of this tree (cli/gongkai, searchd/gongkai-searchd)
#   OUT_DIR     created; the archive (reused when present), raw outputs
#
# Environment: CORPUS=DIR (default <repo>/../shared/corpus), CONNECTIONS
# (default 32), DURATION (seconds, default 20), THREADS (daemon workers,
# default 2), PORT (default 18090). Every request counts facets, as the
# page does.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/common.sh"
bench_args 14 "$@"
SD=$BUILD/searchd/gongkai-searchd
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
PORT=${PORT:-18090}
need_packages wrk

if [ ! -f "$OUT/data/catalogue.db" ]; then
    "$GK" --data "$OUT/data" archive "$CORPUS/texts" >/dev/null
fi

# The query mix: every query of queries.tsv, URL-encoded, in a Lua table.
python3 - "$CORPUS/queries.tsv" "$OUT/queries.lua" <<'PY'
import sys, urllib.parse
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")][1:]
paths = ["/api/search?" + urllib.parse.urlencode({"q": r[2], "size": 10}) for r in rows]
with open(sys.argv[2], "w") as f:
    f.write("local paths = {\n" + "".join('  "%s",\n' % p for p in paths) + "}\n")
    f.write("""local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local non2xx = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d  errors(socket) connect %d read %d write %d timeout %d  non-2xx %d\\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
""")
print(len(paths), "queries in the mix")
PY

"$SD" --data "$OUT/data" --listen "127.0.0.1:$PORT" --threads "$THREADS" --quiet 2>"$OUT/searchd.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
# Warm the caches once through the mix, then measure.
wrk -t2 -c"$CONNECTIONS" -d3s -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" >/dev/null
# The daemon's CPU time per request is steadier than requests/s on a
# machine whose cores it shares with wrk and with anything else running.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu_ticks)
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/queries.lua" "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
after=$(cpu_ticks)
requests=$(awk '/^requests / {print $2}' "$OUT/wrk.txt")
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN {printf "daemon CPU per request: %.0f us\n", t / hz / n * 1e6}' | tee -a "$OUT/wrk.txt"
echo "daemon peak RSS: $(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' /proc/$pid/status)" | tee -a "$OUT/wrk.txt"
kill "$pid"
wait "$pid" || true
trap - EXIT
