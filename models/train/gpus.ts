/**
 * What the NVIDIA driver sees, from `nvidia-smi`: the preflight's first look at the GPUs. It needs
 * no Python, so it answers before the training environment exists, and it tells apart "no GPU on
 * this machine" from "a GPU the training environment's PyTorch cannot use" (a CPU-only torch, or a
 * CUDA build newer than the driver).
 */
import { execFile } from 'node:child_process';

export interface SmiGpu {
  index: number;
  name: string;
  /** Bytes. */
  memoryTotal: number;
  /** Bytes. */
  memoryFree: number;
  /** Bytes. */
  memoryUsed: number;
  driver: string;
}

export type SmiReport = { gpus: SmiGpu[] } | { error: string };

const QUERY = 'index,name,memory.total,memory.free,memory.used,driver_version';
const MiB = 1024 ** 2;

/**
 * Parses `nvidia-smi --query-gpu=index,name,memory.total,memory.free,memory.used,driver_version
 * --format=csv,noheader,nounits` (memory in MiB). Lines that do not have six fields with numbers
 * where numbers belong are skipped (e.g. "[N/A]" on some virtual GPUs).
 */
export function parseNvidiaSmi(text: string): SmiGpu[] {
  const gpus: SmiGpu[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(',').map((x) => x.trim());
    if (f.length !== 6) continue;
    const [index, total, free, used] = [f[0], f[2], f[3], f[4]].map(Number) as [number, number, number, number];
    if (![index, total, free, used].every(Number.isFinite)) continue;
    gpus.push({ index, name: f[1]!, memoryTotal: total * MiB, memoryFree: free * MiB, memoryUsed: used * MiB, driver: f[5]! });
  }
  return gpus;
}

/**
 * Asks `nvidia-smi` for the GPUs and their memory. Resolves with `{ error }` (never rejects) when
 * the command is missing or fails, which on a machine without an NVIDIA driver is the normal answer.
 * `command` defaults to `nvidia-smi` on the PATH.
 */
export function queryNvidiaSmi(command = 'nvidia-smi', timeoutMs = 15_000): Promise<SmiReport> {
  return new Promise((resolve) => {
    execFile(command, [`--query-gpu=${QUERY}`, '--format=csv,noheader,nounits'], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        resolve({ error: missing ? 'nvidia-smi was not found: this machine has no NVIDIA driver installed (or it is not on the PATH).' : `nvidia-smi failed: ${(stderr || err.message).trim().split('\n')[0]}` });
        return;
      }
      const gpus = parseNvidiaSmi(stdout);
      resolve(gpus.length ? { gpus } : { error: `nvidia-smi listed no GPU it could read (${stdout.trim().split('\n')[0] || 'empty output'}).` });
    });
  });
}

/**
 * One sentence for a report where PyTorch sees no GPU: what nvidia-smi says, and what to do.
 * Returns undefined when nvidia-smi sees no GPU either (then "no GPU" is the whole story).
 */
export function explainTorchWithoutGpu(smi: SmiReport | undefined, torchVersion: string | null | undefined): string | undefined {
  if (!smi || 'error' in smi) return undefined;
  const g = smi.gpus[0]!;
  const cpuBuild = torchVersion?.includes('+cpu');
  return `nvidia-smi sees ${smi.gpus.length > 1 ? `${smi.gpus.length} GPUs (${g.name}, ...)` : g.name} (driver ${g.driver}), but the training environment's PyTorch${torchVersion ? ` ${torchVersion}` : ''} cannot use it` +
    (cpuBuild ? ': it is a CPU-only build.' : ': its CUDA build may be newer than the driver.') +
    ' Reinstall the training environment with a CUDA build of torch ("MediGen Lab: Set Up Training Environment" or `medigen train setup`).';
}
