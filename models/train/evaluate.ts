/**
 * "Evaluate Adapter": after a run finishes, convert its PEFT adapter to a GGUF LoRA
 * (convertPeftToGguf) against the GGUF base model, generate notes for the validation split with
 * and without the adapter (generateSplit), score both the ACI-BENCH way (evaluateNotes) and keep
 * the side-by-side summary in `<run>/evaluation/summary.json`. Plain Node: it only wires the
 * library's tested pieces together.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { readTemplate } from '../../datasets/index';
import { evaluateNotes, type Evaluation } from '../eval/index';
import { loadGold, loadPredictions } from '../eval/index';
import { generateSplit } from '../generation/index';
import { loadLlm } from '../llm/index';
import { isRemoteRef, resolveModel } from '../llm/index';
import { convertPeftToGguf } from './peftToGguf';
import { readRunConfig } from './runs';

/** Scores of the base model and the fine-tuned one on the validation split (evaluate.ts writes it). */
export interface EvaluationSummary {
  /** ISO time the evaluation finished. */
  createdAt: string;
  /** The split (name or CSV) the notes were generated for. */
  split: string;
  /** Notes generated per model. */
  encounters: number;
  /** The GGUF base model and the converted adapter. */
  baseModel: string;
  adapter: string;
  /** The prompt budget the notes were asked with (the run's training length; absent: uncut). */
  maxPromptTokens?: number;
  /** One row per group and metric (F1, 0..1), e.g. ALL / rouge1. */
  rows: { group: string; metric: string; base: number; finetuned: number }[];
}

/** Groups and metrics the summary keeps (ACI-BENCH result keys). */
export const SUMMARY_GROUPS = ['ALL', 'division-subjective', 'division-objective_exam', 'division-objective_results', 'division-assessment_and_plan'];
export const SUMMARY_METRICS = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'];

/** Options of `evaluateAdapter`. */
export interface EvaluateAdapterOptions {
  /** The run folder; results go to `<runDir>/evaluation/`. */
  runDir: string;
  /** The PEFT adapter folder the run exported. */
  adapterDir: string;
  /** The GGUF base model (path or hf: URI) the adapter was trained on, converted to GGUF. */
  baseModel: string;
  /** Split name or CSV to generate notes for (the run's validation split). */
  split: string;
  /** Corpus folder for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample. */
  corpusDir?: string;
  /** Only the first N encounters. Defaults to all. */
  limit?: number;
  /** Generation threads. Defaults to the library's choice for this machine. */
  threads?: number;
  /** Tokens per note. Defaults to the library's default (1024). */
  maxTokens?: number;
  /**
   * Ask with the prompts the run trained on (its system prompt, template and sequence length: see
   * runPromptSettings). Defaults to true; false uses the library's default prompt, uncut.
   */
  runPrompt?: boolean;
  /** Steps done out of 4 (convert, base notes, fine-tuned notes, scores). */
  progress?: Progress;
  signal?: AbortSignal;
}

/** The files an evaluation writes. */
export function evaluationPaths(runDir: string): { dir: string; adapterGguf: string; baseCsv: string; finetunedCsv: string; summary: string } {
  const dir = join(runDir, 'evaluation');
  return { dir, adapterGguf: join(dir, 'adapter.gguf'), baseCsv: join(dir, 'base.csv'), finetunedCsv: join(dir, 'finetuned.csv'), summary: join(dir, 'summary.json') };
}

/** The summary of an earlier evaluation of a run, if there is one. */
export function readEvaluation(runDir: string): EvaluationSummary | undefined {
  const file = evaluationPaths(runDir).summary;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EvaluationSummary;
  } catch {
    return undefined;
  }
}

/** How a run's notes are asked for at evaluation: the prompt its trainer showed the model. */
export interface RunPromptSettings {
  systemPrompt?: string;
  template?: string;
  /**
   * The longest prompt training showed the model next to a note of `maxTokens` tokens: the
   * trainer keeps at least half of data.maxSeqLength for the note and cuts the dialogue's end,
   * so a prompt may have max(maxSeqLength / 2, maxSeqLength - maxTokens) tokens. Asked with the
   * whole 3,000-token dialogue, a model trained on short examples is somewhere it never was.
   */
  maxPromptTokens?: number;
}

