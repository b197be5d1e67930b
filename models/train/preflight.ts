/**
 * The run form's preflight: the training environment in words (packages, CUDA, GPUs, free
 * memory) and the GPU memory estimate for the chosen model, with what to change when it will not
 * fit. Plain Node (reads a model folder's config.json); the form panel sends the results as is.
 */
import { describeError } from '../../core/index';
import { KNOWN_ARCHITECTURES, architectureRefFor, resolveArchitecture } from './architecture';
import { explainTorchWithoutGpu } from './gpus';
import type { TrainConfig } from './config';
import { describeMachine, type MachineView } from './machine';
import { adviseFit, estimateMemory, memorySettingsFor } from './memory';
import type { EnvironmentReport } from './protocol';

const GiB = 1024 ** 3;

/** Packages a real (Q)LoRA run cannot do without; bitsandbytes only for 4-bit loading. */
export const REQUIRED_PACKAGES = ['torch', 'transformers', 'peft', 'accelerate', 'safetensors'];

export { architectureRefFor, memorySettingsFor };

/** The memory estimate as the form shows it. */
export interface MemoryView {
  /** The model estimated, e.g. "Llama-3-8B (from the name)". */
  model: string;
  rows: { label: string; gib: string; note: string }[];
  total: string;
  /** Free GPU memory compared with, when known. */
  free?: string;
  /** undefined when there is nothing to compare with. */
  fits?: boolean;
  suggestions: string[];
  /** One sentence saying what the estimate means. */
  message: string;
}

/** Estimates memory for a config; `freeBytes` from the first GPU (or what the student typed). */
export function memoryPreflight(cfg: TrainConfig, estimateAs: string | undefined, freeBytes: number | undefined): MemoryView | { error: string } {
  const ref = architectureRefFor(cfg.baseModel, estimateAs);
  if (!ref) {
    return { error: `MediGen Lab cannot tell the size of "${cfg.baseModel}". Pick its size under "Estimate as", or set the base model to a downloaded model folder (with config.json).` };
  }
  try {
    const arch = resolveArchitecture(ref);
    const s = memorySettingsFor(cfg);
    const est = estimateMemory(arch, s);
    const how = KNOWN_ARCHITECTURES[ref] ? (estimateAs === ref ? 'chosen size' : 'guessed from the name') : 'from its config.json';
    const view: MemoryView = {
      model: `${arch.name} (${how})`,
      rows: est.parts.map((p) => ({ label: p.label, gib: (p.bytes / GiB).toFixed(2), note: p.note })),
      total: (est.total / GiB).toFixed(2),
      suggestions: [],
      message: `Training needs about ${(est.total / GiB).toFixed(1)} GiB of GPU memory.`,
    };
    if (freeBytes !== undefined && Number.isFinite(freeBytes) && freeBytes > 0) {
      const advice = adviseFit(arch, s, freeBytes);
      view.free = (freeBytes / GiB).toFixed(2);
      view.fits = advice.fits;
      view.suggestions = advice.suggestions;
      view.message = advice.fits
        ? `It fits: about ${(est.total / GiB).toFixed(1)} GiB needed, ${(freeBytes / GiB).toFixed(1)} GiB free.`
        : `It will probably NOT fit: about ${(est.total / GiB).toFixed(1)} GiB needed, ${(freeBytes / GiB).toFixed(1)} GiB free. Change the settings as suggested below.`;
    } else {
      view.message += ' No GPU is visible to compare with; type your GPU\'s free memory to check the fit.';
    }
    return view;
  } catch (err) {
    return { error: describeError(err) };
  }
}

/** The training environment as the form shows it. */
export interface EnvironmentView {
  python: string;
  packages: { name: string; version: string | null; required: boolean }[];
  cuda: boolean;
  gpus: { name: string; free: string; total: string }[];
  /** Free memory of the first GPU in bytes (for the estimate). */
  freeBytes?: number;
  /** Can a run with this config start here? */
  ready: boolean;
  /** What it means and what to do, in one or two sentences. */
  message: string;
  /** What this machine can train (GPU or CPU only, 4-bit or not), when Python answered. */
  machine?: MachineView;
}

/** Describes an environment report (or the failure to get one) for a config's device. */
export function environmentView(report: EnvironmentReport | { error: string }, interpreter: string, device: TrainConfig['device'] = 'auto'): EnvironmentView {
  if ('error' in report) {
    return { python: interpreter, packages: [], cuda: false, gpus: [], ready: false, message: `${report.error}. Install Python 3.10 or newer, or click "Set Up Training Environment".` };
  }
  const packages = Object.entries(report.packages).map(([name, version]) => ({ name, version, required: REQUIRED_PACKAGES.includes(name) }));
  const missing = packages.filter((p) => p.required && !p.version).map((p) => p.name);
  const gpus = report.gpus.map((g) => ({ name: g.name, free: (g.memoryFree / GiB).toFixed(1), total: (g.memoryTotal / GiB).toFixed(1) }));
  const needsGpu = device !== 'cpu';
  const hasGpu = report.cuda && report.gpus.length > 0;
  let message: string;
  if (missing.length) message = `Python ${report.python} (${interpreter}) lacks ${missing.join(', ')}. Click "Set Up Training Environment" to install the training packages (needs internet, several GB).`;
  else if (needsGpu && !hasGpu) message = explainTorchWithoutGpu(report.nvidiaSmi, report.packages.torch) ?? 'The packages are installed, but no CUDA GPU is visible, so this machine trains on the CPU only. Choose the CPU course setting to do the module here, or a GPU path for real models.';
  else if (!hasGpu) message = 'Ready to train on the CPU (small models only, such as the CPU course model: real models would take days).';
  else message = `Ready: ${report.gpus[0]!.name} with ${gpus[0]!.free} GiB free.`;
  const view: EnvironmentView = { python: `${report.python} (${interpreter})`, packages, cuda: report.cuda, gpus, ready: missing.length === 0 && (!needsGpu || hasGpu), message, machine: describeMachine(report) };
  if (hasGpu) view.freeBytes = report.gpus[0]!.memoryFree;
  return view;
}
