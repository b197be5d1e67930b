/**
 * A SLURM batch script for running the same trainer on a cluster, for users who outgrow one
 * machine. The script activates the training environment and runs `accelerate launch` on the
 * requested GPUs of one node (plain python for one GPU), resuming automatically when the job is requeued.
 */
import type { TrainConfig } from './config';
import { accelerateArgs } from './launcher';

export interface SlurmOptions {
  jobName: string;
  /**
   * The folder the other paths are relative to, on the cluster. Defaults to the folder the job is
   * submitted from ($SLURM_SUBMIT_DIR); MEDIGEN_ROOT overrides it at submission. An absolute
   * runDir / trainerPath / venv is used as given.
   */
  root?: string;
  /** Run folder (holds config.json, checkpoints, logs), relative to the root. */
  runDir: string;
  /** Path of trainer.py, relative to the root (`medigen train slurm` copies it into the run folder). */
  trainerPath: string;
  /** Python virtual environment to activate, relative to the root. */
  venv: string;
  gpus: number;
  cpusPerGpu?: number;
  memory?: string;
  time?: string;
  partition?: string;
  account?: string;
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A path in the script: absolute as given, else under "$ROOT". */
function under(p: string): string {
  return p.startsWith('/') ? shq(p) : `"$ROOT"/${shq(p)}`;
}

export function slurmScript(cfg: TrainConfig, o: SlurmOptions): string {
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName.replace(/[^\w.-]/g, '_')}`,
    '#SBATCH --nodes=1',
    `#SBATCH --gres=gpu:${o.gpus}`,
    `#SBATCH --cpus-per-task=${(o.cpusPerGpu ?? 8) * o.gpus}`,
    `#SBATCH --mem=${o.memory ?? `${64 * o.gpus}G`}`,
    `#SBATCH --time=${o.time ?? '24:00:00'}`,
    `#SBATCH --output=${o.runDir}/slurm-%j.out`, // relative: to the folder sbatch is run from
    '#SBATCH --requeue',
    '#SBATCH --signal=B:TERM@120',
  ];
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.account) lines.push(`#SBATCH --account=${o.account}`);
  lines.push(
    '',
    `# MediGen Lab fine-tune of ${cfg.baseModel}: LoRA r=${cfg.lora.r}, ${cfg.quantization.load4bit ? '4-bit QLoRA' : 'bf16 LoRA'}, ${cfg.training.epochs} epochs.`,
    '# Submit with: sbatch this-file.sh    Follow with: tail -f <run dir>/trainer.log',
    'set -euo pipefail',
    '# Paths are relative to ROOT: the folder you submit from, or MEDIGEN_ROOT when set.',
    `ROOT="\${MEDIGEN_ROOT:-${o.root ? o.root.replace(/["\\$`]/g, '\\$&') : '$SLURM_SUBMIT_DIR'}}"`,
    `RUN_DIR=${under(o.runDir)}`,
    `source ${under(`${o.venv}/bin/activate`)}`,
    '# Resume when the run already has a checkpoint (after a requeue or a time limit).',
    'RESUME=""',
    'if ls "$RUN_DIR"/checkpoints/step-* >/dev/null 2>&1; then RESUME="--resume"; fi',
    '# SLURM sends TERM 120 s before the time limit; pass it on so the trainer checkpoints.',
    "trap 'kill -TERM $PID 2>/dev/null; wait $PID' TERM",
    `${o.gpus > 1 ? `accelerate launch ${accelerateArgs(o.gpus).join(' ')}` : 'python -u'} ${under(o.trainerPath)} --config "$RUN_DIR/config.json" $RESUME >"$RUN_DIR/protocol.jsonl" 2>>"$RUN_DIR/trainer.log" &`,
    'PID=$!',
    'wait $PID',
    '',
  );
  return lines.join('\n');
}
