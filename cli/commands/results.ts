import { basename } from 'node:path';
import { UsageError } from '../../core/index';
import { evaluateNotes, loadGold, loadPredictions, resultsCsv, resultsLatex, resultsMarkdown, resultsTable, type ResultsSystem } from '../../models/eval/index';
import { EXIT, defineCommand, type Command } from '../command';
import { writeReport } from './eval';

const FORMATS = { md: resultsMarkdown, csv: resultsCsv, tex: resultsLatex } as const;

const results = defineCommand({
  path: ['results'],
  summary: 'Gather several prediction files into one results table with 95% confidence intervals and paired significance (Markdown, CSV or LaTeX)',
  usage: '--gold SPLIT|FILE <preds.csv>... [--names A,B] [--corpus DIR] [--format md|csv|tex] [--out FILE] [--only-predicted] [--seed N]',
  options: { gold: { type: 'string' }, corpus: { type: 'string' }, names: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, 'only-predicted': { type: 'boolean' }, seed: { type: 'string' } },
  help: {
    gold: 'Reference notes: a split name or an ACI-BENCH CSV. Required.',
    corpus: 'Folder with the ACI-BENCH CSV files, for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample.',
    names: 'System names, comma-separated, in the order of the files. Defaults to the file names.',
    format: 'md (Markdown, the default), csv or tex (LaTeX).',
    out: 'Write the table to this file instead of printing it.',
    'only-predicted': 'Score only the encounters every prediction file has (e.g. after `generate --limit N`).',
    seed: 'Seed of the bootstrap and permutation test. Defaults to 0.',
  },
  details: `Each cell: mean F1 × 100 with a percentile bootstrap 95% confidence interval (1000 resamples); the
first file is the baseline, and every other row also shows its difference from it with a paired
permutation test (10000 permutations). All files must be predictions for the same reference notes.

Example:
  medigen results --gold test1 base.csv adapter.csv --names base,adapter --format tex --out table.tex`,
  async run(ctx) {
    const v = ctx.values;
    if (!v.gold) throw new UsageError('--gold is required: the reference notes the predictions are for.', 'Example: medigen results --gold test1 base.csv adapter.csv');
    const files = ctx.positionals;
    if (!files.length) throw new UsageError('Give one or more predictions CSV files.', 'Example: medigen results --gold test1 base.csv adapter.csv');
    const format = (v.format ?? 'md') as keyof typeof FORMATS;
    if (!(format in FORMATS)) throw new UsageError(`--format must be md, csv or tex, not "${v.format}".`);
    const names = v.names ? v.names.split(',').map((s) => s.trim()) : files.map((f) => basename(f).replace(/\.csv$/i, ''));
    if (names.length !== files.length) throw new UsageError(`--names has ${names.length} names for ${files.length} files.`, 'Give one name per file, in the same order.');
    const seed = v.seed === undefined ? 0 : Number(v.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number, not "${v.seed}".`);
    const gold = loadGold(v.gold, v.corpus ? { corpus: v.corpus } : {});
    const preds = files.map((f) => loadPredictions(f));
    let encounters = gold.encounters;
    if (v['only-predicted']) {
      const sets = preds.map((p) => new Set(p.map((x) => x.encounterId)));
      encounters = encounters.filter((e) => sets.every((s) => s.has(e.encounterId)));
      ctx.err.write(`Scoring only the ${encounters.length} of ${gold.encounters.length} reference encounters every file has (--only-predicted).\n`);
    }
    const systems: ResultsSystem[] = [];
    for (const [i, p] of preds.entries()) {
      const keep = new Set(encounters.map((e) => e.encounterId));
      systems.push({ name: names[i]!, evaluation: await evaluateNotes(encounters, v['only-predicted'] ? p.filter((x) => keep.has(x.encounterId ?? '')) : p) });
    }
    const text = FORMATS[format](resultsTable(systems, { seed }));
    if (v.out) ctx.err.write(`Wrote the results table to ${writeReport(v.out, text, 'results table')}\n`);
    else ctx.out.write(text);
    return EXIT.ok;
  },
});

export const resultsCommands: Command[] = [results];
