/**
 * The llama.cpp runtime (node-llama-cpp's `Llama`): which compute backend it uses (CUDA, Vulkan,
 * Metal or the CPU), how many threads generation uses, and what memory is free.
 */
import { cpus, freemem, totalmem } from 'node:os';
import type { Llama } from 'node-llama-cpp';
import { MedigenError } from '../../core/index';
import { nodeLlamaCpp } from './lib';

/** Which compute backend to use: 'auto' picks the best one found (CUDA, Vulkan or Metal, else CPU). */
export type GpuChoice = 'auto' | 'cuda' | 'vulkan' | 'metal' | 'cpu';

/** Runtime settings shared by everything that loads a model. */
export interface RuntimeSettings {
  /** Compute backend. Defaults to the MEDIGEN_GPU environment variable, else 'auto'. */
  gpu?: GpuChoice;
  /**
   * Threads for evaluating tokens. Defaults to the MEDIGEN_THREADS environment variable, else
   * `defaultThreads()`: 1 on machines with 2 or fewer cores, else all cores but one.
   */
  threads?: number;
}

/**
 * The default thread count for `cores` CPU cores that are useful for math. Measured on a shared
 * 2-vCPU machine (greedy generation): a 250K-parameter model ran at 0.8-0.9 tok/s with
 * node-llama-cpp's default of 4 threads, 8-48 tok/s with 2 and 435-870 tok/s with 1; a
 * 27M-parameter F16 model at 0.4, 7-11 and 67-94 tok/s. Spinning worker threads that outnumber
 * free cores stall each other, so one core is left free. Defaults to 1 for 2 cores or fewer.
 */
export function defaultThreads(cores: number): number {
  return cores <= 2 ? 1 : cores - 1;
}

const GPU_CHOICES: readonly GpuChoice[] = ['auto', 'cuda', 'vulkan', 'metal', 'cpu'];

/** Parses a --gpu / MEDIGEN_GPU value. */
export function parseGpuChoice(value: string): GpuChoice {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === 'none' || v === 'off') return 'cpu';
  if ((GPU_CHOICES as readonly string[]).includes(v)) return v as GpuChoice;
  throw new MedigenError(`"${value}" is not a compute backend.`, `Use one of: ${GPU_CHOICES.join(', ')}.`);
}

/** Parses a --threads / MEDIGEN_THREADS value. */
export function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new MedigenError(`"${value}" is not a thread count.`, 'Give a whole number of threads such as 1 or 4. On small machines 1 is often fastest: try `medigen models hardware --bench`.');
  return n;
}

/** Settings with every default filled in. */
export function resolveSettings(settings: RuntimeSettings = {}, cores = cpus().length): Required<RuntimeSettings> {
  const gpu = settings.gpu ?? (process.env.MEDIGEN_GPU ? parseGpuChoice(process.env.MEDIGEN_GPU) : 'auto');
  const threads = settings.threads ?? (process.env.MEDIGEN_THREADS ? parseThreads(process.env.MEDIGEN_THREADS) : defaultThreads(cores));
  return { gpu, threads };
}

const runtimes = new Map<string, Promise<Llama>>();

/**
 * The node-llama-cpp runtime for a backend choice, created once per process and shared. When the
 * chosen GPU backend cannot start (no driver, no binary), a MedigenError says so; 'auto' falls
 * back to the CPU by itself.
 */
export async function getRuntime(settings: RuntimeSettings = {}): Promise<Llama> {
  const { gpu } = resolveSettings(settings);
  let p = runtimes.get(gpu);
  if (!p) {
    p = nodeLlamaCpp()
      .then(({ getLlama, LlamaLogLevel }) => getLlama({ gpu: gpu === 'cpu' ? false : gpu, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false }))
      .catch((e: unknown) => {
      runtimes.delete(gpu);
      throw new MedigenError(
        `The ${gpu === 'auto' ? 'llama.cpp' : gpu.toUpperCase()} runtime could not start: ${(e as Error).message}`,
        gpu === 'auto' || gpu === 'cpu' ? 'Reinstall MediGen Lab so node-llama-cpp brings its prebuilt binary for this system.' : `Check the ${gpu.toUpperCase()} driver is installed, or use --gpu auto (or cpu).`,
        { cause: e },
      );
    });
    runtimes.set(gpu, p);
  }
  return p;
}

/** Releases every runtime created by `getRuntime` (models and contexts on them are disposed too). */
export async function disposeRuntimes(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  for (const p of all) await (await p.catch(() => undefined))?.dispose();
}

/** What `medigen models hardware` reports. */
export interface HardwareReport {
  /** The backend in use: 'cuda', 'vulkan', 'metal' or 'cpu'. */
  backend: 'cuda' | 'vulkan' | 'metal' | 'cpu';
  gpuDevices: string[];
  /** GPU memory (bytes), when a GPU is used. */
  vramTotal?: number;
  vramFree?: number;
  ramTotal: number;
  ramFree: number;
  cpuCores: number;
  /** Cores node-llama-cpp counts as useful for math. */
  cpuMathCores: number;
  /** Threads generation will use with the current settings. */
  threads: number;
  /** Where the thread count came from. */
  threadsFrom: 'setting' | 'MEDIGEN_THREADS' | 'default';
  llamaCppRelease: string;
  binary: 'prebuilt' | 'localBuild';
}

/** Describes the runtime: backend, GPU devices and memory, CPU cores, and the chosen thread count. */
export async function describeHardware(settings: RuntimeSettings = {}): Promise<HardwareReport> {
  const llama = await getRuntime(settings);
  const backend = llama.gpu === false ? 'cpu' : llama.gpu;
  const report: HardwareReport = {
    backend,
    gpuDevices: backend === 'cpu' ? [] : await llama.getGpuDeviceNames(),
    ramTotal: totalmem(),
    ramFree: freemem(),
    cpuCores: cpus().length,
    cpuMathCores: llama.cpuMathCores,
    threads: resolveSettings(settings, llama.cpuMathCores).threads,
    threadsFrom: settings.threads !== undefined ? 'setting' : process.env.MEDIGEN_THREADS ? 'MEDIGEN_THREADS' : 'default',
    llamaCppRelease: llama.llamaCppRelease.release,
    binary: llama.buildType,
  };
  if (backend !== 'cpu') {
    const v = await llama.getVramState();
    report.vramTotal = v.total;
    report.vramFree = v.free;
  }
  return report;
}

/** Memory a model can use: free RAM, plus free GPU memory when a GPU is used (layers that do not fit stay on the CPU). */
export async function availableMemory(llama: Llama): Promise<{ bytes: number; where: string }> {
  if (llama.gpu !== false) return { bytes: (await llama.getVramState()).free + freemem(), where: 'GPU memory and RAM' };
  return { bytes: freemem(), where: 'RAM' };
}
