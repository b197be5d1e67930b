import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveCorpusDir } from '../../datasets/index';
import { buildInstructionData } from '../../datasets/index';
import { corpusStats } from '../../datasets/index';
import { formatStats, formatValidation } from '../../datasets/index';
import { divideNote } from '../../datasets/index';
import { loadSplit } from '../../datasets/index';
import { validateCorpus } from '../../datasets/index';
import { BASELINE_METHODS, BASELINE_DESCRIPTIONS, baselinePredictions, predictionsCsv } from '../../models/baselines';
import { evaluateNotes } from '../../models/eval/index';
import { pct, toHtml } from '../../models/eval/index';
import { CORPUS_HELP } from '../options';
import { retrievalPool } from '../../models/retrieval';
import { EXIT, defineCommand, type Command } from '../command';

/**
 * The main job on the embedded default: the whole no-GPU pipeline on the sample corpus (or a
 * corpus you name), with every output written to one folder a student can open.
 */
const demo = defineCommand({
  path: ['demo'],
  summary: 'Run the pipeline end to end on the sample corpus: validate, statistics, sections, instruction data, baselines, evaluation report.',
  usage: '[--corpus DIR] [--out DIR] [--split test1]',
  options: { corpus: { type: 'string' }, out: { type: 'string' }, split: { type: 'string' } },
  help: {
    corpus: CORPUS_HELP,
    out: 'Folder for everything the demo writes. Defaults to ./medigen-demo.',
    split: 'Split the baselines are generated and scored on. Defaults to test1.',
  },
  async run(ctx) {
    const corpus = resolveCorpusDir(ctx.values.corpus);
    const out = resolve(ctx.values.out ?? 'medigen-demo');
    const split = ctx.values.split ?? 'test1';
    mkdirSync(join(out, 'baselines'), { recursive: true });
    const say = (s: string) => ctx.out.write(`${s}\n`);

    say(`MediGen Lab demo on ${corpus}\n`);
    say('1. Validating the corpus files');
    const reports = validateCorpus(corpus);
    say(formatValidation(reports, 3).replace(/^/gm, '   '));
    if (reports.some((r) => r.errors)) {
      say('   The corpus has errors; fix them (see above) before going on.');
      return EXIT.failed;
    }

    say('\n2. Corpus statistics (like Table 1 of the MediGen study)');
    say(formatStats(corpusStats(undefined, corpus)).replace(/^/gm, '   '));

    const train = loadSplit('train', corpus);
    const first = train.encounters[0]!;
    const sections = divideNote(first.note);
    say(`\n3. Sections of ${first.encounterId}'s note, as ACI-BENCH divides it`);
    for (const [name, s] of Object.entries(sections)) say(`   ${name.padEnd(20)} ${s!.text.trim().split(/\s+/).length} words: "${s!.text.trim().slice(0, 60).replace(/\s+/g, ' ')}…"`);

    const { lines, report } = buildInstructionData(train.encounters, { format: 'jsonl' });
    writeFileSync(join(out, 'train.jsonl'), lines.join('\n') + '\n');
    say(`\n4. Instruction data: ${lines.length} training examples → ${join(out, 'train.jsonl')}`);
    say(`   ${report.overBudget.length} of ${report.examples.length} are longer than the ${report.budget}-token budget (longest: ${report.maxTotal} words).`);

    const gold = loadSplit(split, corpus).encounters;
    say(`\n5. No-model baselines on ${split} (${gold.length} encounters), scored exactly like ACI-BENCH`);
    say(`   ${'method'.padEnd(22)} ROUGE-1  ROUGE-2  ROUGE-Lsum`);
    let best: { method: string; r1: number; html: string } | undefined;
    const pool = retrievalPool(corpus);
    for (const method of BASELINE_METHODS) {
      const preds = baselinePredictions(gold, method, { pool });
      writeFileSync(join(out, 'baselines', `${method}.csv`), predictionsCsv(preds));
      const ev = await evaluateNotes(gold, preds.map((p) => ({ encounterId: p.encounterId, note: p.note })));
      const all = ev.results.ALL as Record<string, number>;
      say(`   ${method.padEnd(22)} ${pct(all.rouge1).padStart(7)}  ${pct(all.rouge2).padStart(7)}  ${pct(all.rougeLsum).padStart(9)}`);
      if (!best || all.rouge1! > best.r1) best = { method, r1: all.rouge1!, html: toHtml(ev, `Baseline "${method}" on ${split}: ${BASELINE_DESCRIPTIONS[method]}`) };
    }
    writeFileSync(join(out, 'report.html'), best!.html);
    say(`\nDone. Everything is in ${out}:`);
    say(`  report.html          the evaluation report of the best baseline (${best!.method}); open it in a browser`);
    say('  baselines/*.csv      predictions in ACI-BENCH form, for `medigen eval --gold <split> --pred <file>`');
    say('  train.jsonl          instruction-tuning data for `medigen train`');
    say('\nNext: an LLM has to beat these baselines. Try `medigen generate --help`, or point --corpus at the real ACI-BENCH.');
    return EXIT.ok;
  },
});

export const demoCommands: Command[] = [demo];