/** The prompt settings of the run in `runDir` (its config.json) for notes of up to `maxTokens` tokens; {} without a config. */
export function runPromptSettings(runDir: string, maxTokens = 1024): RunPromptSettings {
  if (!existsSync(join(runDir, 'config.json'))) return {};
  const d = readRunConfig(runDir).data ?? {};
  const len = typeof d.maxSeqLength === 'number' && Number.isInteger(d.maxSeqLength) ? d.maxSeqLength : undefined;
  // A template path was given relative to where the run was started, or to the run folder.
  const template = typeof d.template === 'string' && d.template ? readTemplate([resolve(d.template), resolve(runDir, d.template)].find((f) => existsSync(f)) ?? resolve(d.template)) : undefined;
  return {
    ...(typeof d.systemPrompt === 'string' && d.systemPrompt ? { systemPrompt: d.systemPrompt } : {}),
    ...(template ? { template } : {}),
    ...(len ? { maxPromptTokens: Math.max(Math.floor(len / 2), len - maxTokens) } : {}),
  };
}

/** Side-by-side rows (group × metric) of two evaluations. */
export function summaryRows(base: Evaluation, finetuned: Evaluation): EvaluationSummary['rows'] {
  const rows: EvaluationSummary['rows'] = [];
  for (const group of SUMMARY_GROUPS) {
    const b = base.results[group];
    const f = finetuned.results[group];
    if (!b || !f || typeof b === 'number' || typeof f === 'number') continue;
    for (const metric of SUMMARY_METRICS) if (typeof b[metric] === 'number' && typeof f[metric] === 'number') rows.push({ group, metric, base: b[metric]!, finetuned: f[metric]! });
  }
  return rows;
}

/** Converts, generates with and without the adapter, scores both, and writes the summary. */
export async function evaluateAdapter(o: EvaluateAdapterOptions): Promise<EvaluationSummary> {
  if (!o.baseModel) throw new MedigenError('No GGUF base model is set to evaluate the adapter with.', 'Set "medigenLab.model" to the GGUF file of the model you fine-tuned (converted to GGUF), then evaluate again.');
  const p = evaluationPaths(o.runDir);
  await mkdir(p.dir, { recursive: true });
  const step = (n: number, label: string) => o.progress?.report(n, 4, label);
  step(0, 'converting the adapter to GGUF');
  // An hf: URI is downloaded (or found in the model cache) first: the converter reads the file.
  const baseFile = isRemoteRef(o.baseModel) ? (await resolveModel(o.baseModel, o.signal ? { signal: o.signal } : {})).path : o.baseModel;
  await convertPeftToGguf({ adapterDir: o.adapterDir, baseModel: baseFile, out: p.adapterGguf, ...(o.signal ? { signal: o.signal } : {}) });
  o.signal?.throwIfAborted();
  const llm = await loadLlm(baseFile, { ...(o.threads ? { threads: o.threads } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const prompt = o.runPrompt === false ? {} : runPromptSettings(o.runDir, o.maxTokens ?? 1024);
  const common = {
    ...prompt,
    split: o.split,
    ...(o.corpusDir ? { corpusDir: o.corpusDir } : {}),
    ...(o.limit ? { limit: o.limit } : {}),
    ...(o.maxTokens ? { maxTokens: o.maxTokens } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  try {
    const notesProgress = (n: number, label: string): Progress => ({ report: (done, total) => step(n, `${label}: note ${done} of ${total}`) });
    step(1, 'generating notes with the base model');
    const base = await generateSplit(llm, { ...common, out: p.baseCsv, progress: notesProgress(1, 'base model') });
    step(2, 'generating notes with the fine-tuned adapter');
    const tuned = await generateSplit(llm, { ...common, out: p.finetunedCsv, lora: p.adapterGguf, progress: notesProgress(2, 'fine-tuned') });
    if (!base.complete || !tuned.complete) throw new MedigenError('The evaluation was stopped before every note was generated.', 'Evaluate again: the notes already generated are kept and reused.');
  } finally {
    await llm.dispose();
  }
  step(3, 'scoring both');
  const gold = loadGold(o.split, { ...(o.corpusDir ? { corpus: o.corpusDir } : {}) });
  const encounters = gold.encounters.slice(0, o.limit || gold.encounters.length);
  const baseEval = await evaluateNotes(encounters, loadPredictions(p.baseCsv), o.signal ? { signal: o.signal } : {});
  const tunedEval = await evaluateNotes(encounters, loadPredictions(p.finetunedCsv), o.signal ? { signal: o.signal } : {});
  const summary: EvaluationSummary = {
    createdAt: new Date().toISOString(),
    split: o.split,
    encounters: encounters.length,
    baseModel: o.baseModel,
    adapter: p.adapterGguf,
    ...(prompt.maxPromptTokens ? { maxPromptTokens: prompt.maxPromptTokens } : {}),
    rows: summaryRows(baseEval, tunedEval),
  };
  writeFileSync(p.summary, JSON.stringify(summary, null, 2) + '\n');
  step(4, 'done');
  return summary;
}
