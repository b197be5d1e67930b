#!/usr/bin/env bash
# Installs a REAL VS Code for MediGen Lab's extension integration tests, using only Debian apt and
# the npm registry (no other downloads): code-server 4.100.3 (= VS Code 1.100.3: the web workbench
# plus a real Node extension host) and Debian's Chromium, which scripts/vscode/runTests.ts drives
# headlessly through playwright-core (already a devDependency of the project).
#
#   bash scripts/vscode/setup.sh          safe to run again: it only does what is missing
#
# Where things go (all ignored by git):
#   .vscode-test/code-server/   code-server in its own npm prefix, NOT the project's node_modules
#                               (env MEDIGEN_VSCODE_RUNTIME overrides the folder)
#   .vscode-test/tmp/           scratch space for the install (removed at the end)
#
# Needs: Debian/Ubuntu with apt (root, or sudo for the apt step), Node.js 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
RUNTIME_DIR="${MEDIGEN_VSCODE_RUNTIME:-$ROOT/.vscode-test/code-server}"
CODE_SERVER_VERSION=4.100.3 # the last code-server release whose engines.node is 20
APT_PACKAGES=(build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev
  ripgrep chromium fonts-liberation ca-certificates)
START=$SECONDS

say() { printf 'VS Code runtime: %s\n' "$*"; }
fail() { printf 'VS Code runtime setup failed: %s\n  What to do: %s\n' "$1" "$2" >&2; exit 1; }

NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" = 20 ] || fail "code-server $CODE_SERVER_VERSION needs Node.js 20, but this machine has Node.js $NODE_MAJOR." \
  "Install Node.js 20 (20.19 or newer) and run this script again."

# --- 1. Debian packages: compilers and headers for code-server's native modules, ripgrep, Chromium.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || fail "these Debian packages are missing: ${missing[*]}" \
      "Ask an administrator to run: apt-get install ${missing[*]}"
    SUDO=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get could not install: ${missing[*]}" "Check that apt can reach the Debian mirrors, then run this script again."
else
  say "Debian packages already installed"
fi

# --- 2. code-server in its own npm prefix.
VSCODE_DIR="$RUNTIME_DIR/node_modules/code-server/lib/vscode"
NATIVE=(node_modules/node-pty/build/Release/pty.node node_modules/@vscode/spdlog/build/Release/spdlog.node
  node_modules/@vscode/ripgrep/bin/rg)
installed() {
  [ "$(cat "$RUNTIME_DIR/.installed" 2>/dev/null)" = "$CODE_SERVER_VERSION" ] || return 1
  for f in "${NATIVE[@]}"; do [ -e "$VSCODE_DIR/$f" ] || return 1; done
}

if installed; then
  say "code-server $CODE_SERVER_VERSION already installed in $RUNTIME_DIR"
