# Sourced by the test and benchmark scripts: starts what they need on this machine.
# shellcheck shell=bash

# PostgreSQL 15 on 127.0.0.1:5432 (trust auth), started if it is installed but stopped.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    return
  fi
  echo "==> starting PostgreSQL"
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n1)"
  if [ -z "$version" ]; then
    echo "PostgreSQL is not installed: the database tests need it on 127.0.0.1:5432" >&2
    exit 1
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return
    sleep 1
  done
  echo "PostgreSQL did not start" >&2
  exit 1
}

# Debian's Chromium for the end-to-end tests (Playwright never downloads a browser here).
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$CHROMIUM_PATH" ]; then
    return
  fi
  echo "==> installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}
