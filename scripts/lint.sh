#!/usr/bin/env bash
# `make lint`: the checks that need no test run. Each prints one line when
# it passes; the first that fails stops the script with its findings.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
# Pinned so that a new release's checks cannot break the build unasked.
STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
WARN=(-Wall -Wextra -Werror -Wwrite-strings)

go_dirs=$(go list -f '{{.Dir}}' ./...)
unformatted=$(gofmt -l $go_dirs)
[ -z "$unformatted" ] || { echo "gofmt: not formatted (run gofmt -w):"; echo "$unformatted"; exit 1; }
echo "lint: gofmt -l: clean"

go vet ./...
echo "lint: go vet: clean"

# staticcheck comes from the Go module proxy (compiled once, then cached).
if sc_version=$(go run "$STATICCHECK" -version 2>&1); then
  go run "$STATICCHECK" ./...
  echo "lint: staticcheck ($sc_version): clean"
else
  echo "lint: staticcheck SKIPPED: could not build $STATICCHECK:"
  echo "$sc_version" | tail -n 3
fi

"$PY" scripts/check_header.py include/femtolog.h
echo "lint: femtolog.h: every entry point lists its statuses; const strings; typed handles"

# The C that users and the Python package compile, with every warning an
# error; the quick start also as C++ (string literals are const there).
for c in examples/*.c bench/bench_c.c; do
  cc "${WARN[@]}" -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -fsyntax-only "$c"
done
c++ "${WARN[@]}" -x c++ -Iinclude -fsyntax-only examples/quickstart.c
python_include=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
# -Wwrite-strings is left out here: CPython's tables hold docstrings in
# non-const pointers.
cc -Wall -Wextra -Werror -Iinclude -I"$python_include" -fsyntax-only python/femtologging/_fastlog.c
echo "lint: C with -Wall -Wextra -Werror: clean (examples, bench_c.c, _fastlog.c; quickstart.c also as C++)"

# Byte-compile into a scratch directory: the check must not leave
# __pycache__ folders in the tree.
pycache=$(mktemp -d)
trap 'rm -rf "$pycache"' EXIT
PYTHONPYCACHEPREFIX=$pycache "$PY" -m compileall -q python bench examples scripts setup.py >/dev/null
echo "lint: Python byte-compilation: clean"
"$PY" scripts/check_imports.py python bench examples scripts setup.py
echo "lint: unused imports: none"
