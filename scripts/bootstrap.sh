#!/usr/bin/env bash
# Installs what `make test`, `make demo` and (with --bench) `make bench`
# need on a bare Debian machine: Python's Debian packages (there is no
# Python package index here) and a venv that sees them. Safe to run again:
# it only installs what is missing. Adding a package: one line below.
set -euo pipefail

packages=(
  python3-venv python3-cffi python3-dev python3-pytest python3-setuptools
  python3-wheel python3-msgpack python3-hypothesis
  gcc g++ make openssl e2fsprogs
  rsyslog rsyslog-gnutls   # syslog tests run a real rsyslogd
  mypy                     # make typecheck: mypy --strict on a sample app
  pkgconf   # `make test` builds the C quick start with pkg-config
  gunicorn  # fork tests: a real pre-forking server (--preload)
)
# `make bench` compares with other logging libraries too.
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-loguru python3-structlog)
fi

# Another install may hold the package manager's lock (a second `make
# test`, unattended upgrades): wait for it, but not forever.
APT_LOCK_TIMEOUT_S=${APT_LOCK_TIMEOUT_S:-600}

fail() {
  echo "bootstrap: FAILED: $*" >&2
  exit 1
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  echo "bootstrap: (waiting up to ${APT_LOCK_TIMEOUT_S}s for the package manager lock if another install holds it)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  apt_log=$(mktemp)
  trap 'rm -f "$apt_log"' EXIT
  apt=($sudo apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT_S" -o Acquire::Retries=3)
  # The package lists have their own lock, which older apt does not wait
  # for: retry until the same deadline.
  deadline=$((SECONDS + APT_LOCK_TIMEOUT_S))
  until "${apt[@]}" update -qq >"$apt_log" 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! grep -qi 'lock' "$apt_log"; then
      cat "$apt_log" >&2
      fail "apt-get update did not succeed (output above)"
    fi
    echo "bootstrap: apt-get update: the package lists are locked, trying again"
    sleep 5
  done
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${missing[@]}" >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; fail "apt-get install ${missing[*]} did not succeed (output above)"; }
fi

if ! command -v go >/dev/null && [ ! -x /usr/local/go/bin/go ]; then
  fail "the Go toolchain is missing (expected on PATH or at /usr/local/go/bin/go)"
fi

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv (with Debian's site packages)"
  rm -rf .venv
  /usr/bin/python3 -m venv --system-site-packages .venv \
    || fail "could not create .venv with /usr/bin/python3 -m venv"
fi
