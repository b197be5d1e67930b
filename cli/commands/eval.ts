import { resolve } from 'node:path';
import { MedigenError, UsageError, assertOutputsAreNotInputs, writeUserFile } from '../../core/index';
import { streamProgress } from '../../core/index';
import { evaluateNotes, formatTable, loadGold, loadPredictions, toHtml, toJson, toMarkdown, type EvaluateOptions } from '../../models/eval/index';
import { CORPUS_HELP } from '../options';
import { EXIT, defineCommand, type Command } from '../command';

function wholeNumber(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number from ${min} up, not "${value}".`, `For example --${flag} ${flag === 'bertscore-layer' ? 40 : 512}.`);
  return n;
}

/** Writes a report file, turning file-system errors into an actionable message. */
export function writeReport(file: string, text: string, what: string): string {
  return writeUserFile(file, text, what);
}

const evaluate = defineCommand({
  path: ['eval'],
  summary: 'Score generated notes against reference notes exactly like ACI-BENCH (ROUGE, optional BERTScore)',
  usage: '--gold SPLIT|FILE --pred FILE [--only-predicted] [--metadata FILE] [--corpus DIR] [--json] [--markdown FILE] [--html FILE] [--stemmer] [--bertscore-model DIR]',
  options: {
    gold: { type: 'string' },
    pred: { type: 'string', multiple: true },
    'only-predicted': { type: 'boolean' },
    metadata: { type: 'string' },
    corpus: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'string' },
    html: { type: 'string' },
    stemmer: { type: 'boolean' },
    'long-src-words': { type: 'string' },
    'length-bins': { type: 'string' },
    'bertscore-model': { type: 'string' },
    'bertscore-layer': { type: 'string' },
    'bertscore-idf': { type: 'boolean' },
    'bertscore-baseline': { type: 'string' },
  },
  help: {
    gold: 'Reference notes: a split name (train, valid, test1, test2, test3) or an ACI-BENCH CSV file. Required.',
    pred: 'Generated notes: a CSV with a "note" column (and "encounter_id" to match rows). Required, once (compare several systems with `medigen results`).',
    'only-predicted': 'Score only the reference encounters the predictions have (e.g. after `generate --limit N`). The figures then cover that subset, not the whole split.',
    metadata: 'Metadata CSV for the gender / chief complaint breakdowns. Defaults to <gold>_metadata.csv next to the gold file.',
    corpus: CORPUS_HELP,
    json: 'Print the ACI-BENCH results object as JSON (same keys as the official evaluation script).',
    markdown: 'Also write a Markdown report to this file.',
    html: 'Also write a self-contained HTML report to this file (open it in a browser).',
    stemmer: 'Porter-stem words before ROUGE. Off by default, as in ACI-BENCH; scores are then not comparable to the paper.',
    'long-src-words': 'Dialogues with more words than this count as "longer-src". Defaults to 512 (ACI-BENCH).',
    'length-bins': 'Word counts separating the dialogue-length bands of the report. Defaults to 1000,1500,2000.',
    'bertscore-model': 'Also compute BERTScore with this local model folder (ONNX export). Defaults to off.',
    'bertscore-layer': 'Hidden layer for BERTScore. Defaults to the model\'s last layer (ACI-BENCH: 40 of deberta-xlarge-mnli).',
    'bertscore-idf': 'Weight BERTScore by idf over the references. Off by default (ACI-BENCH).',
    'bertscore-baseline': 'bert_score baseline file to rescale BERTScore. Defaults to no rescaling (ACI-BENCH).',
  },
  details: `Scores every generated note against its reference note: the whole note and each of the four
sections (subjective, objective exam, objective results, assessment and plan), cut out with ACI-BENCH's
own section tagger. Figures are mean F1 over notes, identical to ACI-BENCH's evaluation script.
Rows are matched by encounter_id when both files have it on every row, otherwise by row order.

Examples:
  medigen baseline --split test1 --method 12-doctor-turns --out preds.csv --corpus ~/aci-bench
  medigen eval --gold test1 --pred preds.csv --corpus ~/aci-bench --html report.html
  medigen eval --gold my_gold.csv --pred my_preds.csv --json > results.json`,
  async run(ctx) {
    const v = ctx.values;
    if (!v.gold) throw new UsageError('--gold is required: the reference notes (a split name such as test1, or a CSV file).', 'Example: medigen eval --gold test1 --pred preds.csv');
    if (!v.pred?.length) throw new UsageError('--pred is required: the CSV with your generated notes.', 'Example: medigen eval --gold test1 --pred preds.csv');
    if (v.pred.length > 1) throw new UsageError(`--pred was given ${v.pred.length} times; eval scores one predictions file at a time.`, `Run eval once per file, or compare them in one table with: medigen results ${v.pred.join(' ')} --gold ${v.gold}`);
    const predFile = v.pred[0]!;
    if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}".`, 'Give the files with --gold and --pred.');
    const bins = v['length-bins']?.split(',').map((s) => wholeNumber(s.trim(), 'length-bins', 1)!);
    const longSrc = wholeNumber(v['long-src-words'], 'long-src-words');
    const layer = wholeNumber(v['bertscore-layer'], 'bertscore-layer');
    if (!v['bertscore-model'] && (layer !== undefined || v['bertscore-idf'] || v['bertscore-baseline'])) {
      throw new UsageError('The --bertscore-* settings need --bertscore-model.', 'Add --bertscore-model <folder of an ONNX model>, or drop the BERTScore settings.');
    }

    const gold = loadGold(v.gold, { ...(v.corpus ? { corpus: v.corpus } : {}), ...(v.metadata ? { metadata: v.metadata } : {}) });
    const predictions = loadPredictions(predFile);
    assertOutputsAreNotInputs(
      [v.markdown ? { label: '--markdown', path: v.markdown } : undefined, v.html ? { label: '--html', path: v.html } : undefined],
      [{ label: '--gold file', path: gold.file }, { label: '--pred file', path: predFile }, gold.metadataFile ? { label: 'metadata file', path: gold.metadataFile } : undefined, v['bertscore-baseline'] ? { label: '--bertscore-baseline file', path: v['bertscore-baseline'] } : undefined],
    );
    if (v['only-predicted']) {
      const ids = new Set(predictions.map((p) => p.encounterId?.trim()).filter(Boolean));
      if (ids.size !== predictions.length) throw new MedigenError('--only-predicted needs an encounter_id on every prediction row, to know which encounters were generated.', 'Add the encounter_id column (medigen generate writes it).');
      const all = gold.encounters.length;
      gold.encounters = gold.encounters.filter((e) => ids.has(e.encounterId.trim()));
      ctx.err.write(`Scoring only the ${gold.encounters.length} of ${all} reference encounters that have a prediction (--only-predicted): the figures cover this subset, not the whole split.\n`);
    }
    const blank = predictions.filter((p) => !p.note.trim());
    if (blank.length) ctx.err.write(`Warning: ${blank.length} of ${predictions.length} predicted notes are blank and score 0${blank.some((p) => p.encounterId) ? ` (${blank.slice(0, 5).map((p) => p.encounterId).join(', ')}${blank.length > 5 ? ', …' : ''})` : ''}. Check how they were generated.\n`);
    const progress = streamProgress(ctx.err, 'Scoring notes');
    const options: EvaluateOptions = { useStemmer: v.stemmer ?? false, progress };
    if (longSrc !== undefined) options.longSourceWords = longSrc;
    if (bins) options.sourceLengthBins = bins;
    if (v['bertscore-model']) {
      options.bertscore = { modelDir: resolve(v['bertscore-model']), ...(layer !== undefined ? { layer } : {}), ...(v['bertscore-idf'] ? { idf: true } : {}), ...(v['bertscore-baseline'] ? { baselineFile: resolve(v['bertscore-baseline']) } : {}) };
    }
    let ev;
    try {
      ev = await evaluateNotes(gold.encounters, predictions, options);
    } finally {
      progress.end();
    }
    if (v.json) ctx.out.write(toJson(ev));
    else {
      ctx.out.write(`Reference: ${gold.file}${gold.metadataFile ? ` (+ ${gold.metadataFile})` : ''}\nPredictions: ${resolve(predFile)}\n`);
      ctx.out.write(formatTable(ev));
    }
    if (v.markdown) {
      ctx.err.write(`Wrote the Markdown report to ${writeReport(v.markdown, toMarkdown(ev), 'Markdown report')}\n`);
    }
    if (v.html) {
      ctx.err.write(`Wrote the HTML report to ${writeReport(v.html, toHtml(ev), 'HTML report')}; open it in a browser.\n`);
    }
    return EXIT.ok;
  },
});

export const evalCommands: Command[] = [evaluate];
