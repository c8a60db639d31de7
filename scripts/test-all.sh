#!/usr/bin/env bash
# The full test suite: type check, lint, formatting, unit and integration tests (database tests on
# SQLite and on the PostgreSQL at 127.0.0.1:5432), and the end-to-end test in Chromium.
# Run through `bash scripts/dev.sh test`, which installs first. scripts/services.sh provides the
# PostgreSQL (started when stopped, installed from Debian when the machine has none) and Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
source scripts/services.sh

ensure_postgres
ensure_chromium

step() { echo; echo "==> $*"; }

step "type check"
yarn tsc

step "lint"
yarn lint:all

step "formatting"
yarn prettier:check

step "unit and integration tests (SQLite and PostgreSQL 15)"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
CI=true yarn test --ci

step "end-to-end tests in Chromium"
bash scripts/e2e.sh
