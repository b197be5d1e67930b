import { MedigenError, UsageError, assertOutputsAreNotInputs, writeUserFile } from '../../core/index';
import { streamProgress } from '../../core/index';
import {
  DEFAULT_MAX_TOKENS,
  PREPROCESS_STEPS,
  STEP_NAMES,
  divideNote,
  enabledSteps,
  explainPreprocessing,
  formatAgreement,
  formatDivision,
  formatLengthReport,
  formatStats,
  formatStatsProblems,
  statsUnreliable,
  formatValidation,
  loadSplit,
  metadataFileFor,
  measureSectionAgreement,
  preprocessEncounters,
  readTemplate,
  buildInstructionData,
  corpusStats,
  shortPath,
  tokenCounter,
  validateCorpus,
  validateSplit,
  writeCsv,
  type Encounter,
  type PreprocessConfig,
  type StepName,
  type TextField,
} from '../../datasets/index';
import { CORPUS_HELP, CORPUS_OPTION } from '../options';
import { EXIT, defineCommand, type Command } from '../command';

const corpusOption = CORPUS_OPTION;
const corpusHelp = { corpus: CORPUS_HELP };

/** The metadata file read with a split file, as an input no output may overwrite. */
const metadataOf = (file: string) => {
  const m = metadataFileFor(file);
  return m ? [{ label: 'metadata file', path: m }] : [];
};

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function findEncounter(encounters: readonly Encounter[], id: string, where: string): Encounter {
  const e = encounters.find((x) => x.encounterId === id);
  if (!e) throw new MedigenError(`There is no encounter "${id}" in ${where}.`, `Encounter ids there are: ${encounters.slice(0, 8).map((x) => x.encounterId).join(', ')}${encounters.length > 8 ? ', …' : ''}.`);
  return e;
}

const validate = defineCommand({
  path: ['data', 'validate'],
  summary: 'Check ACI-BENCH files: columns, quoting, encoding, empty texts, duplicate ids, speaker tags',
  usage: '[SPLIT|FILE ...] [--corpus DIR] [--json]',
  options: { ...corpusOption, json: { type: 'boolean' } },
  help: { ...corpusHelp, json: 'Print every problem as JSON instead of the grouped summary.' },
  details: `With no SPLIT or FILE, every split in the corpus is checked. SPLIT is train, valid, test1, test2 or test3;
FILE is the path of any CSV in ACI-BENCH's format (dataset,encounter_id,dialogue,note).
Errors (exit 1) must be fixed before the data is used; warnings are worth a look but block nothing.

Examples:
  medigen data validate
  medigen data validate train --corpus ~/aci-bench/challenge_data
  medigen data validate my_notes.csv --json`,
  async run(ctx) {
    const progress = streamProgress(ctx.err, 'Validating');
    const reports = ctx.positionals.length ? ctx.positionals.map((ref) => validateSplit(ref, ctx.values.corpus, { progress })) : validateCorpus(ctx.values.corpus, { progress });
    progress.end();
    ctx.out.write(ctx.values.json ? `${JSON.stringify(reports, null, 2)}\n` : formatValidation(reports));
    return reports.some((r) => r.errors > 0) ? EXIT.failed : EXIT.ok;
  },
});

function preprocessConfig(only?: string, skip?: string, enable?: string): PreprocessConfig {
  const check = (names: string[], flag: string) => {
    for (const n of names) if (!(STEP_NAMES as readonly string[]).includes(n)) throw new UsageError(`${flag}: "${n}" is not a preprocessing step.`, `The steps are: ${STEP_NAMES.join(', ')} (run \`medigen data preprocess --list\`).`);
    return names as StepName[];
  };
  const config: PreprocessConfig = {};
  if (only !== undefined) for (const s of STEP_NAMES) config[s] = false;
  for (const s of check(list(only), '--only')) config[s] = true;
  for (const s of check(list(enable), '--enable')) config[s] = true;
  for (const s of check(list(skip), '--skip')) config[s] = false;
  return config;
}

