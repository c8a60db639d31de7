# Sourced by the test and benchmark scripts: starts what they need on this machine.
# shellcheck shell=bash

# Runs a command as root: directly when this shell is root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# Installs Debian packages, quietly.
apt_install() {
  as_root apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The newest PostgreSQL major version with a cluster configuration in /etc/postgresql, or nothing.
postgres_cluster_version() {
  # `|| true`: no such directory is an answer, also under `set -o pipefail`
  ls /etc/postgresql 2>/dev/null | sort -n | tail -n1 || true
}

# The newest PostgreSQL major version whose server is installed, or nothing.
postgres_server_version() {
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n1 || true
}

# Installs PostgreSQL 15 from Debian (`postgresql-15`, or the release's `postgresql` where it has
# no 15) and sets its `main` cluster up as the tests expect it: listening on 127.0.0.1:5432, every
# user (the tests connect as `postgres`) trusted without a password from that address and on the
# local socket. Only for a machine without any PostgreSQL cluster: an existing cluster is never
# reconfigured.
install_postgres() {
  echo "==> installing PostgreSQL 15 from Debian"
  apt_install postgresql-15 || apt_install postgresql || {
    echo "Could not install PostgreSQL (apt-get install postgresql-15 or postgresql)" >&2
    exit 1
  }
  local version
  version="$(postgres_server_version)"
  if [ -z "$version" ]; then
    echo "PostgreSQL was installed, but no server is in /usr/lib/postgresql" >&2
    exit 1
  fi
  # the package creates and starts the cluster unless create_main_cluster is off
  if [ ! -d "/etc/postgresql/$version/main" ]; then
    as_root pg_createcluster "$version" main
  fi
  local conf="/etc/postgresql/$version/main"
  # trust, as the tests connect: postgresql://postgres@127.0.0.1:5432, no password
  printf '%s\n' \
    '# Written by scripts/services.sh for the tests: trust on the local socket and 127.0.0.1' \
    'local all all trust' \
    'host all all 127.0.0.1/32 trust' | as_root tee "$conf/pg_hba.conf" >/dev/null
  printf '%s\n' \
    '# Written by scripts/services.sh for the tests' \
    "listen_addresses = '127.0.0.1'" \
    'port = 5432' | as_root tee "$conf/conf.d/90-datamesh-tests.conf" >/dev/null
  # the cluster this function created or installed: restart it with its new configuration
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main stop 2>/dev/null || true
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

# PostgreSQL on 127.0.0.1:5432 (trust auth) for the database tests: left alone when it answers,
# started when it is installed but stopped, installed (install_postgres) when the machine has
# none.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    return
  fi
  local version
  version="$(postgres_cluster_version)"
  if [ -z "$version" ]; then
    install_postgres
  else
    echo "==> starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return
    sleep 1
  done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  exit 1
}

# Debian's Chromium for the end-to-end tests (Playwright never downloads a browser here).
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$CHROMIUM_PATH" ]; then
    return
  fi
  echo "==> installing Debian's chromium"
  apt_install chromium
}
