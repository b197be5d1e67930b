#!/usr/bin/env bash
# Builds the Python environment the real-trainer test suite (test/trainer/) runs in:
#   .cache/train-venv  with torch (CPU wheel), transformers 5, peft, accelerate, safetensors, tokenizers.
# Packages come from a LOCAL package mirror only (pip's configured find-links / extra-index-url with
# file:// locations, e.g. /opt/wheels and /opt/pypi/simple); nothing is downloaded from the internet.
# Idempotent: when the venv exists and its stamp matches, it only checks the packages are there (~1 s).
# Measured on this 2-core machine (busy with other builds): a fresh build takes about 2 minutes.
#
#   bash scripts/trainEnv/makeVenv.sh            build or check; prints the venv's python
#   MEDIGEN_TORCH_WHEELS=/dir bash ...makeVenv.sh  where the torch CPU wheel lies (default /opt/wheels)
#   MEDIGEN_TRAIN_VENV=dir bash ...makeVenv.sh     another venv folder (the test suite reads it too)
#
# Exit codes: 0 ready, 3 no local mirror on this machine (nothing was done), 1 the build failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV="${MEDIGEN_TRAIN_VENV:-.cache/train-venv}"
WHEELS="${MEDIGEN_TORCH_WHEELS:-/opt/wheels}"
PYTHON="${PYTHON:-python3}"
# What the suite needs. torch comes from the CPU wheel; the others from the mirror's index.
PACKAGES=("transformers>=5,<6" "peft>=0.17" "accelerate>=1.0" "safetensors>=0.4" "tokenizers>=0.21" "jinja2" "numpy")
STAMP_TEXT="v1 ${PACKAGES[*]}"

say() { echo "train-env: $*" >&2; }
# pip warns once per package that the second local index lacks it; that is expected, not news.
quiet_pip() { "${PIP[@]}" "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }

torch_wheel=$(ls "$WHEELS"/torch-*+cpu-*.whl 2>/dev/null | sort -V | tail -n 1 || true)
# The local indexes (file://...) from pip's configuration. They are passed as THE index so pip never
# waits on pypi.org, which is unreachable here (each lookup would retry for seconds).
read -r -a local_indexes <<< "$("$PYTHON" -m pip config list 2>/dev/null | grep -E "index-url=" | grep -oE "file://[^ ']+" | tr '\n' ' ' || true)"
mirror=${#local_indexes[@]}

if [ -x "$VENV/bin/python" ] && [ -f "$VENV/.medigen-stamp" ] && [ "$(cat "$VENV/.medigen-stamp")" = "$STAMP_TEXT" ]; then
  if "$VENV/bin/python" -c "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ['torch', 'transformers', 'peft', 'accelerate', 'safetensors', 'tokenizers']))" 2>/dev/null; then
    say "ready ($VENV)"
    echo "$VENV/bin/python"
    exit 0
  fi
  say "the environment in $VENV is broken; rebuilding it."
fi

if [ -z "$torch_wheel" ] || [ "$mirror" = "0" ]; then
  say "no local Python package mirror on this machine (need a torch CPU wheel in $WHEELS and a file:// index in pip's config)."
  say "The suite installs its packages from a local mirror only (never from the internet). Nothing was built."
  exit 3
fi

start=$(date +%s)
rm -rf "$VENV"
say "creating $VENV with $("$PYTHON" --version 2>&1)"
"$PYTHON" -m venv "$VENV"
INDEX_ARGS=(--index-url "${local_indexes[0]}")
for url in "${local_indexes[@]:1}"; do INDEX_ARGS+=(--extra-index-url "$url"); done
PIP=("$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --progress-bar off -q "${INDEX_ARGS[@]}" --find-links "$WHEELS")
say "installing $(basename "$torch_wheel")"
quiet_pip "$torch_wheel"
torch_version=$("$VENV/bin/python" -c "import torch; print(torch.__version__)" 2>/dev/null)
say "installing ${PACKAGES[*]} (torch kept at $torch_version)"
constraint=$(mktemp)
echo "torch==$torch_version" > "$constraint"
quiet_pip -c "$constraint" "${PACKAGES[@]}"
rm -f "$constraint"
"$VENV/bin/python" -c "import torch, transformers, peft, accelerate, safetensors, tokenizers; print('train-env: torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__, 'accelerate', accelerate.__version__)" >&2
echo "$STAMP_TEXT" > "$VENV/.medigen-stamp"
say "built in $(( $(date +%s) - start )) s"
echo "$VENV/bin/python"
