/**
 * Where models come from: a local .gguf path or a Hugging Face URI (`hf:<user>/<repo>:<quant>`),
 * downloaded by node-llama-cpp (resumable, cancellable, with progress) into the models folder.
 * A small registry file remembers which file each URI resolved to, so a downloaded model keeps
 * working offline.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CancelledError, MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { readGgufHeader } from '../gguf/index';
import { summarizeGguf, type GgufSummary } from '../gguf/index';
import { nodeLlamaCpp } from './lib';

/** True for references that are downloaded rather than read from disk. */
export function isRemoteRef(ref: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)/i.test(ref.trim());
}

/**
 * The folder downloaded models go into. Defaults to the MEDIGEN_MODELS_DIR environment variable,
 * else `~/.medigen/models`.
 */
export function modelsDir(): string {
  return resolve(process.env.MEDIGEN_MODELS_DIR ?? join(homedir(), '.medigen', 'models'));
}

/** One remembered model. */
export interface ModelEntry {
  /** What the user gave: a path or a URI. */
  ref: string;
  /** The local .gguf file. */
  path: string;
  name: string;
  architecture: string;
  kind: 'model' | 'adapter';
  quantization: string;
  parameterCount: number;
  fileSizeBytes: number;
  contextLength?: number;
  addedAt: string;
}

function registryFile(dir: string): string {
  return join(dir, 'registry.json');
}

/** The remembered models in a models folder (defaults to `modelsDir()`). */
export function listModels(dir = modelsDir()): ModelEntry[] {
  const f = registryFile(dir);
  if (!existsSync(f)) return [];
  try {
    const parsed = JSON.parse(readFileSync(f, 'utf8')) as { models?: ModelEntry[] };
    return Array.isArray(parsed.models) ? parsed.models : [];
  } catch {
    throw new MedigenError(`The model registry ${f} is damaged.`, 'Delete that file; MediGen Lab rebuilds it the next time you use a model (downloaded files are kept).');
  }
}

