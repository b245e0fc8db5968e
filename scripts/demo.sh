#!/usr/bin/env bash
# Set up, build, archive the sample documents in corpus/ into ./gongkai-data,
# run a sample search, then serve the search page on http://127.0.0.1:8080/
# (Ctrl-C stops it; PORT=N for another port, NO_SERVE=1 to skip it).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(scripts/setup.sh | tail -n 1)
gk="$build/cli/gongkai"
export GONGKAI_DATA="${GONGKAI_DATA:-$PWD/gongkai-data}"

echo "== archiving corpus/ into $GONGKAI_DATA"
"$gk" archive corpus/2022 corpus/2023 corpus/2024
echo
echo "== gongkai search 防汛"
"$gk" search 防汛 --size 5
echo
echo "Try: $gk --data $GONGKAI_DATA search '最低生活保障' ; $gk --data $GONGKAI_DATA show 1"
if [ "${NO_SERVE:-}" != 1 ]; then
    echo
    echo "== the search page: open http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops the server)"
    exec "$gk" serve --listen "127.0.0.1:${PORT:-8080}"
fi
