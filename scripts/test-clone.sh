#!/usr/bin/env bash
# `make test-clone` (issue 16): the repository works wherever it is cloned,
# including inside a directory that only its owner may enter (anything
# under /root, or a `mktemp -d` folder, both mode 0700).
#
# It copies the working tree as a clone would have it (tracked and new,
# not ignored, files; uncommitted changes included, so that what is tested
# is what is being committed) into a fresh 0700 directory, builds the
# package there with the Makefile's own setup (bootstrap, venv, install),
# and runs the tests marked `clone_location`: those that depend on where
# the repository lives or on file modes and other users. The rest of the
# suite already runs in `make test` and does not care where it runs, so
# it is not run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-clone: FAILED: $*" >&2; exit 1; }

parent=$(mktemp -d)
trap 'rm -rf "$parent"' EXIT
chmod 0700 "$parent"
clone=$parent/p
mkdir "$clone"
git ls-files -z --cached --others --exclude-standard \
  | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
  | tar -xf - -C "$clone"
echo "copied the working tree to $clone (parent mode $(stat -c %a "$parent"))"

make -C "$clone" -s --no-print-directory python >"$parent/setup.log" 2>&1 \
  || { tail -n 40 "$parent/setup.log" >&2; fail "make python in the clone"; }
echo "built the package in the clone's own .venv"

cd "$clone/python/tests"
../../.venv/bin/python -m pytest -q -p no:cacheprovider -m clone_location . >"$parent/pytest.log" 2>&1 \
  || { tail -n 60 "$parent/pytest.log" >&2; fail "the clone_location tests from $clone"; }
summary=$(tail -n 1 "$parent/pytest.log")
case $summary in
  *" passed"*) ;;
  *) cat "$parent/pytest.log" >&2; fail "no clone_location test ran" ;;
esac
echo "test-clone: from a 0700 clone: $summary"