const preprocess = defineCommand({
  path: ['data', 'preprocess'],
  summary: 'Clean dialogues step by step (whitespace, ASR punctuation spacing, special characters) and see the effect',
  usage: '[SPLIT|FILE] [--list] [--show ID] [--only STEPS] [--enable STEPS] [--skip STEPS] [--fields dialogue,note] [--out FILE] [--corpus DIR]',
  options: { ...corpusOption, list: { type: 'boolean' }, show: { type: 'string' }, only: { type: 'string' }, enable: { type: 'string' }, skip: { type: 'string' }, fields: { type: 'string' }, out: { type: 'string' } },
  help: {
    ...corpusHelp,
    list: 'List the preprocessing steps, what each does, and whether it is on.',
    show: 'Show before/after of every step for this encounter id.',
    only: 'Run only these steps (comma-separated names).',
    enable: 'Switch on steps that are off by default (comma-separated).',
    skip: 'Switch off steps (comma-separated).',
    fields: 'Columns to change: dialogue, note or both. Defaults to dialogue (notes are the references that evaluation compares against).',
    out: 'Write the processed split as CSV to this file.',
  },
  details: `SPLIT defaults to train. Without --show or --out, prints how many lines each step would change.

Examples:
  medigen data preprocess --list
  medigen data preprocess train --show D2N001
  medigen data preprocess train --skip normalizeSpecialChars --enable joinSplitContractions --out train.clean.csv`,
  async run(ctx) {
    const config = preprocessConfig(ctx.values.only, ctx.values.skip, ctx.values.enable);
    if (ctx.values.list) {
      const on = new Set(enabledSteps(config).map((s) => s.name));
      for (const s of PREPROCESS_STEPS) ctx.out.write(`[${on.has(s.name) ? 'on ' : 'off'}] ${s.name} — ${s.title}\n      ${s.description}\n`);
      return EXIT.ok;
    }
    const fields = list(ctx.values.fields ?? 'dialogue');
    for (const f of fields) if (f !== 'dialogue' && f !== 'note') throw new UsageError(`--fields: "${f}" is not a column preprocessing can change.`, 'Use --fields dialogue, --fields note or --fields dialogue,note.');
    const split = loadSplit(ctx.positionals[0] ?? 'train', ctx.values.corpus);
    assertOutputsAreNotInputs([ctx.values.out ? { label: '--out', path: ctx.values.out } : undefined], [{ label: 'split file', path: split.file }, ...metadataOf(split.file)]);
    if (ctx.values.show) {
      const e = findEncounter(split.encounters, ctx.values.show, split.name);
      for (const f of fields as TextField[]) {
        const ex = explainPreprocessing(e[f], config);
        ctx.out.write(`Encounter ${e.encounterId}, ${f}:\n`);
        for (const s of ex.steps) {
          ctx.out.write(`  ${s.step} (${s.title}): ${s.changes.length ? `${s.changes.length} line${s.changes.length === 1 ? '' : 's'} changed` : 'no change'}\n`);
          for (const c of s.changes.slice(0, 8)) ctx.out.write(`    line ${c.line}\n      before: ${c.before}\n      after:  ${c.after}\n`);
          if (s.changes.length > 8) ctx.out.write(`    … and ${s.changes.length - 8} more lines\n`);
        }
        ctx.out.write(`  ${ex.before === ex.after ? 'The text is unchanged.' : `${ex.before.length} → ${ex.after.length} characters.`}\n`);
      }
      return EXIT.ok;
    }
    const progress = streamProgress(ctx.err, 'Preprocessing');
    const processed = preprocessEncounters(split.encounters, { config, fields: fields as TextField[], progress });
    progress.end();
    const changed = processed.filter((p, k) => p.dialogue !== split.encounters[k]!.dialogue || p.note !== split.encounters[k]!.note).length;
    ctx.out.write(`${split.name}: ${changed} of ${split.encounters.length} encounters changed by ${enabledSteps(config).map((s) => s.name).join(', ') || 'no steps'} (${fields.join(', ')}).\n`);
    if (ctx.values.out) {
      const file = writeUserFile(ctx.values.out, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], processed.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])), 'output file');
      ctx.out.write(`Wrote ${shortPath(file)}. Next: medigen data validate ${shortPath(file)}\n`);
    } else {
      ctx.out.write(`Nothing written. See one encounter with --show ${split.encounters[0]?.encounterId ?? 'ID'}, or write the result with --out FILE.\n`);
    }
    return EXIT.ok;
  },
});

