import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MedigenError, UsageError, assertOutputsAreNotInputs } from '../../core/index';
import { BASELINE_DESCRIPTIONS, BASELINE_METHODS, PAPER_TEST1_ROUGE1, baselinePredictions, isBaselineMethod, predictionsCsv, type BaselineMethod } from '../../models/baselines';
import { retrievalPool } from '../../models/retrieval';
import { evaluateNotes, loadGold, pct } from '../../models/eval/index';
import { CORPUS_HELP } from '../options';
import { EXIT, defineCommand, type Command } from '../command';
import { writeReport } from './eval';

const baseline = defineCommand({
  path: ['baseline'],
  summary: 'Write the ACI-BENCH paper\'s no-model baselines (copied dialogue turns, or the note of the most similar training dialogue) as predictions, and score them',
  usage: '--split SPLIT|FILE --method METHOD|all --out FILE|FOLDER [--corpus DIR] [--json]',
  options: {
    split: { type: 'string' },
    method: { type: 'string' },
    out: { type: 'string' },
    corpus: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    split: 'The encounters to write notes for: a split name (train, valid, test1, test2, test3) or an ACI-BENCH CSV. Required.',
    method: `One of ${BASELINE_METHODS.join(', ')}, or "all". Required.`,
    out: 'The predictions CSV to write; with --method all, a folder that gets one <split>_<method>.csv per method. Required.',
    corpus: `${CORPUS_HELP} "retrieval" takes its pool (train.csv + valid.csv) from this folder too.`,
    json: 'Print the scores as JSON ({method: {file, rouge1, rouge2, rougeL, rougeLsum}}).',
  },
  details: `Methods:
${BASELINE_METHODS.map((m) => `  ${m.padEnd(22)} ${BASELINE_DESCRIPTIONS[m]}`).join('\n')}

A baseline shows what a note made without any model already scores: a generator is only useful
if it beats them.

"retrieval" reuses a note written for another patient: the note of the train or valid encounter
whose dialogue is most similar (BM25 over the dialogue words, by the MiniSearch library). The pool
is the train and valid splits of --corpus, never a test split, and never the encounters being
written: with --split valid the pool is train only, with --split train it is train (minus each
encounter itself) + valid. The written CSV has ACI-BENCH's columns (dataset, encounter_id, dialogue, note) and can be
passed to \`medigen eval --pred\`. Each file is scored against the split's reference notes
(ROUGE F1 × 100; the paper's test1 figure is shown where known).

Examples:
  medigen baseline --split test1 --method 12-doctor-turns --out preds.csv --corpus ~/aci-bench
  medigen baseline --split test1 --method all --out baselines/ --corpus ~/aci-bench`,
  async run(ctx) {
    const v = ctx.values;
    if (!v.split) throw new UsageError('--split is required: the encounters to write notes for.', 'Example: medigen baseline --split test1 --method 12-doctor-turns --out preds.csv');
    if (!v.method) throw new UsageError(`--method is required: one of ${BASELINE_METHODS.join(', ')}, or all.`, 'Example: --method 12-doctor-turns');
    if (!v.out) throw new UsageError('--out is required: the CSV file to write (a folder with --method all).', 'Example: --out preds.csv');
    if (v.method !== 'all' && !isBaselineMethod(v.method)) throw new UsageError(`"${v.method}" is not a baseline method.`, `Choose one of: ${BASELINE_METHODS.join(', ')}, or all.`);
    const methods: BaselineMethod[] = v.method === 'all' ? [...BASELINE_METHODS] : [v.method as BaselineMethod];
    const gold = loadGold(v.split, v.corpus ? { corpus: v.corpus } : {});
    const pool = methods.includes('retrieval') ? retrievalPool(v.corpus) : undefined;
    const name = v.split.replace(/^.*[\\/]/, '').replace(/\.(csv|json)$/, '');
    let dir = '';
    if (v.method === 'all') {
      dir = resolve(v.out);
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw new MedigenError(`Could not create the folder ${dir}: ${(e as Error).message}.`, 'With --method all, --out names a folder; choose one you may write to.');
      }
    }
    const outFile = (m: BaselineMethod) => (v.method === 'all' ? join(dir, `${name}_${m}.csv`) : v.out!);
    assertOutputsAreNotInputs(
      methods.map((m) => ({ label: v.method === 'all' ? `--out ${m}` : '--out', path: outFile(m) })),
      [{ label: '--split file', path: gold.file }, gold.metadataFile ? { label: 'metadata file', path: gold.metadataFile } : undefined],
    );
    const summary: Record<string, { file: string; rouge1: number; rouge2: number; rougeL: number; rougeLsum: number }> = {};
    for (const m of methods) {
      const preds = baselinePredictions(gold.encounters, m, { pool });
      const file = writeReport(outFile(m), predictionsCsv(preds), 'predictions');
      const ev = await evaluateNotes(gold.encounters, preds);
      const all = ev.results.ALL as Record<string, number>;
      summary[m] = { file, rouge1: all.rouge1!, rouge2: all.rouge2!, rougeL: all.rougeL!, rougeLsum: all.rougeLsum! };
      if (!v.json) {
        const paper = name === 'test1' && PAPER_TEST1_ROUGE1[m] !== undefined ? ` (ACI-BENCH paper: ${PAPER_TEST1_ROUGE1[m]!.toFixed(2)})` : '';
        ctx.out.write(`${m.padEnd(22)} rouge1 ${pct(all.rouge1)}${paper}  rouge2 ${pct(all.rouge2)}  rougeLsum ${pct(all.rougeLsum)}  → ${file}\n`);
      }
    }
    if (v.json) ctx.out.write(JSON.stringify(summary, null, 2) + '\n');
    else ctx.out.write(`Scores are F1 × 100 against the reference notes of ${gold.file}. Next: medigen eval --gold ${v.split} --pred <file> --html report.html\n`);
    return EXIT.ok;
  },
});

export const baselineCommands: Command[] = [baseline];
