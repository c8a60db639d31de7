#!/usr/bin/env bash
# End-to-end tests: builds the app, starts the real backend (serving the app, SQLite, the example
# mesh) on :7007, and drives Debian's Chromium through Playwright. Screenshots are written to
# e2e-test-results/screenshots/, the backend's log to e2e-test-results/backend.log.
# E2E_SKIP_BUILD=1 reuses an existing packages/app/dist.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
source scripts/services.sh
ensure_chromium

port_free() {
  if curl -s -o /dev/null http://localhost:7007; then
    echo "Something already listens on :7007; stop it first" >&2
    exit 1
  fi
}
# checked before the results of an earlier run are removed (they may be another run's, still going)
# and again after the build, just before the backend starts
port_free
rm -rf e2e-test-results
mkdir -p e2e-test-results/screenshots

if [ "${E2E_SKIP_BUILD:-}" != 1 ] || [ ! -f packages/app/dist/index.html ]; then
  echo "==> building the app"
  yarn workspace app build
fi

port_free
echo "==> starting the backend"
# The backend runs from its TypeScript sources as `yarn start` runs it, but without the file
# watcher that restarts it on changes: a test run must see one backend from start to end.
(
  cd packages/backend
  export NODE_ENV=development
  exec setsid node --enable-source-maps \
    --require @backstage/cli-node/config/nodeTransform.cjs src/index.ts \
    --config ../../app-config.yaml --config ../../app-config.e2e.yaml
) >e2e-test-results/backend.log 2>&1 &
backend_pid=$!
stop_backend() {
  kill -- "-$backend_pid" 2>/dev/null || kill "$backend_pid" 2>/dev/null || true
  wait "$backend_pid" 2>/dev/null || true
}
trap stop_backend EXIT

for i in $(seq 1 180); do
  if curl -sf -o /dev/null http://localhost:7007/.backstage/health/v1/readiness; then
    echo "==> backend ready after ${i}s"
    break
  fi
  if ! kill -0 "$backend_pid" 2>/dev/null; then
    echo "The backend exited:" >&2
    tail -n 50 e2e-test-results/backend.log >&2
    exit 1
  fi
  sleep 1
done

yarn playwright test "$@"
