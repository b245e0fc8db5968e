# Shared by the benchmark scripts (sourced, with REPO set): their two
# arguments, installing what a run needs, and one line of figures from
# /usr/bin/time -v output.

# bench_args LAST "$@": the arguments BUILD_DIR OUT_DIR, else the script's
# header (lines 2..LAST) and exit 2. Sets BUILD, OUT (created), CORPUS
# (CORPUS=DIR or ../shared/corpus) and GK, all absolute.
bench_args() {
    local last=$1; shift
    if [ $# -ne 2 ]; then
        sed -n "2,${last}p" "$0" >&2
        exit 2
    fi
    BUILD=$(cd "$1" && pwd)
    mkdir -p "$2"
    OUT=$(cd "$2" && pwd)
    CORPUS=$(cd "${CORPUS:-$REPO/../shared/corpus}" && pwd)
    GK=$BUILD/cli/gongkai
}

# need_packages PKG...: install the Debian packages that are missing.
need_packages() {
    local missing=() p sudo=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# figures LABEL FILES BYTES TIMEFILE [PAGES]: one line (wall, CPU, files/s,
# MB/s, peak RSS, and pages/s when PAGES is given) on stdout.
figures() {
    python3 - "$@" <<'PY'
import re, sys
label, files, inbytes, tf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pages = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else 0
t = open(tf).read()
w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1).split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
cpu = sum(float(re.search(k + r"[^:]*: ([0-9.]+)", t).group(1)) for k in ("User time", "System time"))
rss = float(re.search(r"Maximum resident set size[^:]*: ([0-9]+)", t).group(1)) / 1024
extra = f"  {pages / wall:7.1f} pages/s" if pages else ""
print(f"{label:14s} files {files:5d}  {inbytes / 1e6:7.1f} MB  wall {wall:7.1f} s  cpu {cpu:7.1f} s  "
      f"{files / wall:7.1f} files/s  {inbytes / 1e6 / wall:6.2f} MB/s  peak RSS {rss:6.1f} MB{extra}")
PY
}
