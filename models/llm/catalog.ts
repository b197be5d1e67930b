/**
 * The recommended models: a short list of instruction-tuned GGUF models that fit a student laptop,
 * kept in one data file an instructor can replace (models/llm/catalog.json, or the file named by
 * MEDIGEN_MODEL_CATALOG / the medigenLab.modelCatalog setting). For each one, whether this computer
 * can run it, and its download into the models folder with node-llama-cpp's downloader (progress,
 * resumable, cancellable).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MedigenError, projectRoot, type Progress } from '../../core/index';
import type { HardwareReport } from './hardware';
import { listModels, modelsDir, resolveModel } from './registry';
import type { GgufSummary } from '../gguf/index';

/** One recommended model (a row of catalog.json). */
export interface CatalogModel {
  /** Short name to type: `medigen models download <name>`. */
  name: string;
  /** Human title, e.g. "Llama 3.2 1B Instruct (Q4_K_M)". */
  title: string;
  /** Where node-llama-cpp downloads it from: `hf:<user>/<repo>:<quant>` or `hf:<user>/<repo>/<file>.gguf`. */
  uri: string;
  /** The model's web page (licence, details). */
  page?: string;
  /** Download size in GB (10^9 bytes). */
  downloadGB: number;
  /** Memory generation needs, in GB, at an 8192-token context (estimate). */
  memoryGB: number;
  license: string;
  /** One line for the student. */
  note: string;
  /** Where the sizes were read. */
  source?: string;
}

/** The catalog file: `file`, else MEDIGEN_MODEL_CATALOG, else the one shipped with MediGen Lab. */
export function catalogFile(file?: string): string {
  const chosen = file?.trim() || process.env.MEDIGEN_MODEL_CATALOG?.trim();
  return chosen ? resolve(chosen) : join(projectRoot(), 'models', 'llm', 'catalog.json');
}

const FIELDS: Record<string, 'string' | 'number'> = { name: 'string', title: 'string', uri: 'string', downloadGB: 'number', memoryGB: 'number', license: 'string', note: 'string' };

/** Reads and checks a catalog file; every problem names the file, the entry and the field. */
export function loadCatalog(file?: string): CatalogModel[] {
  const f = catalogFile(file);
  if (!existsSync(f)) throw new MedigenError(`The model list ${f} does not exist.`, 'Check MEDIGEN_MODEL_CATALOG (or the medigenLab.modelCatalog setting), or clear it to use the list shipped with MediGen Lab.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    throw new MedigenError(`The model list ${f} is not valid JSON: ${(e as Error).message}.`, 'Fix the file (compare it with models/llm/catalog.json shipped with MediGen Lab).');
  }
  const models = (parsed as { models?: unknown }).models;
  if (!Array.isArray(models) || models.length === 0) throw new MedigenError(`The model list ${f} has no "models" array.`, 'The file must look like {"models": [{"name": ..., "uri": "hf:...", ...}]}.');
  const seen = new Set<string>();
  return models.map((m: Record<string, unknown>, i) => {
    for (const [k, t] of Object.entries(FIELDS)) {
      if (typeof m?.[k] !== t || (t === 'number' && !((m[k] as number) > 0)) || (t === 'string' && !(m[k] as string).trim())) {
        throw new MedigenError(`Entry ${i + 1} of the model list ${f} needs "${k}" (${t === 'number' ? 'a number above 0' : 'text'}).`, `Fields of every entry: ${Object.keys(FIELDS).join(', ')} (page and source are optional).`);
      }
    }
    if (!/^hf:[^/\s]+\/[^\s]+$/i.test(m.uri as string)) throw new MedigenError(`Entry "${String(m.name)}" of ${f} has uri "${String(m.uri)}", which is not an hf: URI.`, 'Write it as hf:<user>/<repo>:<quant>, e.g. hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M.');
    if (seen.has(m.name as string)) throw new MedigenError(`The model list ${f} names "${String(m.name)}" twice.`, 'Give every entry its own name.');
    seen.add(m.name as string);
    return m as unknown as CatalogModel;
  });
}