const sections = defineCommand({
  path: ['data', 'sections'],
  summary: "Divide a note into ACI-BENCH's four sections, and measure the tagger against the official division",
  usage: '[SPLIT|FILE] [--show ID] [--agreement [--sections DIR]] [--json] [--corpus DIR]',
  options: { ...corpusOption, show: { type: 'string' }, agreement: { type: 'boolean' }, sections: { type: 'string' }, json: { type: 'boolean' } },
  help: {
    ...corpusHelp,
    show: 'The encounter whose note to divide. Defaults to the first one of the split.',
    agreement: "Compare the tagger with ACI-BENCH's official sections (train and valid) instead.",
    sections: "Folder with ACI-BENCH's sections/*.json. Defaults to sections/ next to the corpus.",
    json: 'Print JSON.',
  },
  details: `The sections are subjective, objective_exam, objective_results and assessment_and_plan, found by
header lines such as HISTORY OF PRESENT ILLNESS or ASSESSMENT AND PLAN (the rules of ACI-BENCH's
own evaluation). --agreement needs the real corpus, e.g. --corpus ~/aci-bench (a clone).`,
  async run(ctx) {
    if (ctx.values.agreement) {
      const progress = streamProgress(ctx.err, 'Comparing sections');
      const r = measureSectionAgreement({ corpusDir: ctx.values.corpus, sectionsDir: ctx.values.sections, progress });
      progress.end();
      ctx.out.write(ctx.values.json ? `${JSON.stringify(r, null, 2)}\n` : formatAgreement(r));
      return EXIT.ok;
    }
    const split = loadSplit(ctx.positionals[0] ?? 'train', ctx.values.corpus);
    const e = ctx.values.show ? findEncounter(split.encounters, ctx.values.show, split.name) : split.encounters[0];
    if (!e) throw new MedigenError(`${split.name} has no encounters.`, 'Check the file with `medigen data validate`.');
    const division = divideNote(e.note);
    ctx.out.write(ctx.values.json ? `${JSON.stringify({ encounterId: e.encounterId, sections: division }, null, 2)}\n` : formatDivision(e.encounterId, division));
    return EXIT.ok;
  },
});

const stats = defineCommand({
  path: ['data', 'stats'],
  summary: 'Corpus statistics per split: encounters, turns, dialogue and note length (words, model tokens)',
  usage: '[--split NAME ...] [--corpus DIR] [--tokenizer DIR] [--json]',
  options: { ...corpusOption, split: { type: 'string', multiple: true }, tokenizer: { type: 'string' }, json: { type: 'boolean' } },
  help: { ...corpusHelp, split: 'A split (train, valid, test1, test2, test3) or CSV file; repeat for more. Defaults to every split of the corpus.', tokenizer: 'Folder of a downloaded model with tokenizer.json: also count model tokens.', json: 'Print JSON.' },
  details: 'Example: medigen data stats --corpus ~/aci-bench/challenge_data --tokenizer ~/models/Llama-3.2-1B',
  async run(ctx) {
    const tokenizer = ctx.values.tokenizer ? await tokenCounter(ctx.values.tokenizer) : undefined;
    const progress = streamProgress(ctx.err, 'Counting');
    const s = corpusStats(ctx.values.split, ctx.values.corpus, { tokenizer, progress });
    progress.end();
    ctx.out.write(ctx.values.json ? `${JSON.stringify(s, null, 2)}\n` : formatStats(s));
    ctx.err.write(formatStatsProblems(s));
    return s.some(statsUnreliable) ? EXIT.failed : EXIT.ok;
  },
});

