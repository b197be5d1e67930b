#!/usr/bin/env bash
# Sets MediGen Lab up on a fresh machine: npm packages, then the bundles in dist/.
# Safe to run again; it only does what is missing. Needs Node.js >= 20.19 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

# onnxruntime-node's install step would try to download optional CUDA files from outside the
# npm registry; the CPU runtime it ships is all BERTScore needs.
export ONNXRUNTIME_NODE_INSTALL=skip

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "MediGen Lab setup: installing npm packages (first time takes a minute or two)..."
  # `npm ci` refuses this lock file: some optional per-platform binaries of node-llama-cpp are not
  # published for every platform, so npm records them as missing. `npm install` follows the lock.
  npm install --no-audit --no-fund --loglevel=error
fi

# A real VS Code (code-server + Debian Chromium) for the extension's integration tests and for
# `npm run start:vscode`. Skipped when already installed.
bash scripts/vscode/setup.sh

echo "MediGen Lab setup: building the CLI and extension bundles..."
node esbuild.mjs --production >/dev/null
echo "MediGen Lab setup: writing the medigen-lab reference page (dist/api/medigen-lab.md) from the code..."
npx typedoc --options typedoc.json
echo "MediGen Lab setup: done."
