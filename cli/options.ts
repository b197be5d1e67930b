/**
 * Options several `medigen` commands share, written once: their parse specs, help texts and the
 * number checks, plus the one SIGINT → AbortController helper every long command uses.
 */
import { UsageError } from '../core/index';
import { parseGpuChoice, parseThreads, type RuntimeSettings } from '../models/llm/index';

/** `--corpus DIR`: where the ACI-BENCH CSV files are. */
export const CORPUS_OPTION = { corpus: { type: 'string' } } as const;
export const CORPUS_HELP = 'Folder with the ACI-BENCH CSV files, for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample.';

/** `--model FILE|hf:URI`. */
export const MODEL_HELP = 'A .gguf model file, a Hugging Face URI (hf:user/repo:quant, downloaded once), a Hugging Face model folder, or a training run folder (its base model); folders are converted to GGUF on the way (cached).';

/** `--gpu` and `--threads`: where and how llama.cpp computes. */
export const RUNTIME_OPTIONS = { gpu: { type: 'string' }, threads: { type: 'string' } } as const;
export const RUNTIME_HELP = {
  gpu: 'Compute backend: auto, cuda, vulkan, metal or cpu. Defaults to MEDIGEN_GPU, else auto (the best one found).',
  threads: 'Generation threads. Defaults to MEDIGEN_THREADS, else 1 on machines with 2 cores or fewer, else all cores but one (see medigen models hardware).',
};

/** The runtime settings the --gpu and --threads flags name. */
export function runtimeSettings(v: { gpu?: string | undefined; threads?: string | undefined }): RuntimeSettings {
  return { ...(v.gpu ? { gpu: parseGpuChoice(v.gpu) } : {}), ...(v.threads ? { threads: parseThreads(v.threads) } : {}) };
}

/** A numeric flag's value, or undefined when it was not given; a UsageError names the flag and the range. */
export function num(value: string | undefined, flag: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const { min = 0, max = Infinity, integer = false } = opts;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} must be a ${integer ? 'whole ' : ''}number from ${min}${max < Infinity ? ` to ${max}` : ' up'}, not "${value}".`, `Run \`medigen ${flag === 'threads' ? 'models hardware' : 'generate'} --help\` for examples.`);
  }
  return n;
}

/** `{ [key]: value }` when the value is given, else nothing (for exactOptionalPropertyTypes-style spreads). */
export function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/**
 * Runs `fn` with a signal that Ctrl+C (SIGINT) aborts, after printing `message` to `err`. The
 * handler is removed when `fn` settles, so a second Ctrl+C afterwards ends the process as usual.
 */
export async function withSigint<T>(err: NodeJS.WritableStream, message: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    err.write(`\n${message}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Resolves when the process gets SIGINT (Ctrl+C): for commands that run until stopped. */
export function untilSigint(): Promise<void> {
  return new Promise((resolveStop) => process.once('SIGINT', () => resolveStop()));
}