const exportCmd = defineCommand({
  path: ['data', 'export'],
  summary: 'Write instruction data (instruction/input/output JSONL or chat messages) with a token-length report',
  usage: '[--split NAME] [--format jsonl|chat] [--template FILE] [--system FILE] [--max-tokens N] [--tokenizer DIR] [--out FILE] [--corpus DIR]',
  options: { ...corpusOption, split: { type: 'string' }, format: { type: 'string' }, template: { type: 'string' }, system: { type: 'string' }, 'max-tokens': { type: 'string' }, tokenizer: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  help: {
    ...corpusHelp,
    split: 'Split or CSV file to export. Defaults to train.',
    format: 'jsonl: {"instruction","input","output"} per line (the MediGen study\'s form); chat: {"messages":[system,user,assistant]}. Defaults to jsonl.',
    template: 'Text file with your own instruction. Placeholders: {{dialogue}}, {{dataset}}, {{encounter_id}}, {{meta.<column>}}. Without {{dialogue}} the dialogue is the input.',
    system: 'Text file with the system prompt of the chat format.',
    'max-tokens': `Context budget per example, in tokens. Defaults to ${DEFAULT_MAX_TOKENS}.`,
    tokenizer: 'Folder with tokenizer.json: measure lengths in model tokens instead of whitespace tokens.',
    out: 'Output file. Defaults to standard output (the length report then goes to standard error).',
    json: 'Print the length report as JSON.',
  },
  details: `Examples:
  medigen data export --split train --out train.jsonl
  medigen data export --split train --format chat --template my_prompt.txt --max-tokens 2048 --out train.chat.jsonl`,
  async run(ctx) {
    const format = ctx.values.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'chat') throw new UsageError(`--format ${format} is not a format.`, 'Use --format jsonl (instruction/input/output) or --format chat (messages).');
    const raw = ctx.values['max-tokens'];
    const maxTokens = raw === undefined ? DEFAULT_MAX_TOKENS : Number(raw);
    if (!Number.isInteger(maxTokens) || maxTokens <= 0) throw new UsageError(`--max-tokens ${raw} is not a positive whole number.`, 'Give the context length of your model, e.g. --max-tokens 4096.');
    const template = ctx.values.template ? readTemplate(ctx.values.template) : undefined;
    const systemPrompt = ctx.values.system ? readTemplate(ctx.values.system) : undefined;
    const tokenizer = ctx.values.tokenizer ? await tokenCounter(ctx.values.tokenizer) : undefined;
    const split = loadSplit(ctx.values.split ?? 'train', ctx.values.corpus);
    assertOutputsAreNotInputs(
      [ctx.values.out ? { label: '--out', path: ctx.values.out } : undefined],
      [{ label: 'split file', path: split.file }, ...metadataOf(split.file), ctx.values.template ? { label: '--template file', path: ctx.values.template } : undefined, ctx.values.system ? { label: '--system file', path: ctx.values.system } : undefined],
    );
    const progress = streamProgress(ctx.err, 'Exporting');
    const { lines, report } = buildInstructionData(split.encounters, { format, template, systemPrompt, maxTokens, tokenizer, progress });
    progress.end();
    const data = lines.map((l) => `${l}\n`).join('');
    const info = ctx.values.out ? ctx.out : ctx.err;
    if (ctx.values.out) {
      const file = writeUserFile(ctx.values.out, data, 'output file');
      info.write(`Wrote ${lines.length} ${format} examples from ${split.name} to ${shortPath(file)}.\n`);
    } else {
      ctx.out.write(data);
    }
    info.write(ctx.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatLengthReport(report));
    return EXIT.ok;
  },
});

export const dataCommands: Command[] = [validate, preprocess, sections, stats, exportCmd];
