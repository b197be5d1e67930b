/**
 * The shape of a decoder-only transformer, as a Hugging Face `config.json` gives it, and the
 * parameter counts the memory estimate is built from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';

export interface Architecture {
  name: string;
  hiddenSize: number;
  layers: number;
  intermediateSize: number;
  vocabSize: number;
  heads: number;
  kvHeads: number;
  tieEmbeddings: boolean;
}

/** Shapes of models students commonly fine-tune (from their published config.json files). */
export const KNOWN_ARCHITECTURES: Record<string, Architecture> = {
  'llama-3-8b': { name: 'Llama-3-8B', hiddenSize: 4096, layers: 32, intermediateSize: 14336, vocabSize: 128256, heads: 32, kvHeads: 8, tieEmbeddings: false },
  'llama-2-7b': { name: 'Llama-2-7B', hiddenSize: 4096, layers: 32, intermediateSize: 11008, vocabSize: 32000, heads: 32, kvHeads: 32, tieEmbeddings: false },
  'mistral-7b': { name: 'Mistral-7B', hiddenSize: 4096, layers: 32, intermediateSize: 14336, vocabSize: 32000, heads: 32, kvHeads: 8, tieEmbeddings: false },
  'llama-3.2-1b': { name: 'Llama-3.2-1B', hiddenSize: 2048, layers: 16, intermediateSize: 8192, vocabSize: 128256, heads: 32, kvHeads: 8, tieEmbeddings: true },
  'llama-3.2-3b': { name: 'Llama-3.2-3B', hiddenSize: 3072, layers: 28, intermediateSize: 8192, vocabSize: 128256, heads: 24, kvHeads: 8, tieEmbeddings: true },
};

/** Reads the architecture from a model folder's config.json (llama-family keys). */
export function architectureFromConfig(config: Record<string, unknown>, name = String(config._name_or_path ?? config.model_type ?? 'model')): Architecture {
  const num = (k: string, fallback?: number): number => {
    const v = config[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    if (fallback !== undefined) return fallback;
    throw new MedigenError(`The model's config.json has no usable "${k}".`, 'Use the config.json of a decoder-only (llama-family) model, or pick a known model size.');
  };
  const heads = num('num_attention_heads');
  return {
    name,
    hiddenSize: num('hidden_size'),
    layers: num('num_hidden_layers'),
    intermediateSize: num('intermediate_size'),
    vocabSize: num('vocab_size'),
    heads,
    kvHeads: num('num_key_value_heads', heads),
    tieEmbeddings: config.tie_word_embeddings === true,
  };
}

/** An architecture by known name, or from `<dir>/config.json`. */
export function resolveArchitecture(ref: string): Architecture {
  const known = KNOWN_ARCHITECTURES[ref.toLowerCase()];
  if (known) return known;
  const file = existsSync(join(ref, 'config.json')) ? join(ref, 'config.json') : ref;
  if (!existsSync(file)) {
    throw new MedigenError(`"${ref}" is neither a known model size nor a folder with config.json.`, `Use one of ${Object.keys(KNOWN_ARCHITECTURES).join(', ')}, or the folder of a downloaded model.`);
  }
  return architectureFromConfig(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
}

/** Linear-layer shapes [in, out] of one block, by the module names PEFT targets. */
export function blockLinears(a: Architecture): Record<string, [number, number]> {
  const headDim = a.hiddenSize / a.heads;
  const kv = a.kvHeads * headDim;
  return {
    q_proj: [a.hiddenSize, a.hiddenSize],
    k_proj: [a.hiddenSize, kv],
    v_proj: [a.hiddenSize, kv],
    o_proj: [a.hiddenSize, a.hiddenSize],
    gate_proj: [a.hiddenSize, a.intermediateSize],
    up_proj: [a.hiddenSize, a.intermediateSize],
    down_proj: [a.intermediateSize, a.hiddenSize],
  };
}

export interface ParameterCounts {
  /** Parameters in the transformer blocks' linear layers (what 4-bit quantization applies to). */
  linear: number;
  /** Embedding + output head (kept in 16-bit by bitsandbytes). */
  embeddings: number;
  /** Norm weights (small, 16-bit). */
  norms: number;
  total: number;
}

export function parameterCounts(a: Architecture): ParameterCounts {
  const perBlock = Object.values(blockLinears(a)).reduce((s, [i, o]) => s + i * o, 0);
  const linear = perBlock * a.layers;
  const embeddings = a.vocabSize * a.hiddenSize * (a.tieEmbeddings ? 1 : 2);
  const norms = a.hiddenSize * (2 * a.layers + 1);
  return { linear, embeddings, norms, total: linear + embeddings + norms };
}

const NAME_GUESSES: [RegExp, string][] = [
  [/llama[-_ ]?3\.[12].*\b1b\b|llama[-_ ]?3\.[12][-_ ]?1b/i, 'llama-3.2-1b'],
  [/llama[-_ ]?3\.[12].*\b3b\b|llama[-_ ]?3\.[12][-_ ]?3b/i, 'llama-3.2-3b'],
  [/llama[-_ ]?3(\.1)?.*8b/i, 'llama-3-8b'],
  [/llama[-_ ]?2.*7b/i, 'llama-2-7b'],
  [/mistral.*7b/i, 'mistral-7b'],
];

/**
 * What to estimate with: `estimateAs` when it is a known size; else the model folder when it has
 * a config.json; else a known size guessed from the model's name (e.g. Meta-Llama-3-8B-Instruct →
 * llama-3-8b); undefined when none applies.
 */
export function architectureRefFor(baseModel: string, estimateAs?: string): string | undefined {
  if (estimateAs && estimateAs !== 'auto' && KNOWN_ARCHITECTURES[estimateAs]) return estimateAs;
  if (baseModel && existsSync(join(baseModel, 'config.json'))) return baseModel;
  return NAME_GUESSES.find(([re]) => re.test(baseModel))?.[1];
}
