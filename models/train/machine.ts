/**
 * What this machine can train, in plain words, and whether a chosen run can start here: a machine
 * without a CUDA GPU trains on the CPU only (plain LoRA in float32, small models); 4-bit QLoRA needs
 * bitsandbytes on a CUDA GPU; an 8B model cannot train on a CPU. Each refusal says why and what to
 * do (the CPU course setting, or one of the GPU paths). Pure: the form, the CLI and the recipe use it.
 */
import { architectureRefFor, parameterCounts, resolveArchitecture } from './architecture';
import type { TrainConfig } from './config';
import type { EnvironmentReport } from './protocol';

/** Above this many parameters a CPU run is refused (float32 weights alone would need 4 GB, and an epoch would take days). */
export const CPU_MAX_PARAMS = 1e9;
/** Above this many parameters a CPU run is allowed but warned about (hours, not minutes). */
export const CPU_SLOW_PARAMS = 20e6;

/** What the machine offers for training. */
export interface MachineView {
  /** A CUDA GPU is visible to the training environment's PyTorch. */
  cuda: boolean;
  /** bitsandbytes is importable (4-bit QLoRA possible, with CUDA). */
  fourBit: boolean;
  /** One or two sentences: what this machine can train. */
  summary: string;
}

/** Whether a run can start here, and if not why and what to do. */
export interface RunVerdict {
  canRun: boolean;
  /** Why it cannot run (or a warning when it can), in plain words. */
  reason?: string;
  /** What to do instead. */
  whatToDo?: string;
}

/** A way to train on a GPU, and what it needs. */
export interface GpuPath {
  id: 'local-cuda' | 'ssh' | 'slurm';
  title: string;
  needs: string;
  how: string;
}

/** The three GPU paths, each one choice away from the CPU course setting. */
export const GPU_PATHS: GpuPath[] = [
  {
    id: 'local-cuda',
    title: 'This computer, with an NVIDIA GPU',
    needs: 'An NVIDIA GPU with 16 GB or more for Llama-3-8B in 4-bit (check with `nvidia-smi`), and "Set Up Training Environment" run again so bitsandbytes is installed.',
    how: 'Set Device to auto, tick "Load the base model in 4-bit", and launch here.',
  },
  {
    id: 'ssh',
    title: 'A lab machine over SSH',
    needs: 'An SSH login to a machine with an NVIDIA GPU and Python 3.10+ (ask your lab), and the base model downloaded there.',
    how: 'Save the config, run `medigen train prepare --config <file>` (a self-contained run folder), copy the folder over (`scp -r`), run `python trainer.py --config config.json` inside it there, and copy `adapter/` back.',
  },
  {
    id: 'slurm',
    title: 'A cluster (SLURM)',
    needs: 'An account on a cluster that schedules GPU jobs with SLURM.',
    how: 'Run `medigen train prepare --config <file>`, then `medigen train slurm --run runs/<run>`: it writes slurm.sh into the run folder; copy the folder to the cluster and submit it with `sbatch`.',
  },
];

/** The model's parameter count, when its size can be told (a model folder with config.json, or a known model's name). */
export function modelParameters(baseModel: string): number | undefined {
  const ref = architectureRefFor(baseModel);
  if (!ref) return undefined;
  try {
    return parameterCounts(resolveArchitecture(ref)).total;
  } catch {
    return undefined;
  }
}

function sizeInWords(params: number): string {
  return params >= 1e9 ? `${(params / 1e9).toFixed(1)} billion` : params >= 1e6 ? `${(params / 1e6).toFixed(1)} million` : `${Math.round(params / 1e3)} thousand`;
}

/** Describes the machine from the training environment's report. */
export function describeMachine(report: EnvironmentReport): MachineView {
  const cuda = report.cuda && report.gpus.length > 0;
  const fourBit = !!report.packages.bitsandbytes;
  let summary: string;
  if (!cuda) {
    summary = 'This machine has no CUDA GPU, so it can train on the CPU only: plain LoRA in float32, for small models such as the CPU course model (a few minutes). Llama-3-8B and other 1B+ models need a GPU: use one of the GPU paths below.';
  } else {
    const g = report.gpus[0]!;
    const gib = (g.memoryTotal / 1024 ** 3).toFixed(0);
    summary = `This machine has a CUDA GPU (${g.name}, ${gib} GiB): it can train real models with ${fourBit ? '4-bit QLoRA' : 'LoRA (bitsandbytes is not installed, so no 4-bit QLoRA: run "Set Up Training Environment" again)'}; the memory estimate says which settings fit.`;
  }
  return { cuda, fourBit, summary };
}

/**
 * Whether `cfg` can train on this machine. Refused: a GPU device without a CUDA GPU; 4-bit on the
 * CPU; a model of a billion parameters or more on the CPU. Allowed with a warning: 4-bit without
 * bitsandbytes (the trainer falls back to 16-bit), a CPU model above 20 million parameters (hours),
 * or one whose size cannot be told.
 */
export function runVerdict(cfg: Pick<TrainConfig, 'baseModel' | 'device' | 'quantization'>, machine: Pick<MachineView, 'cuda' | 'fourBit'>): RunVerdict {
  const device = cfg.device ?? 'auto';
  const onCpu = device === 'cpu';
  const params = modelParameters(cfg.baseModel);
  const gpuPaths = 'use one of the GPU paths (this computer with an NVIDIA GPU, a lab machine over SSH, or a cluster through `medigen train slurm`)';
  if (onCpu && params !== undefined && params >= CPU_MAX_PARAMS) {
    return {
      canRun: false,
      reason: `${cfg.baseModel} has about ${sizeInWords(params)} parameters: on a CPU its float32 weights alone need ${((params * 4) / 1024 ** 3).toFixed(0)} GiB of memory, and one pass over the training split would take days.`,
      whatToDo: `Choose the CPU course setting (a small model MediGen Lab creates, a few minutes), or ${gpuPaths}.`,
    };
  }
  if (onCpu && cfg.quantization.load4bit) {
    return {
      canRun: false,
      reason: '4-bit loading (QLoRA) needs bitsandbytes on a CUDA GPU, and Device is cpu.',
      whatToDo: `Untick "Load the base model in 4-bit" to train plain LoRA in float32 on the CPU (the CPU course setting does this), or ${gpuPaths}.`,
    };
  }
  if (!onCpu && !machine.cuda) {
    return {
      canRun: false,
      reason: `Device is ${device}, but this machine has no CUDA GPU${cfg.quantization.load4bit ? ' (and 4-bit QLoRA needs one)' : ''}.`,
      whatToDo: `Choose the CPU course setting to do the module here, or ${gpuPaths}.`,
    };
  }
  if (!onCpu && cfg.quantization.load4bit && !machine.fourBit) {
    return { canRun: true, reason: 'bitsandbytes is not installed, so the trainer will load the base in 16-bit instead of 4-bit (about 4x the weight memory). Run "Set Up Training Environment" again to install it.' };
  }
  if (onCpu && params === undefined) {
    return { canRun: true, reason: `MediGen Lab cannot tell the size of ${cfg.baseModel}: on the CPU only small models (under ${sizeInWords(CPU_SLOW_PARAMS)} parameters) train in minutes.` };
  }
  if (onCpu && params !== undefined && params >= CPU_SLOW_PARAMS) {
    return { canRun: true, reason: `${cfg.baseModel} has about ${sizeInWords(params)} parameters: on the CPU expect hours, not minutes.` };
  }
  return { canRun: true };
}
