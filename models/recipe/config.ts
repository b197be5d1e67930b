/**
 * A recipe: one file that says how a study runs, from the corpus to the report: which corpus and
 * splits, the prompt (template, system prompt), the base model, the training settings, the
 * generation settings and the evaluation. JSON with `//` comment lines (`medigen init` writes one,
 * commented, with the MediGen study's setup).
 */
import { readFileSync } from 'node:fs';
import { MedigenError } from '../../core/index';
import { defaultTrainConfig, type TrainConfig } from '../train/index';

export interface Recipe {
  version: 1;
  name: string;
  /** Folder every stage writes into (relative to the recipe file's folder). */
  output: string;
  data: { corpus: string; train: string; valid: string; test: string; /** Test encounters to generate (0: all). */ limit: number };
  prompt: { template: string; systemPrompt: string };
  model: { base: string };
  training: { device: TrainConfig['device']; maxSeqLength: number; lora: Partial<TrainConfig['lora']>; quantization: Partial<TrainConfig['quantization']>; training: Partial<TrainConfig['training']> };
  generation: { maxTokens: number; temperature: number; seed: number; grammar: 'free' | 'soap'; context: number; gpu: string; threads: number };
  evaluation: { resamples: number; permutations: number; seed: number };
  /** Python of the training environment ("" = `medigen train setup`'s, or python3). */
  python: string;
}

export function defaultRecipe(): Recipe {
  const t = defaultTrainConfig();
  return {
    version: 1,
    name: 'medigen-study',
    output: 'medigen-study',
    data: { corpus: '', train: 'train', valid: 'valid', test: 'test1', limit: 0 },
    prompt: { template: '', systemPrompt: '' },
    model: { base: t.baseModel },
    training: { device: 'auto', maxSeqLength: t.data.maxSeqLength, lora: { ...t.lora }, quantization: { ...t.quantization }, training: { ...t.training } },
    generation: { maxTokens: 1024, temperature: 0, seed: 0, grammar: 'free', context: 0, gpu: 'auto', threads: 0 },
    evaluation: { resamples: 1000, permutations: 10000, seed: 0 },
    python: '',
  };
}

/** The commented recipe `medigen init` writes. */
export function commentedRecipe(r: Recipe = defaultRecipe()): string {
  const j = (v: unknown) => JSON.stringify(v);
  return `// MediGen Lab recipe: the MediGen study's setup, from ACI-BENCH to a scored adapter.
// Run it with: medigen run ${'<this file>'}   (add --dry-run to see what it would do first)
// Every stage writes into "output" and is skipped when it already finished with the same settings,
// so an interrupted run continues where it stopped. Lines starting with // are comments.
{
  "version": 1,
  "name": ${j(r.name)},
  // Folder for everything this recipe makes (relative to this file).
  "output": ${j(r.output)},
  "data": {
    // Your ACI-BENCH folder (a clone of github.com/wyim/aci-bench, or its challenge_data folder).
    // Empty: ACI_BENCH_DIR, else the 3-encounter sample shipped with MediGen Lab (said when used).
    "corpus": ${j(r.data.corpus)},
    // Splits: train and valid for fine-tuning, test for generation and scoring.
    "train": ${j(r.data.train)}, "valid": ${j(r.data.valid)}, "test": ${j(r.data.test)},
    // Generate and score only the first N test encounters (0: all of them).
    "limit": ${r.data.limit}
  },
  "prompt": {
    // Instruction template file ("" = the study's SOAP-note instruction) and system prompt ("" = default).
    // Training data and generation use the same ones, so the adapter sees the prompt it learned.
    "template": ${j(r.prompt.template)},
    "systemPrompt": ${j(r.prompt.systemPrompt)}
  },
  "model": {
    // The base model: a Hugging Face model folder (converted to GGUF for generation, cached).
    "base": ${j(r.model.base)}
  },
  "training": {
    // "auto" (a CUDA GPU), "cuda", or "cpu" (tiny models and smoke runs only).
    "device": ${j(r.training.device)},
    "maxSeqLength": ${r.training.maxSeqLength},
    // QLoRA as in the study: 4-bit NF4 base, LoRA r=16 on every linear layer.
    "quantization": ${j(r.training.quantization)},
    "lora": ${j(r.training.lora)},
    "training": ${j(r.training.training)}
  },
  "generation": {
    // Greedy decoding (temperature 0) with a fixed seed: the same notes every run.
    "maxTokens": ${r.generation.maxTokens}, "temperature": ${r.generation.temperature}, "seed": ${r.generation.seed},
    // "free" or "soap" (forces the section headers). context 0 = min(model, 8192); threads 0 = automatic.
    "grammar": ${j(r.generation.grammar)}, "context": ${r.generation.context}, "gpu": ${j(r.generation.gpu)}, "threads": ${r.generation.threads}
  },
  "evaluation": {
    // Bootstrap resamples for the 95% intervals, permutations for base-vs-adapter significance.
    "resamples": ${r.evaluation.resamples}, "permutations": ${r.evaluation.permutations}, "seed": ${r.evaluation.seed}
  },
  // Python of the training environment ("" = the one \`medigen train setup\` made, else python3).
  "python": ${j(r.python)}
}
`;
}

function merge<T>(base: T, over: unknown): T {
  if (!over || typeof over !== 'object' || Array.isArray(over)) return (over ?? base) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]) ? merge(out[k], v) : v;
  return out as T;
}

/** Reads a recipe (comment lines allowed), fills defaults and checks the keys. */
export function readRecipe(file: string): Recipe {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8').split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
    raw = JSON.parse(text);
  } catch (e) {
    throw new MedigenError(`Could not read the recipe ${file}: ${(e as Error).message}.`, 'Check the file is JSON (comment lines must start with //). `medigen init` writes a correct one.');
  }
  const d = defaultRecipe();
  const unknown = Object.keys(raw as object).filter((k) => !(k in d));
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const dv = (d as unknown as Record<string, unknown>)[k];
    if (dv && typeof dv === 'object' && v && typeof v === 'object' && !['training'].includes(k)) unknown.push(...Object.keys(v).filter((x) => !(x in dv)).map((x) => `${k}.${x}`));
  }
  if (unknown.length) throw new MedigenError(`The recipe ${file} has settings MediGen Lab does not know: ${unknown.join(', ')}.`, 'Check the spelling against the recipe `medigen init` writes.');
  const r = merge(d, raw);
  if (r.version !== 1) throw new MedigenError(`The recipe ${file} has "version": ${JSON.stringify(r.version)}; this MediGen Lab reads version 1.`, 'Set "version": 1.');
  return r;
}

/** The training config of a recipe's fine-tuning stage. */
export function trainConfigOf(r: Recipe, runsDir: string, corpus: string, template: string | undefined): TrainConfig {
  const d = defaultTrainConfig();
  return {
    ...d,
    baseModel: r.model.base,
    device: r.training.device ?? 'auto',
    name: 'train',
    runsDir,
    data: { train: r.data.train, valid: r.data.valid, corpus, maxSeqLength: r.training.maxSeqLength, ...(template ? { template } : {}), ...(r.prompt.systemPrompt ? { systemPrompt: r.prompt.systemPrompt } : {}) },
    lora: { ...d.lora, ...r.training.lora },
    quantization: { ...d.quantization, ...r.training.quantization },
    training: { ...d.training, ...r.training.training },
  };
}
