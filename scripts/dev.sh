#!/usr/bin/env bash
# The portal's two commands (README.md):
#   bash scripts/dev.sh start   installs, then starts the portal (app :3000, backend :7007, SQLite)
#   bash scripts/dev.sh test    installs, then runs the whole test suite (as CI does)
# and the benchmarks: bash scripts/dev.sh bench:catalog [--sizes 1000,5000], bench:quality, bench:sqlite
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

cmd="${1:-}"
shift || true
echo "==> yarn install (Node $(node --version), Yarn $(yarn --version))"
# better-sqlite3 is compiled from its patched source (.yarn/patches), never taken prebuilt
npm_config_build_from_source=better-sqlite3 yarn install --immutable
case "$cmd" in
  start)
    exec yarn start "$@"
    ;;
  test)
    exec bash scripts/test-all.sh "$@"
    ;;
  bench:*)
    # shellcheck source=scripts/services.sh
    source scripts/services.sh
    case " $* " in
      *" --browser"*) ensure_chromium ;;
    esac
    case " $* " in
      *" --database postgres "* | *" --database=postgres "*) ensure_postgres ;;
    esac
    # bench:quality measures SQLite and PostgreSQL in one run unless told one database
    if [ "$cmd" = bench:quality ]; then
      case " $* " in
        *" --databases sqlite "* | *" --databases=sqlite "*) ;;
        *) ensure_postgres ;;
      esac
    fi
    exec yarn "$cmd" "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh start|test|bench:catalog|bench:quality|bench:sqlite" >&2
    exit 2
    ;;
esac
