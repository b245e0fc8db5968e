#!/usr/bin/env bash
# Install what a fresh Debian 12 machine lacks, then build gongkai.
#
#   scripts/setup.sh            release build in build/
#   scripts/setup.sh --asan     AddressSanitizer + UBSan build in build-asan/
#
# Prints the build directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config python3
          libxapian-dev libicu-dev libsqlite3-dev libmagic-dev libxml2-dev
          libjansson-dev libcmocka-dev libzip-dev libpoppler-glib-dev libgsf-1-dev
          libmicrohttpd-dev)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--asan" ]; then
    build=build-asan
    flags=(-DCMAKE_BUILD_TYPE=Debug -DGK_SANITIZE=ON)
fi
cmake -S . -B "$build" "${flags[@]}" >&2
cmake --build "$build" -j"$(nproc)" >&2
echo "$build"
