/**
 * `medigen train evaluate`: what the extension's Evaluate Adapter does, from the command line —
 * convert a trained PEFT adapter to GGUF, generate notes for a split with and without it, score
 * both the ACI-BENCH way, print and save both.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MedigenError, UsageError, streamProgress } from '../../core/index';
import { resolveModelArtifact } from '../../models/convert/index';
import { evaluateAdapter, evaluationPaths, replayRun, type EvaluationSummary, type TrainConfig } from '../../models/train/index';
import { EXIT, defineCommand, type Command } from '../command';
import { CORPUS_HELP, CORPUS_OPTION, MODEL_HELP, num, withSigint } from '../options';

/** Where the adapter, the split and the results folder come from, for a run folder or an adapter folder. */
export function resolveEvaluationTarget(target: string): { runDir: string; adapterDir: string; split?: string; corpus?: string } {
  const dir = resolve(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MedigenError(`${dir} is not a folder.`, 'Give a training run folder (it holds config.json) or a PEFT adapter folder (it holds adapter_config.json).');
  }
  if (existsSync(join(dir, 'adapter_config.json'))) {
    // An adapter folder: inside a run (…/run/adapter) the results go to the run, else beside the adapter.
    const parent = dirname(dir);
    const inRun = existsSync(join(parent, 'config.json'));
    return { runDir: inRun ? parent : dir, adapterDir: dir, ...(inRun ? runSplit(parent) : {}) };
  }
  if (existsSync(join(dir, 'config.json'))) {
    const state = replayRun(dir);
    if (state.status !== 'finished' || !state.adapterDir) {
      throw new MedigenError(`The run ${basename(dir)} has not finished (${state.status}), so it has no adapter yet.`, `Let it finish (or resume it: medigen train resume ${dir}), then evaluate.`);
    }
    return { runDir: dir, adapterDir: resolve(dir, state.adapterDir), ...runSplit(dir) };
  }
  throw new MedigenError(`${dir} is neither a training run (no config.json) nor a PEFT adapter (no adapter_config.json).`, 'Point at the run folder medigen train made, or at its adapter/ folder.');
}

function runSplit(runDir: string): { split?: string; corpus?: string } {
  try {
    const cfg = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as Partial<TrainConfig>;
    return { ...(cfg.data?.valid ? { split: cfg.data.valid } : {}), ...(cfg.data?.corpus ? { corpus: cfg.data.corpus } : {}) };
  } catch {
    return {};
  }
}

/** The base-vs-fine-tuned table, F1 × 100. */
export function formatEvaluation(s: EvaluationSummary): string {
  const lines = [`${s.encounters} notes of ${s.split}, base model ${s.baseModel} against the adapter ${s.adapter}:`, '', `  ${'group'.padEnd(30)} ${'metric'.padEnd(10)} ${'base'.padStart(7)} ${'tuned'.padStart(7)} ${'change'.padStart(7)}`];
  for (const r of s.rows) {
    const d = (r.finetuned - r.base) * 100;
    lines.push(`  ${r.group.padEnd(30)} ${r.metric.padEnd(10)} ${(r.base * 100).toFixed(2).padStart(7)} ${(r.finetuned * 100).toFixed(2).padStart(7)} ${`${d >= 0 ? '+' : ''}${d.toFixed(2)}`.padStart(7)}`);
  }
  return lines.join('\n') + '\n';
}

const evaluate = defineCommand({
  path: ['train', 'evaluate'],
  summary: 'Evaluate a fine-tuned adapter against its base model: convert, generate notes with and without it, score both',
  usage: '<run-dir | adapter-dir> --model FILE.gguf [--split valid] [--limit N] [--max-tokens N] [--threads N] [--corpus DIR] [--json]',
  options: { model: { type: 'string' }, split: { type: 'string' }, limit: { type: 'string' }, 'max-tokens': { type: 'string' }, threads: { type: 'string' }, ...CORPUS_OPTION, json: { type: 'boolean' } },
  help: {
    model: `The base model the adapter was trained on. ${MODEL_HELP} Required.`,
    split: "The encounters to generate notes for: a split name or an ACI-BENCH CSV. Defaults to the run's validation split, else valid.",
    limit: 'Only the first N encounters (a quick look; the figures are then not the whole split).',
    'max-tokens': 'Most tokens per note. Defaults to 1024.',
    threads: 'Generation threads. Defaults to the choice for this machine (see medigen models hardware).',
    corpus: CORPUS_HELP,
    json: 'Print the summary as JSON.',
  },
  details: `Results go to <run>/evaluation/ (adapter.gguf, base.csv, finetuned.csv, summary.json): the
same files the extension's "Evaluate Adapter" writes, so the dashboard shows a CLI evaluation too.
Interrupted (Ctrl+C)? Run the same command again: the notes already generated are reused.

Examples:
  medigen train evaluate runs/medigen-run --model ~/models/Llama-3.2-1B-Instruct-f16.gguf
  medigen train evaluate runs/medigen-run/adapter --model base.gguf --split test1 --corpus ~/aci-bench`,
  async run(ctx) {
    const v = ctx.values;
    const target = ctx.positionals[0];
    if (!target) throw new UsageError('Give the run folder (or the adapter folder) to evaluate.', 'Example: medigen train evaluate runs/my-run --model base.gguf');
    if (!v.model) throw new UsageError('--model is required: the GGUF base model the adapter was trained on.', 'Convert the base model to GGUF first (medigen models info says what a file is), or try the pipeline with the tiny model: medigen models make-tiny.');
    const t = resolveEvaluationTarget(target);
    const split = v.split ?? t.split ?? 'valid';
    const corpus = v.corpus ?? t.corpus;
    const limit = num(v.limit, 'limit', { min: 1, integer: true });
    const maxTokens = num(v['max-tokens'], 'max-tokens', { min: 1, integer: true });
    const threads = num(v.threads, 'threads', { min: 1, integer: true });
    // A Hugging Face model folder (the CPU course model, or a downloaded one) is converted to GGUF on the way (cached).
    const base = await resolveModelArtifact(v.model, { say: (m) => ctx.err.write(`${m}\n`) });
    const progress = streamProgress(ctx.err, 'Evaluating');
    const summary = await withSigint(ctx.err, 'Stopping; the notes already generated are kept. Run the same command again to finish.', (signal) =>
      evaluateAdapter({
        runDir: t.runDir,
        adapterDir: t.adapterDir,
        baseModel: base.path,
        split,
        ...(corpus ? { corpusDir: corpus } : {}),
        ...(limit ? { limit } : {}),
        ...(maxTokens ? { maxTokens } : {}),
        ...(threads ? { threads } : {}),
        progress,
        signal,
      }).finally(() => progress.end()),
    );
    if (v.json) ctx.out.write(JSON.stringify(summary, null, 2) + '\n');
    else {
      ctx.out.write(formatEvaluation(summary));
      ctx.out.write(`\nSaved in ${evaluationPaths(t.runDir).dir}${limit ? ` (only the first ${limit} encounters)` : ''}.\n`);
    }
    return EXIT.ok;
  },
});

export const trainEvaluateCommands: Command[] = [evaluate];