/** Adds or updates a registry entry for a model file (by `ref`). */
export function rememberModel(ref: string, summary: GgufSummary, dir = modelsDir()): ModelEntry {
  const entry: ModelEntry = {
    ref,
    path: summary.path,
    name: summary.name,
    architecture: summary.architecture,
    kind: summary.kind,
    quantization: summary.quantization,
    parameterCount: summary.parameterCount,
    fileSizeBytes: summary.fileSizeBytes,
    ...(summary.contextLength !== undefined ? { contextLength: summary.contextLength } : {}),
    addedAt: new Date().toISOString(),
  };
  const models = listModels(dir).filter((m) => m.ref !== ref);
  models.push(entry);
  mkdirSync(dir, { recursive: true });
  const tmp = `${registryFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ models }, null, 2) + '\n');
  renameSync(tmp, registryFile(dir));
  return entry;
}

/** Options of `resolveModel`. */
export interface ResolveModelOptions {
  /** Folder downloads go into and the registry lives in. Defaults to `modelsDir()`. */
  directory?: string;
  /** Download progress in bytes. */
  progress?: Progress;
  /** Cancels a download; the partial file is kept so the next run resumes it. */
  signal?: AbortSignal;
  /** Hugging Face endpoint. Defaults to HF_ENDPOINT, else https://huggingface.co/. */
  huggingFaceEndpoint?: string;
  /** Whether to record the model in the registry. Defaults to true. */
  remember?: boolean;
}

/**
 * Turns a model reference into a local .gguf file, downloading it when it is a URI, and checks the
 * file is a readable GGUF. A URI that was downloaded before is found in the registry when offline.
 */
export async function resolveModel(ref: string, options: ResolveModelOptions = {}): Promise<{ path: string; summary: GgufSummary; downloaded: boolean }> {
  const dir = options.directory ?? modelsDir();
  let path: string;
  let downloaded = false;
  if (!isRemoteRef(ref)) {
    path = resolve(ref);
    if (!existsSync(path)) throw new MedigenError(`There is no model file at ${path}.`, 'Check the path, or give a Hugging Face URI such as hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M to download one.');
    if (statSync(path).isDirectory()) throw new MedigenError(`${path} is a folder, not a model file.`, 'Give the path of the .gguf file inside it.');
  } else {
    const known = listModels(dir).find((m) => m.ref === ref && existsSync(m.path));
    try {
      path = await downloadModelFile(ref, dir, options, () => (downloaded = true));
    } catch (e) {
      if (options.signal?.aborted) throw new CancelledError(`The download of ${ref} was cancelled.`, 'Run the same command again to resume the download where it stopped.', { cause: e });
      if (known) path = known.path;
      else throw downloadError(ref, e);
    }
  }
  const summary = summarizeGguf(await readGgufHeader(path));
  if (options.remember !== false && isRemoteRef(ref)) rememberModel(ref, summary, dir);
  return { path, summary, downloaded };
}

/**
 * Downloads an hf: URI (or URL) into `dir` with node-llama-cpp's model downloader. The file is
 * written as `<name>.gguf.ipull` with its progress saved beside the data, so a download that was
 * cancelled or cut off resumes where it stopped (node-llama-cpp's `resolveModelFile` would start
 * over: it writes straight to the final name and deletes it on cancel). A file already complete is
 * not downloaded again.
 */
async function downloadModelFile(ref: string, dir: string, options: ResolveModelOptions, onBytes: () => void): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const { createModelDownloader } = await nodeLlamaCpp();
  let last = 0;
  const downloader = await createModelDownloader({
    modelUri: ref,
    dirPath: dir,
    showCliProgress: false,
    skipExisting: false,
    deleteTempFileOnCancel: false,
    ...(options.huggingFaceEndpoint ? { endpoints: { huggingFace: options.huggingFaceEndpoint } } : {}),
    onProgress: ({ totalSize, downloadedSize }) => {
      onBytes();
      if (downloadedSize - last > 1 << 20 || downloadedSize === totalSize) {
        last = downloadedSize;
        options.progress?.report(downloadedSize, totalSize, 'bytes');
      }
    },
  });
  const target = downloader.entrypointFilePath;
  if (existsSync(target) && statSync(target).size === downloader.totalSize) {
    await downloader.cancel({ deleteTempFile: false });
    return target;
  }
  await downloader.download(options.signal ? { signal: options.signal } : {});
  // node-llama-cpp's downloader returns (without throwing) when its signal aborts; a download
  // that finished just as it was cancelled is complete, though.
  const complete = existsSync(target) && statSync(target).size === downloader.totalSize;
  if (options.signal?.aborted && !complete) throw options.signal.reason ?? new Error('aborted');
  return target;
}

function downloadError(ref: string, e: unknown): MedigenError {
  const msg = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
  if (/fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|network|socket/i.test(msg + cause)) {
    return new MedigenError(
      `Could not download ${ref}: this computer cannot reach the model host${cause}.`,
      'Connect to the internet and run the command again (downloads resume), or download the .gguf file on another computer and give its path instead of the URI.',
      { cause: e },
    );
  }
  if (/401|403|gated|unauthori[sz]ed/i.test(msg)) {
    return new MedigenError(`Could not download ${ref}: the model needs permission (${msg}).`, 'Accept the model licence on its Hugging Face page and set the HF_TOKEN environment variable, then run again.', { cause: e });
  }
  if (/404|not found|no .*gguf|could not find/i.test(msg)) {
    return new MedigenError(`Could not find ${ref}: ${msg}`, 'Check the repository name and quantization, e.g. hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M (the repository must hold .gguf files).', { cause: e });
  }
  return new MedigenError(`Could not download ${ref}: ${msg}`, 'Check the URI and your connection, then run again; a partial download resumes.', { cause: e });
}
