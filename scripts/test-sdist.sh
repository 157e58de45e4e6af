#!/usr/bin/env bash
# `make test-sdist`: the source distribution is complete and installs.
#  1. `setup.py sdist` holds everything the build needs (Go core, capi,
#     header, build script, extension sources);
#  2. `pip install --no-build-isolation` of that tarball into a fresh venv,
#     offline, from another directory, builds and works there, and
#     femtologging.__version__ is the package version;
#  3. what got installed (the wheel's RECORD) holds no build leftovers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PY=${PY:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-sdist: FAILED: $*" >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' python/femtologging/__init__.py)

"$PY" setup.py -q sdist -d "$work/dist" >"$work/sdist.log" 2>&1 || { cat "$work/sdist.log" >&2; fail "setup.py sdist"; }
rm -rf python/femtologging.egg-info
sdist=$work/dist/femtologging-$version.tar.gz
[ -f "$sdist" ] || fail "no $sdist (got: $(ls "$work/dist"))"
members=$(tar tzf "$sdist")
for need in go.mod go.sum include/femtolog.h scripts/build-lib.sh capi/main.go capi/exports.map \
            capi/helpers.c capi/femtolog.h core/logger.go core/sink python/femtologging/__init__.py \
            python/femtologging/_fastlog.c python/femtologging/_ffi_build.py setup.py pyproject.toml; do
  grep -q "^femtologging-$version/$need" <<<"$members" || fail "the sdist lacks $need"
done
echo "sdist: $(grep -vc '/$' <<<"$members") files, everything the build needs"

if (cd "$work" && "$root/$PY" -c 'import build' 2>/dev/null); then
  (cd "$work" && "$root/$PY" -m build --sdist --no-isolation --outdir "$work/build-dist" "$root" >/dev/null) \
    || fail "python -m build --sdist"
  echo "python -m build --sdist: ok"
else
  echo "python -m build: not installed here (Debian's python3-build), checked setup.py sdist only"
fi

# A fresh venv (Debian's setuptools and cffi through system site packages),
# no package index: pip builds from the tarball alone.
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
(cd "$work" && "$work/venv/bin/python" -m pip install --quiet --no-build-isolation --no-index \
  --no-deps "$sdist") >"$work/pip.log" 2>&1 || { tail -n 40 "$work/pip.log" >&2; fail "pip install of the sdist"; }
echo "pip install --no-build-isolation --no-index $(basename "$sdist"): ok"

(cd "$work" && "$work/venv/bin/python" - "$work/out.log" "$version" "$work/venv") <<'PYEOF' || fail "the installed package does not work (above)"
import os, sys
import femtologging
from femtologging import FemtoFileHandler, get_logger

path, version, venv = sys.argv[1:]
assert femtologging.__version__ == version, (femtologging.__version__, version)
assert os.path.realpath(femtologging.__file__).startswith(os.path.realpath(venv)), femtologging.__file__
handler = FemtoFileHandler(path)
logger = get_logger("sdist.check")
logger.add_handler(handler)
logger.log("INFO", "from the sdist")
assert handler.flush() is True
handler.close()
with open(path, encoding="utf-8") as f:
    assert f.read() == "sdist.check [INFO] from the sdist\n", "unexpected output"
print(f"installed femtologging {femtologging.__version__} logs from {os.getcwd()}")
PYEOF

record=$(ls "$work"/venv/lib/python3*/site-packages/femtologging-"$version".dist-info/RECORD)
shipped=$(cut -d, -f1 "$record" | grep '^femtologging/')
for leftover in femtologging/_ffi_build.py femtologging/_fastlog.c femtologging/libfemtolog.h; do
  ! grep -qx "$leftover" <<<"$shipped" || fail "the wheel ships the build leftover $leftover"
done
! grep -qE '\.(c|h)$' <<<"$shipped" || fail "the wheel ships C sources: $(grep -E '\.(c|h)$' <<<"$shipped")"
for need in femtologging/libfemtolog.so femtologging/__init__.py; do
  grep -qx "$need" <<<"$shipped" || fail "the wheel lacks $need"
done
# Every module of the source tree, subpackages included (femtologging/
# handlers/, femtologging/config/): a subpackage missing from
# pyproject.toml's package list would be left out of the wheel silently.
for module in $(cd python && find femtologging -name '*.py' ! -name _ffi_build.py | sort); do
  grep -qx "$module" <<<"$shipped" || fail "the wheel lacks $module (is its package in pyproject.toml?)"
done
grep -q '^femtologging/_femtolog_cffi' <<<"$shipped" || fail "the wheel lacks the cffi extension"
grep -q '^femtologging/_fastlog\..*\.so$' <<<"$shipped" || fail "the wheel lacks _fastlog"
echo "test-sdist: 3 passed, 0 failed (wheel: $(echo "$shipped" | wc -l) files, no build leftovers)"