else
  say "installing code-server $CODE_SERVER_VERSION into $RUNTIME_DIR (takes a few minutes)"
  rm -rf "$RUNTIME_DIR/.installed"
  mkdir -p "$RUNTIME_DIR"
  SCRATCH="$ROOT/.vscode-test/tmp"
  rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
  # Installs must not fetch Node headers from nodejs.org: node-gyp uses the ones Node ships with.
  if [ -z "${npm_config_nodedir:-}" ]; then
    for d in /usr "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"; do
      [ -f "$d/include/node/node.h" ] && { export npm_config_nodedir="$d"; break; }
    done
  fi
  export npm_config_yes=true          # node-pty's install step runs npx; never stop to ask
  export npm_config_unsafe_perm=true  # code-server's postinstall refuses to run as root otherwise
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  export TMPDIR="$SCRATCH"            # keeps the ripgrep cache below inside .vscode-test/

  say "(npm's 'Unknown env config' warnings below are expected: code-server's install steps read those settings)"
  ( cd "$SCRATCH" && npm pack -q "code-server@$CODE_SERVER_VERSION" >/dev/null ) \
    || fail "npm could not download code-server $CODE_SERVER_VERSION." "Check that npm can reach its registry (npm ping), then run this script again."
  TARBALL="$SCRATCH/code-server-$CODE_SERVER_VERSION.tgz"

  # @vscode/ripgrep's install step downloads rg from GitHub unless its cache
  # ($TMPDIR/vscode-ripgrep-cache-<version>/ripgrep-<tag>-<target>.tar.gz) already holds it.
  # Seed that cache with Debian's rg, for every @vscode/ripgrep version code-server pins.
  case "$(uname -m)" in
    x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
    aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
    *) fail "unsupported processor $(uname -m)." "Use an x86_64 or arm64 machine." ;;
  esac
  ( cd "$SCRATCH"
    # (set -e does not apply inside a subshell followed by ||: every step checks itself)
    tar xzf "$TARBALL" package/npm-shrinkwrap.json package/lib/vscode/npm-shrinkwrap.json || exit 1
    mkdir -p rg-seed && cp "$(command -v rg)" rg-seed/rg || exit 1
    node -e '
      const fs = require("fs"); const versions = new Set();
      for (const f of process.argv.slice(1)) {
        for (const [key, pkg] of Object.entries(JSON.parse(fs.readFileSync(f, "utf8")).packages ?? {}))
          if (key.endsWith("node_modules/@vscode/ripgrep")) versions.add(pkg.version);
      }
      console.log([...versions].join("\n"));' package/npm-shrinkwrap.json package/lib/vscode/npm-shrinkwrap.json > rg-versions.txt
    [ -s rg-versions.txt ] || { echo "code-server pins no @vscode/ripgrep version" >&2; exit 1; }
    while read -r V; do
      npm pack -q "@vscode/ripgrep@$V" >/dev/null || exit 1
      tar xzf "vscode-ripgrep-$V.tgz" package/lib/postinstall.js || exit 1
      TAGS="$(grep -oE "'v[0-9]+\.[0-9]+\.[0-9]+-[0-9]+'" package/lib/postinstall.js | tr -d "'" | sort -u)"
      [ -n "$TAGS" ] || { echo "no ripgrep release tag found in @vscode/ripgrep@$V" >&2; exit 1; }
      mkdir -p "vscode-ripgrep-cache-$V"
      for TAG in $TAGS; do tar czf "vscode-ripgrep-cache-$V/ripgrep-$TAG-$RG_TARGET.tar.gz" -C rg-seed rg || exit 1; done
      rm -rf package "vscode-ripgrep-$V.tgz"
    done < rg-versions.txt || exit 1
  ) || fail "could not prepare ripgrep for code-server." "Check that the Debian package ripgrep is installed (rg --version), then run this script again."

  ( cd "$RUNTIME_DIR"
    [ -f package.json ] || printf '{ "name": "medigen-vscode-runtime", "private": true }\n' > package.json
    npm install --no-save --loglevel=error "$TARBALL" ) \
    || fail "npm could not install code-server $CODE_SERVER_VERSION (see the messages above)." \
      "Check that the Debian packages above are installed and npm can reach its registry, then run this script again."
  for f in "${NATIVE[@]}"; do
    [ -e "$VSCODE_DIR/$f" ] || fail "code-server installed without $f." "Delete $RUNTIME_DIR and run this script again."
  done
  echo "$CODE_SERVER_VERSION" > "$RUNTIME_DIR/.installed"
  rm -rf "$SCRATCH"
fi

# Versions come from package.json: running `code-server --version` would write config into $HOME.
VSCODE_VERSION="$(node -p "require('$VSCODE_DIR/package.json').version")"
say "ready: VS Code $VSCODE_VERSION (code-server $CODE_SERVER_VERSION), $(du -sh "$RUNTIME_DIR" | cut -f1) in $RUNTIME_DIR; setup took $((SECONDS - START)) s"
say "run the extension's integration tests with: npm run test:vscode"
