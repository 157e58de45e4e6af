#!/usr/bin/env bash
# `make test-install`: what a C user gets from `make install`.
#  1. install into a temporary PREFIX; build the C quick start with
#     `cc $(pkg-config --cflags --libs femtolog)` and run it;
#  2. the layout: libfemtolog.so -> .so.MAJOR -> .so.VERSION, SONAME, the
#     header, femtolog.pc; only femtolog_* symbols exported; stripped;
#  3. DESTDIR staging puts files under DESTDIR while the .pc names PREFIX;
#  4. `make uninstall` removes every file it installed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }

prefix=$work/prefix
make -s --no-print-directory install PREFIX="$prefix" >/dev/null
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' python/femtologging/__init__.py)
major=${version%%.*}
lib=$prefix/lib

[ "$(readlink "$lib/libfemtolog.so")" = "libfemtolog.so.$major" ] || fail "libfemtolog.so does not link to libfemtolog.so.$major"
[ "$(readlink "$lib/libfemtolog.so.$major")" = "libfemtolog.so.$version" ] || fail "libfemtolog.so.$major does not link to libfemtolog.so.$version"
[ -f "$lib/libfemtolog.so.$version" ] || fail "libfemtolog.so.$version missing"
soname=$(readelf -d "$lib/libfemtolog.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "libfemtolog.so.$major" ] || fail "SONAME is '$soname', want libfemtolog.so.$major"
others=$(nm -D --defined-only "$lib/libfemtolog.so.$version" | awk '{print $3}' | grep -v '^femtolog_' || true)
[ -z "$others" ] || fail "the library exports more than femtolog_*: $(echo $others | head -c 300)"
exported=$(nm -D --defined-only "$lib/libfemtolog.so.$version" | grep -c ' femtolog_')
declared=$(grep -cE '^(int |const char \*)femtolog_[a-z_]+\(' include/femtolog.h)
[ "$exported" -eq "$declared" ] || fail "the library exports $exported femtolog_* functions, the header declares $declared"
sections=$(readelf -S "$lib/libfemtolog.so.$version")
if grep -qE '\.(symtab|debug_info)' <<<"$sections"; then
  fail "the library is not stripped (.symtab or .debug_info present)"
fi
cmp -s include/femtolog.h "$prefix/include/femtolog.h" || fail "installed femtolog.h differs from include/femtolog.h"
echo "layout: SONAME $soname, $exported exports (all femtolog_*), stripped"

# The quick start as a user builds it: flags from pkg-config only.
export PKG_CONFIG_PATH=$lib/pkgconfig
[ "$(pkg-config --modversion femtolog)" = "$version" ] || fail "pkg-config --modversion femtolog is not $version"
cc -Wall -Wextra -Werror examples/quickstart.c $(pkg-config --cflags --libs femtolog) -o "$work/quickstart"
LD_LIBRARY_PATH=$lib "$work/quickstart" >"$work/out" 2>"$work/err" || fail "the quick start exited with $?: $(cat "$work/err")"
grep -qx 'demo.app \[INFO\] hello from femtologging' "$work/err" || fail "the quick start did not log its record: $(cat "$work/err")"
# What the loader mapped is the installed library, found through the SONAME.
# (Captured first: with pipefail, `ldd | grep -q` fails when grep stops
# reading early and ldd gets SIGPIPE.)
resolved=$(LD_LIBRARY_PATH=$lib ldd "$work/quickstart")
grep -qF "libfemtolog.so.$major => $lib/libfemtolog.so.$major" <<<"$resolved" \
  || fail "the quick start does not resolve libfemtolog.so.$major in $lib: $resolved"
echo "pkg-config: quick start built and ran against $prefix"

# DESTDIR: files staged under it, the .pc names the final PREFIX.
stage=$work/stage
make -s --no-print-directory install DESTDIR="$stage" PREFIX=/usr >/dev/null
for f in usr/lib/libfemtolog.so usr/lib/libfemtolog.so.$major usr/lib/libfemtolog.so.$version \
         usr/include/femtolog.h usr/lib/pkgconfig/femtolog.pc; do
  [ -e "$stage/$f" ] || fail "DESTDIR install: $f missing"
done
grep -qx 'prefix=/usr' "$stage/usr/lib/pkgconfig/femtolog.pc" || fail "DESTDIR install: femtolog.pc does not name prefix=/usr"
! grep -q "$stage" "$stage/usr/lib/pkgconfig/femtolog.pc" || fail "DESTDIR install: femtolog.pc mentions the staging directory"
echo "DESTDIR: staged under DESTDIR, femtolog.pc names /usr"

make -s --no-print-directory uninstall PREFIX="$prefix" >/dev/null
left=$(find "$prefix" -type f -o -type l)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "test-install: 4 passed, 0 failed"
