/**
 * A fine-tuning run's settings: one JSON file that the VS Code form writes and
 * `medigen train --config <file>` reads. Defaults follow the MediGen study's recipe (QLoRA on a
 * 7-8B instruction model, instruction tuning on ACI-BENCH train, validation on ACI-BENCH valid).
 */
import { MedigenError, readUserJson } from '../../core/index';

export interface TrainConfig {
  version: 1;
  /** Hugging Face model folder (or hub id already in the local cache). */
  baseModel: string;
  /**
   * Where to train: 'auto' (a CUDA GPU, an error without one), 'cuda', or 'cpu' (only when chosen:
   * plain LoRA in float32, for tiny models and smoke runs). Defaults to 'auto'.
   */
  device?: 'auto' | 'cuda' | 'cpu';
  data: {
    /** Split names or CSV files; turned into instruction JSONL before launch. */
    train: string;
    valid: string;
    /** ACI-BENCH folder split names are read from; defaults to ACI_BENCH_DIR, else the 3-encounter sample (and `medigen train` says so). */
    corpus?: string;
    /** Instruction template file; defaults to the study's SOAP-note instruction. */
    template?: string;
    /** System prompt of the chat examples; defaults to the one `medigen generate` uses. */
    systemPrompt?: string;
    /** Examples longer than this many tokens are truncated. */
    maxSeqLength: number;
  };
  quantization: { load4bit: boolean; doubleQuant: boolean; quantType: 'nf4' | 'fp4'; computeDtype: 'bfloat16' | 'float16' };
  lora: { r: number; alpha: number; dropout: number; targetModules: string[] };
  training: {
    epochs: number;
    /** Stop after this many optimizer steps (0 = run all epochs). */
    maxSteps: number;
    learningRate: number;
    batchSize: number;
    gradientAccumulation: number;
    schedule: 'cosine' | 'linear' | 'constant';
    warmupRatio: number;
    weightDecay: number;
    gradientCheckpointing: boolean;
    seed: number;
    logEvery: number;
    evalEvery: number;
    checkpointEvery: number;
    /**
     * Live ROUGE: at each evaluation (and once before training) the trainer writes notes for the
     * first N validation encounters with the current adapter, and MediGen Lab scores them with
     * ACI-BENCH's ROUGE. 0 turns it off. Costs N notes of up to `liveRougeMaxTokens` tokens per
     * evaluation. Defaults to 4.
     */
    liveRougeSamples?: number;
    /** Longest note (new tokens) live ROUGE generates. Defaults to 512. */
    liveRougeMaxTokens?: number;
  };
  /** Where runs are kept: each run gets `<runsDir>/<run name>/`. */
  runsDir: string;
  /** Optional run name; defaults to a timestamp. */
  name?: string;
}

export const DEFAULT_TARGET_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

export function defaultTrainConfig(): TrainConfig {
  return {
    version: 1,
    baseModel: 'meta-llama/Meta-Llama-3-8B-Instruct',
    device: 'auto',
    data: { train: 'train', valid: 'valid', maxSeqLength: 4096 },
    quantization: { load4bit: true, doubleQuant: true, quantType: 'nf4', computeDtype: 'bfloat16' },
    lora: { r: 16, alpha: 32, dropout: 0.05, targetModules: [...DEFAULT_TARGET_MODULES] },
    training: {
      epochs: 3,
      maxSteps: 0,
      learningRate: 2e-4,
      batchSize: 1,
      gradientAccumulation: 8,
      schedule: 'cosine',
      warmupRatio: 0.03,
      weightDecay: 0,
      gradientCheckpointing: true,
      seed: 42,
      logEvery: 1,
      evalEvery: 25,
      checkpointEvery: 50,
      liveRougeSamples: 4,
      liveRougeMaxTokens: 512,
    },
    runsDir: 'runs',
  };
}

export interface ConfigProblem {
  path: string;
  message: string;
}

type Rule = { type: 'number'; min?: number; max?: number; int?: boolean; optional?: boolean } | { type: 'string'; oneOf?: string[]; optional?: boolean } | { type: 'boolean' } | { type: 'string[]' };

