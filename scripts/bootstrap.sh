#!/usr/bin/env bash
# Installs what `make test`, `make demo` and (with --bench) `make bench`
# need on a bare Debian machine: Python's Debian packages (there is no
# Python package index here) and a venv that sees them. Safe to run again:
# it only installs what is missing.
set -euo pipefail

packages=(python3-venv python3-cffi python3-dev python3-pytest python3-setuptools
          python3-wheel python3-msgpack python3-hypothesis gcc make openssl e2fsprogs
          mypy)
# `make bench` compares with other logging libraries too.
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-loguru python3-structlog)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null && [ ! -x /usr/local/go/bin/go ]; then
  echo "bootstrap: the Go toolchain is missing (expected on PATH or at /usr/local/go)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv (with Debian's site packages)"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