/** The catalog entry with this name (case-insensitive), or undefined. */
export function findCatalogModel(models: readonly CatalogModel[], name: string): CatalogModel | undefined {
  return models.find((m) => m.name.toLowerCase() === name.trim().toLowerCase());
}

/** Whether this computer can run a model. */
export interface ModelFit {
  /** 'gpu': fits in free GPU memory; 'cpu': fits in free RAM (on the CPU, or shared with the GPU); 'tight': only with other programs closed; 'no': more than this computer has. */
  level: 'gpu' | 'cpu' | 'tight' | 'no';
  /** One line for the student. */
  text: string;
}

const GB = 1e9;
const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

/** Compares a model's memory need with this computer (from describeHardware). */
export function assessFit(model: Pick<CatalogModel, 'memoryGB'>, hw: Pick<HardwareReport, 'backend' | 'ramTotal' | 'ramFree' | 'vramFree' | 'vramTotal'>): ModelFit {
  const need = model.memoryGB * GB;
  const gpu = hw.backend === 'cpu' ? undefined : hw.backend.toUpperCase();
  if (gpu && (hw.vramFree ?? 0) >= need) return { level: 'gpu', text: `runs on the GPU (${gpu}: ${gb(hw.vramFree ?? 0)} free)` };
  const free = hw.ramFree + (gpu ? hw.vramFree ?? 0 : 0);
  if (free >= need) return { level: 'cpu', text: gpu ? `runs partly on the GPU (${gpu}), the rest on the CPU (${gb(free)} free in all)` : `runs on the CPU (${gb(hw.ramFree)} of RAM free)` };
  const total = hw.ramTotal + (gpu ? hw.vramTotal ?? 0 : 0);
  if (total >= need) return { level: 'tight', text: `needs ${gb(need)}, ${gb(free)} free now: close other programs first` };
  return { level: 'no', text: `too big for this computer (needs ${gb(need)}, it has ${gb(total)} in all)` };
}

/** True when a catalog model was downloaded before (found in the models folder's registry). */
export function isDownloaded(model: Pick<CatalogModel, 'uri'>, dir = modelsDir()): string | undefined {
  return listModels(dir).find((m) => m.ref === model.uri && existsSync(m.path))?.path;
}

/** Options of `downloadCatalogModel`. */
export interface DownloadOptions {
  /** The models folder. Defaults to `modelsDir()`. */
  directory?: string;
  progress?: Progress;
  /** Cancels the download; the partial file stays, and the next download resumes it. */
  signal?: AbortSignal;
  /** The model host. Defaults to MODEL_ENDPOINT or HF_ENDPOINT (read by node-llama-cpp), else https://huggingface.co/. */
  huggingFaceEndpoint?: string;
}

/**
 * Downloads a catalog model (or any hf: URI) into the models folder with node-llama-cpp's
 * downloader and records it in the registry. A download that was interrupted or cancelled resumes
 * where it stopped; a model already downloaded is not downloaded again.
 */
export async function downloadCatalogModel(model: CatalogModel | string, options: DownloadOptions = {}): Promise<{ path: string; summary: GgufSummary; downloaded: boolean }> {
  const uri = typeof model === 'string' ? model : model.uri;
  const dir = options.directory ?? modelsDir();
  try {
    return await resolveModel(uri, { directory: dir, ...(options.progress ? { progress: options.progress } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.huggingFaceEndpoint ? { huggingFaceEndpoint: options.huggingFaceEndpoint } : {}) });
  } catch (e) {
    if (e instanceof MedigenError && /cannot reach the model host/.test(e.message)) {
      const page = typeof model === 'string' ? '' : model.page ? ` (${model.page})` : '';
      throw new MedigenError(
        `${e.message} You seem to be offline.`,
        `Connect to the internet and run the same download again: it resumes where it stopped. Without internet here, download the .gguf file${page} on another computer, copy it to this one, and choose it with "Choose a GGUF File…" (or give its path to --model).`,
        { cause: e },
      );
    }
    throw e;
  }
}
