/**
 * The CPU course setting: a small llama that MediGen Lab creates (course_model.py, in the training
 * environment: a byte-level BPE learned from the training split and seeded random weights) and the
 * run settings that fine-tune it with plain LoRA in float32 on a 2-core laptop in a few minutes.
 * Its notes start as noise; after the run they carry the note's section headings and its common
 * words, so the whole module (train, read the curves, convert, generate, judge against the base
 * model) can be done without a GPU.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MedigenError, projectRoot } from '../../core/index';
import { modelsDir } from '../llm/index';
import { CHATML_TEMPLATE } from '../tiny/index';
import { resolveSplitFile } from '../../datasets/index';
import { defaultTrainConfig, type TrainConfig } from './config';
import { chooseCorpus } from './data';

/** Bumped whenever the made model changes, so an old one is not reused. */
export const COURSE_MODEL_VERSION = 1;

/** The course model's shape (about 0.5 million parameters with its 659-token vocabulary). */
export const COURSE_MODEL_SHAPE = { hidden: 128, layers: 2, heads: 4, kvHeads: 2, ffn: 256, merges: 400, maxPositions: 8192, seed: 1234 } as const;

/** The script that makes the course model (run by the training environment's Python). */
export function courseModelScript(): string {
  return join(projectRoot(), 'models', 'train', 'course_model.py');
}

/** Where the course model is kept: `<models folder>/course-llama-v<version>` (a Hugging Face model folder). */
export function courseModelDir(dir = modelsDir()): string {
  return join(dir, `course-llama-v${COURSE_MODEL_VERSION}`);
}

/** Options of `makeCourseModel`. */
export interface MakeCourseModelOptions {
  /** Python of the training environment (torch, transformers, tokenizers). */
  python: string;
  /** An ACI-BENCH CSV whose dialogues and notes the tokenizer is learned from (the training split). */
  trainCsv: string;
  /** Where to make it. Defaults to courseModelDir(). */
  out?: string;
  signal?: AbortSignal;
}

/** Makes the course model unless it is there already; resolves with its folder. */
export async function makeCourseModel(o: MakeCourseModelOptions): Promise<string> {
  const out = o.out ?? courseModelDir();
  if (existsSync(join(out, 'config.json')) && existsSync(join(out, 'model.safetensors'))) return out;
  if (!existsSync(o.trainCsv)) throw new MedigenError(`The training split ${o.trainCsv} was not found, so the course model's vocabulary cannot be learned.`, 'Set the corpus folder (ACI_BENCH_DIR or data.corpus) to your ACI-BENCH copy, or leave it empty to use the sample shipped with MediGen Lab.');
  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const s = COURSE_MODEL_SHAPE;
  const args = [courseModelScript(), '--out', partial, '--text-csv', o.trainCsv, '--chat-template', CHATML_TEMPLATE, '--merges', String(s.merges), '--hidden', String(s.hidden), '--layers', String(s.layers), '--heads', String(s.heads), '--kv-heads', String(s.kvHeads), '--ffn', String(s.ffn), '--max-positions', String(s.maxPositions), '--seed', String(s.seed)];
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(o.python, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(o.signal ? { signal: o.signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: e.message }));
    child.on('close', (c) => resolve({ code: c ?? -1, stdout, stderr }));
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const said = last.startsWith('{') ? (JSON.parse(last) as { error?: string; hint?: string }) : {};
  if (code !== 0 || said.error) {
    rmSync(partial, { recursive: true, force: true });
    if (code === -1) throw new MedigenError(`Could not run ${o.python} to make the course model: ${stderr.trim()}.`, 'Run "Set Up Training Environment" (or `medigen train setup`) first.');
    throw new MedigenError(`Making the course model failed: ${said.error ?? stderr.trim().split('\n').slice(-3).join(' ')}`, said.hint ?? 'Run "Set Up Training Environment" (or `medigen train setup`) so the training packages are installed, then try again.');
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(partial, out);
  return out;
}

/**
 * The CPU course setting for the course model in `modelDir`: device cpu, no 4-bit, plain LoRA in
 * float32, 384-token sequences (the note keeps at least half) and 510 small steps (30 epochs of
 * the 67 training encounters; measured: about a minute on a quiet 2-core machine). Validation loss
 * bottoms out around step 350 and then rises, so the run also shows overfitting.
 * Live ROUGE writes 4 notes of 200 tokens at each evaluation, the length Evaluate Adapter uses in
 * the lesson (seconds on this model).
 */
export function cpuCourseConfig(modelDir: string, base: TrainConfig = defaultTrainConfig()): TrainConfig {
  return {
    ...base,
    baseModel: modelDir,
    device: 'cpu',
    data: { ...base.data, maxSeqLength: 384 },
    quantization: { ...base.quantization, load4bit: false },
    lora: { ...base.lora, r: 16, alpha: 32, dropout: 0 },
    training: { ...base.training, epochs: 30, maxSteps: 0, learningRate: 2e-2, batchSize: 4, gradientAccumulation: 1, schedule: 'cosine', warmupRatio: 0.05, gradientCheckpointing: false, logEvery: 10, evalEvery: 51, checkpointEvery: 1000, liveRougeSamples: 4, liveRougeMaxTokens: 200 },
  };
}

/**
 * Makes the course model (when missing) from the training split of `base`'s corpus and returns the
 * CPU course setting on top of `base` (its data, runs folder and name are kept).
 */
export async function prepareCourseSetting(o: { python: string; base?: TrainConfig; out?: string; signal?: AbortSignal }): Promise<TrainConfig> {
  const base = o.base ?? defaultTrainConfig();
  const corpus = chooseCorpus(base.data.corpus);
  const trainCsv = resolveSplitFile(base.data.train, corpus.dir);
  const dir = await makeCourseModel({ python: o.python, trainCsv, ...(o.out ? { out: o.out } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const cfg = cpuCourseConfig(dir, base);
  return base.name ? { ...cfg, name: base.name } : cfg;
}
