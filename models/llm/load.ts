/**
 * Loads a GGUF model with node-llama-cpp after checking it: a readable GGUF (not random bytes,
 * not a truncated download), a model rather than a LoRA adapter, and small enough for free memory.
 */
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { CancelledError, MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { readGgufHeader, type GgufFileInfo } from '../gguf/index';
import { formatBytes, summarizeGguf, type GgufSummary } from '../gguf/index';
import { availableMemory, getRuntime, resolveSettings, type RuntimeSettings } from './hardware';
import { resolveModel, type ResolveModelOptions } from './registry';

/** Bytes a model needs to run with `contextSize` tokens of context: its weights plus an F16 KV cache. */
export function estimateMemory(info: GgufFileInfo, contextSize: number): number {
  const m = info.metadata;
  const arch = String(m['general.architecture'] ?? '');
  const n = (k: string) => (typeof m[`${arch}.${k}`] === 'number' ? (m[`${arch}.${k}`] as number) : undefined);
  const layers = n('block_count') ?? 0;
  const embd = n('embedding_length') ?? 0;
  const heads = n('attention.head_count') ?? 1;
  const kvHeads = n('attention.head_count_kv') ?? heads;
  const kvDim = heads > 0 ? (embd / heads) * kvHeads : embd;
  const weights = info.fileSize - info.dataOffset;
  const kv = 2 * layers * contextSize * kvDim * 2;
  return Math.round(weights + kv + 64 * 1024 * 1024); // plus compute buffers
}

/** Checks a GGUF file can be used as a model. Returns its header and summary; throws a MedigenError naming the reason otherwise. */
export async function checkModelFile(path: string, options: { contextSize?: number; availableBytes?: number; where?: string } = {}): Promise<{ info: GgufFileInfo; summary: GgufSummary }> {
  const info = await readGgufHeader(path);
  const summary = summarizeGguf(info);
  if (summary.kind === 'adapter') {
    throw new MedigenError(`${path} is a LoRA adapter, not a model.`, 'Load the base model it was trained for as the model, and give this file as the adapter (--lora).');
  }
  if (info.tensors.length === 0) throw new MedigenError(`${path} has no weights (0 tensors).`, 'It may be a vocabulary-only file. Use a complete model .gguf file.');
  if (options.availableBytes !== undefined) {
    const need = estimateMemory(info, options.contextSize ?? Math.min(summary.contextLength ?? 4096, 4096));
    if (need > options.availableBytes) {
      throw new MedigenError(
        `${summary.name} needs about ${formatBytes(need)} of memory but only ${formatBytes(options.availableBytes)} of ${options.where ?? 'memory'} is free.`,
        'Close other programs, use a smaller context (--context), or pick a smaller or more quantized version of the model (e.g. Q4_K_M instead of Q8_0, or a 1B model instead of 8B).',
      );
    }
  }
  return { info, summary };
}

/** Options of `loadLlm`. */
export interface LoadLlmOptions extends RuntimeSettings, ResolveModelOptions {
  /** Context size the model will be used with (for the memory check). Defaults to min(trained context, 4096). */
  contextSize?: number;
  /** Skip the free-memory check (the model may still fail to load). Defaults to false. */
  ignoreMemoryCheck?: boolean;
  /** Loading progress (0..100). */
  loadProgress?: Progress;
}

/** A loaded model. Call `dispose()` when done. */
export interface LoadedLlm {
  llama: Llama;
  model: LlamaModel;
  path: string;
  summary: GgufSummary;
  /** Settings in effect (backend and thread count). */
  settings: Required<RuntimeSettings>;
  dispose(): Promise<void>;
  /** The same as dispose(), for `await using loaded = await loadLlm(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Resolves (downloading if needed), checks and loads a model. */
export async function loadLlm(ref: string, options: LoadLlmOptions = {}): Promise<LoadedLlm> {
  const { path } = await resolveModel(ref, options);
  const llama = await getRuntime(options);
  const settings = resolveSettings(options, llama.cpuMathCores);
  const mem = await availableMemory(llama);
  const { summary } = await checkModelFile(path, {
    ...(options.contextSize !== undefined ? { contextSize: options.contextSize } : {}),
    ...(options.ignoreMemoryCheck ? {} : { availableBytes: mem.bytes, where: mem.where }),
  });
  let model: LlamaModel;
  try {
    model = await llama.loadModel({
      modelPath: path,
      ...(options.signal ? { loadSignal: options.signal } : {}),
      ...(options.loadProgress ? { onLoadProgress: (p: number) => options.loadProgress!.report(Math.round(p * 100), 100, 'loading') } : {}),
    });
  } catch (e) {
    if (options.signal?.aborted) throw new CancelledError('Loading the model was cancelled.', 'Start again when you are ready.', { cause: e });
    throw new MedigenError(`llama.cpp could not load ${path}: ${(e as Error).message}`, `The file is a GGUF ${summary.architecture} model; this version of llama.cpp (${llama.llamaCppRelease.release}) may not support that architecture, or the file is damaged. Try another quantization or update MediGen Lab.`, { cause: e });
  }
  return {
    llama,
    model,
    path,
    summary,
    settings,
    async dispose() {
      if (!model.disposed) await model.dispose();
    },
    async [Symbol.asyncDispose]() {
      if (!model.disposed) await model.dispose();
    },
  };
}
