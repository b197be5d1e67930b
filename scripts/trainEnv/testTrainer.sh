#!/usr/bin/env bash
# npm run test:trainer — the real (Q)LoRA trainer, end to end on the CPU with a tiny random llama
# (test/trainer/). Builds or checks .cache/train-venv first (scripts/trainEnv/makeVenv.sh).
# Without a local Python package mirror it says so and exits 0 without running; otherwise a
# failure is a real failure (exit code 1).
set -uo pipefail
cd "$(dirname "$0")/../.."

bash scripts/trainEnv/makeVenv.sh >/dev/null
rc=$?
if [ "$rc" -eq 3 ]; then
  echo "test:trainer: SKIPPED, not run: this machine has no local Python package mirror (a torch CPU wheel and a file:// pip index), so the real trainer cannot be installed. Nothing was tested."
  exit 0
fi
if [ "$rc" -ne 0 ]; then
  echo "test:trainer: FAILED: the training environment could not be built (see the lines above)."
  exit 1
fi
if [ ! -f ../shared/aci-bench/challenge_data/train.csv ]; then
  echo "test:trainer: FAILED: the ACI-BENCH corpus is not at ../shared/aci-bench (the suite trains on its train/valid splits)."
  exit 1
fi
echo "test:trainer: training environment ready; running test/trainer (a few minutes on 2 cores)."
exec npx mocha --no-config -n import=tsx --timeout 600000 'test/trainer/**/*.test.ts'
