/**
 * Turns a parsed GGUF header into the facts a person (and the model registry) needs: what the
 * model is, how big, how it is quantized, how much context it takes, and its chat template.
 */
import { FILE_TYPE_NAMES } from './types';
import type { GgufFileInfo } from './reader';

/** The facts about a GGUF file shown by `medigen models info`. */
export interface GgufSummary {
  path: string;
  /** `general.name`, or the file name when absent. */
  name: string;
  /** 'model' or 'adapter' (a LoRA adapter). */
  kind: 'model' | 'adapter';
  /** e.g. 'llama', 'qwen2'. */
  architecture: string;
  fileSizeBytes: number;
  ggufVersion: number;
  /** Quantization in llama.cpp's words (e.g. 'Q4_K_M'), from `general.file_type` or the tensors. */
  quantization: string;
  /** Number of tensors of each ggml type, e.g. { F32: 5, Q4_K: 120 }. */
  tensorTypes: Record<string, number>;
  /** Total number of weights (elements of all tensors). */
  parameterCount: number;
  /** Trained context length in tokens, when the model says. */
  contextLength?: number;
  embeddingLength?: number;
  layers?: number;
  vocabularySize?: number;
  /** The Jinja chat template, when the model has one. */
  chatTemplate?: string;
  /** For adapters: `adapter.type` (e.g. 'lora') and `adapter.lora.alpha`. */
  adapterType?: string;
  loraAlpha?: number;
  tensorCount: number;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** Summarizes a header read by `readGgufHeader`. */
export function summarizeGguf(info: GgufFileInfo): GgufSummary {
  const m = info.metadata;
  const arch = typeof m['general.architecture'] === 'string' ? (m['general.architecture'] as string) : 'unknown';
  const tensorTypes: Record<string, number> = {};
  const bytesByType: Record<string, number> = {};
  let params = 0;
  for (const t of info.tensors) {
    tensorTypes[t.typeName] = (tensorTypes[t.typeName] ?? 0) + 1;
    bytesByType[t.typeName] = (bytesByType[t.typeName] ?? 0) + (t.byteSize ?? 0);
    params += t.elements;
  }
  const ft = num(m['general.file_type']);
  const dominant = Object.entries(bytesByType).sort((a, b) => b[1] - a[1])[0]?.[0];
  const quantization = ft !== undefined ? (FILE_TYPE_NAMES[ft] ?? `file type ${ft}`) : (dominant ?? 'unknown');
  const vocab = num(m[`${arch}.vocab_size`]) ?? info.arrayLengths['tokenizer.ggml.tokens'];
  const fileName = info.path.split(/[\\/]/).pop() ?? info.path;
  const isAdapter = m['general.type'] === 'adapter';
  const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));
  return {
    path: info.path,
    name: typeof m['general.name'] === 'string' ? (m['general.name'] as string) : fileName,
    kind: isAdapter ? 'adapter' : 'model',
    architecture: arch,
    fileSizeBytes: info.fileSize,
    ggufVersion: info.version,
    quantization,
    tensorTypes,
    parameterCount: params,
    tensorCount: info.tensors.length,
    ...opt('contextLength', num(m[`${arch}.context_length`])),
    ...opt('embeddingLength', num(m[`${arch}.embedding_length`])),
    ...opt('layers', num(m[`${arch}.block_count`])),
    ...opt('vocabularySize', vocab),
    ...opt('chatTemplate', typeof m['tokenizer.chat_template'] === 'string' ? (m['tokenizer.chat_template'] as string) : undefined),
    ...opt('adapterType', typeof m['adapter.type'] === 'string' ? (m['adapter.type'] as string) : undefined),
    ...opt('loraAlpha', num(m['adapter.lora.alpha'])),
  };
}

/** Human-readable byte size: 1536 → '1.5 KB'. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v.toFixed(v >= 10 ? 0 : 1)} ${units[i]}`;
}

/** Human-readable parameter count: 1_100_000_000 → '1.1B'. */
export function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}