const RULES: Record<string, Rule> = {
  baseModel: { type: 'string' },
  device: { type: 'string', oneOf: ['auto', 'cuda', 'cpu'], optional: true },
  'data.train': { type: 'string' },
  'data.valid': { type: 'string' },
  'data.corpus': { type: 'string', optional: true },
  'data.template': { type: 'string', optional: true },
  'data.systemPrompt': { type: 'string', optional: true },
  'data.maxSeqLength': { type: 'number', min: 64, max: 131072, int: true },
  'quantization.load4bit': { type: 'boolean' },
  'quantization.doubleQuant': { type: 'boolean' },
  'quantization.quantType': { type: 'string', oneOf: ['nf4', 'fp4'] },
  'quantization.computeDtype': { type: 'string', oneOf: ['bfloat16', 'float16'] },
  'lora.r': { type: 'number', min: 1, max: 1024, int: true },
  'lora.alpha': { type: 'number', min: 0 },
  'lora.dropout': { type: 'number', min: 0, max: 0.9 },
  'lora.targetModules': { type: 'string[]' },
  'training.epochs': { type: 'number', min: 0, max: 100 },
  'training.maxSteps': { type: 'number', min: 0, int: true },
  'training.learningRate': { type: 'number', min: 1e-8, max: 1 },
  'training.batchSize': { type: 'number', min: 1, max: 1024, int: true },
  'training.gradientAccumulation': { type: 'number', min: 1, max: 4096, int: true },
  'training.schedule': { type: 'string', oneOf: ['cosine', 'linear', 'constant'] },
  'training.warmupRatio': { type: 'number', min: 0, max: 0.5 },
  'training.weightDecay': { type: 'number', min: 0, max: 1 },
  'training.gradientCheckpointing': { type: 'boolean' },
  'training.seed': { type: 'number', min: 0, int: true },
  'training.logEvery': { type: 'number', min: 1, int: true },
  'training.evalEvery': { type: 'number', min: 1, int: true },
  'training.checkpointEvery': { type: 'number', min: 1, int: true },
  'training.liveRougeSamples': { type: 'number', min: 0, max: 1000, int: true, optional: true },
  'training.liveRougeMaxTokens': { type: 'number', min: 1, max: 32768, int: true, optional: true },
  runsDir: { type: 'string' },
  name: { type: 'string', optional: true },
};

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function deepMerge<T>(base: T, over: unknown): T {
  if (!over || typeof over !== 'object' || Array.isArray(over)) return (over ?? base) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]) ? deepMerge(out[k], v) : v;
  return out as T;
}

/** Every problem in a config (unknown keys, wrong types, out-of-range values), with its JSON path. */
export function validateTrainConfig(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [{ path: '', message: 'The config must be a JSON object.' }];
  const known = new Set(['version', ...Object.keys(RULES)]);
  const sections = new Set(Object.keys(RULES).filter((k) => k.includes('.')).map((k) => k.split('.')[0]!));
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!prefix && sections.has(k)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, k);
        else problems.push({ path, message: `"${path}" must be an object.` });
      } else if (!known.has(path)) {
        problems.push({ path, message: `"${path}" is not a setting MediGen Lab knows (check the spelling).` });
      }
    }
  };
  walk(raw as Record<string, unknown>, '');
  const version = (raw as { version?: unknown }).version;
  if (version !== 1) problems.push({ path: 'version', message: `"version" must be 1 (found ${JSON.stringify(version)}).` });
  for (const [path, rule] of Object.entries(RULES)) {
    const v = get(raw, path);
    if (v === undefined) {
      if (!((rule.type === 'string' || rule.type === 'number') && rule.optional)) problems.push({ path, message: `"${path}" is missing.` });
      continue;
    }
    if (rule.type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) problems.push({ path, message: `"${path}" must be a number.` });
      else if (rule.int && !Number.isInteger(v)) problems.push({ path, message: `"${path}" must be a whole number.` });
      else if ((rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max)) problems.push({ path, message: `"${path}" must be between ${rule.min ?? '-∞'} and ${rule.max ?? '∞'} (found ${v}).` });
    } else if (rule.type === 'boolean') {
      if (typeof v !== 'boolean') problems.push({ path, message: `"${path}" must be true or false.` });
    } else if (rule.type === 'string[]') {
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) problems.push({ path, message: `"${path}" must be a non-empty list of names.` });
    } else if (typeof v !== 'string' || (!rule.optional && v.trim() === '')) {
      problems.push({ path, message: `"${path}" must be text.` });
    } else if (rule.oneOf && !rule.oneOf.includes(v)) {
      problems.push({ path, message: `"${path}" must be one of ${rule.oneOf.join(', ')} (found "${v}").` });
    }
  }
  return problems;
}

/** Reads a config file: defaults filled in for missing keys, then validated. */
export function loadTrainConfig(file: string): TrainConfig {
  const raw = readUserJson(file, 'training config', 'Fix the JSON (the run form in VS Code writes a correct one), or write a fresh one with `medigen train init`.');
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new MedigenError(`The training config ${file} holds ${JSON.stringify(raw)?.slice(0, 40)}, not a settings object.`, 'Write a fresh one with `medigen train init` and edit it.');
  const merged = deepMerge(defaultTrainConfig(), raw);
  const problems = validateTrainConfig(merged);
  if (problems.length) {
    throw new MedigenError(`The training config ${file} has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`, 'Fix these settings in the file (or in the run form) and launch again.');
  }
  return merged;
}
