#!/usr/bin/env bash
# The real trainer on an NVIDIA GPU (scripts/trainEnv/gpuRun.ts says what it runs and checks).
#   bash scripts/trainEnv/gpuRun.sh prepare        here: bundle the driver, copy node and the
#                                                    ACI-BENCH train/valid splits into .gpu/ (ignored
#                                                    by git: the corpus is never committed)
#   bash scripts/trainEnv/gpuRun.sh run OUT PHASES on the GPU machine, from the repository root,
#                                                    with .gpu/ beside it; python3 must have torch
#                                                    (CUDA), transformers and peft
#   npx tsx scripts/trainEnv/gpuVerify.ts OUT      back here: convert the GPU-trained adapter to
#                                                    GGUF and load it in node-llama-cpp
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  prepare)
    mkdir -p .gpu/aci-bench/challenge_data
    src=../shared/aci-bench/challenge_data
    [ -f "$src/train.csv" ] || { echo "gpu-run: the ACI-BENCH corpus is not at ../shared/aci-bench; the GPU run trains on its train/valid splits." >&2; exit 1; }
    cp "$src"/train.csv "$src"/train_metadata.csv "$src"/valid.csv "$src"/valid_metadata.csv .gpu/aci-bench/challenge_data/
    npx esbuild scripts/trainEnv/gpuRun.ts --bundle --platform=node --format=esm --target=node20 --outfile=.gpu/gpuRun.mjs --log-level=warning
    # The GPU machine has no Node.js: carry this one (x86-64, glibc), compressed.
    [ -f .gpu/node.xz ] || xz -T2 -6 -c "$(command -v node)" > .gpu/node.xz
    du -sh .gpu
    ;;
  run)
    out="${2:?say where the results go}"; phases="${3:-main,memory-1b,memory-8b}"
    node_bin="$(command -v node || true)"
    if [ -z "$node_bin" ]; then
      node_bin=/tmp/medigen-node
      python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open('.gpu/node.xz'), open(sys.argv[1],'wb'))" "$node_bin"
      chmod +x "$node_bin"
    fi
    mkdir -p "$out"
    PYTHONUNBUFFERED=1 "$node_bin" .gpu/gpuRun.mjs --corpus .gpu/aci-bench --out "$out" --phases "$phases"
    ;;
  *) echo "usage: bash scripts/trainEnv/gpuRun.sh prepare | run OUT [PHASES]" >&2; exit 2 ;;
esac
