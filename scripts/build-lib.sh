#!/usr/bin/env bash
# Builds libfemtolog.so, the one place that knows how: `make lib`, `make
# install` and setup.py (the Python package) all call it.
#
#   scripts/build-lib.sh OUTPUT [SONAME]
#
# The library exports only the femtolog_* functions (capi/exports.map) and
# is stripped of Go's symbol table and DWARF (-s -w); FEMTOLOG_DEBUG=1
# keeps them for debugging. SONAME (e.g. libfemtolog.so.0) is recorded for
# the system install; the Python package's private copy has none, since
# its extension modules find the library by file name beside them.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 OUTPUT [SONAME]" >&2; exit 2; }
output=$1
soname=${2:-}
cd "$(dirname "$0")/.."

go=$(command -v go || echo /usr/local/go/bin/go)
[ -x "$go" ] || { echo "build-lib: the Go toolchain is missing (go not on PATH nor at /usr/local/go/bin)" >&2; exit 1; }

extld="-Wl,--version-script=$PWD/capi/exports.map"
[ -n "$soname" ] && extld+=" -Wl,-soname,$soname"
ldflags="-extldflags '$extld'"
[ "${FEMTOLOG_DEBUG:-0}" = 1 ] || ldflags="-s -w $ldflags"

# cgo writes its own header beside the library; include/femtolog.h is the
# interface, so build in a scratch directory and keep only the library.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
GOFLAGS=-buildvcs=false "$go" build -buildmode=c-shared -trimpath -ldflags "$ldflags" \
  -o "$scratch/libfemtolog.so" ./capi
mkdir -p "$(dirname "$output")"
mv -f "$scratch/libfemtolog.so" "$output"
