/**
 * A SLURM batch script for running the same trainer on a cluster, for users who outgrow one
 * machine. The script activates the training environment and runs `accelerate launch` on the
 * requested GPUs of one node (plain python for one GPU), resuming automatically when the job is requeued.
 */
import type { TrainConfig } from './config';
import { accelerateArgs } from './launcher';

export interface SlurmOptions {
  jobName: string;
  /** Run folder on the cluster's shared filesystem (holds config.json, checkpoints, logs). */
  runDir: string;
  /** Path of trainer.py on the cluster. */
  trainerPath: string;
  /** Python virtual environment to activate. */
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

export function slurmScript(cfg: TrainConfig, o: SlurmOptions): string {
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName.replace(/[^\w.-]/g, '_')}`,
    '#SBATCH --nodes=1',
    `#SBATCH --gres=gpu:${o.gpus}`,
    `#SBATCH --cpus-per-task=${(o.cpusPerGpu ?? 8) * o.gpus}`,
    `#SBATCH --mem=${o.memory ?? `${64 * o.gpus}G`}`,
    `#SBATCH --time=${o.time ?? '24:00:00'}`,
    `#SBATCH --output=${o.runDir}/slurm-%j.out`,
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
    `RUN_DIR=${shq(o.runDir)}`,
    `source ${shq(`${o.venv}/bin/activate`)}`,
    '# Resume when the run already has a checkpoint (after a requeue or a time limit).',
    'RESUME=""',
    'if ls "$RUN_DIR"/checkpoints/step-* >/dev/null 2>&1; then RESUME="--resume"; fi',
    '# SLURM sends TERM 120 s before the time limit; pass it on so the trainer checkpoints.',
    "trap 'kill -TERM $PID 2>/dev/null; wait $PID' TERM",
    `${o.gpus > 1 ? `accelerate launch ${accelerateArgs(o.gpus).join(' ')}` : 'python -u'} ${shq(o.trainerPath)} --config "$RUN_DIR/config.json" $RESUME >"$RUN_DIR/protocol.jsonl" 2>>"$RUN_DIR/trainer.log" &`,
    'PID=$!',
    'wait $PID',
    '',
  );
  return lines.join('\n');
}
