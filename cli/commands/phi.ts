import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import { identifiersDemoFile, loadSplit, parseCsv, shortPath, writeCsv, type Encounter } from '../../datasets/index';
import { IDENTIFIER_KINDS, scanIdentifiers, scrubIdentifiers, type IdentifierHit } from '../../models/safety/index';
import { EXIT, defineCommand, type Command } from '../command';

const corpusOption = { corpus: { type: 'string' } } as const;
const corpusHelp = { corpus: 'Folder with the ACI-BENCH CSV files, for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample.' };

/** Names the metadata gives for an encounter (patient and doctor), found wherever they appear. */
function knownNames(e: Encounter): string[] {
  const m = e.metadata ?? {};
  return [m.patient_firstname, m.patient_familyname, m.doctor_name].filter((n): n is string => !!n && n.trim() !== '' && n !== '#####EMPTY#####');
}

function loadInput(ref: string | undefined, corpus: string | undefined, usage: string) {
  if (!ref) throw new UsageError('Give the split name (train, valid, test1, test2, test3), the CSV file to look at, or demo (a made-up visit with identifiers).', `Example: ${usage}`);
  const split = loadSplit(ref === 'demo' ? identifiersDemoFile() : ref, corpus);
  const errors = split.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new MedigenError(`${split.file} has problems: ${errors.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join(' ')}`, `Run \`medigen data validate ${ref}\` and fix the reported lines first.`);
  }
  if (!split.encounters.length) throw new MedigenError(`${split.file} has no encounters.`, 'Give an ACI-BENCH CSV with columns dataset, encounter_id, dialogue, note.');
  return split;
}

function counts(hits: readonly IdentifierHit[]): Record<string, number> {
  return Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, hits.filter((h) => h.kind === k).length]));
}

const scan = defineCommand({
  path: ['phi', 'scan'],
  summary: 'List the identifiers (names, phone numbers, emails, record numbers, dates of birth, addresses, SSNs) in dialogues and notes',
  usage: 'SPLIT|FILE|demo [--json] [--corpus DIR]',
  options: { ...corpusOption, json: { type: 'boolean' } },
  help: { ...corpusHelp, json: 'Print every identifier with its kind and character offsets as JSON.' },
  details: `Finds identifiers the way ACI-BENCH transcripts say them (lower case, digits read out in
groups: "my number is five five five , two three four ...") and the way notes write them. Positions
are character offsets into the dialogue or note text. Names from the *_metadata.csv (patient and
doctor) are looked for too. The guard is rule-based: it can miss an identifier said in an unusual
way, so read the dialogue before sharing it. Exit code 0 whether or not identifiers were found.

ACI-BENCH is role-played and de-identified, so on it the scan finds mostly names; \`demo\` is a
shipped made-up visit with a date of birth, phone number, email and address to try it on.

Examples:
  medigen phi scan demo
  medigen phi scan test1 --corpus ~/aci-bench
  medigen phi scrub test1 --corpus ~/aci-bench --out test1_scrubbed.csv`,
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError(`Unexpected argument "${ctx.positionals[1]}".`, 'Give one split name or CSV file.');
    const split = loadInput(ctx.positionals[0], ctx.values.corpus, 'medigen phi scan test1');
    const rows = split.encounters.map((e) => {
      const names = knownNames(e);
      return { encounter_id: e.encounterId, dialogue: scanIdentifiers(e.dialogue, { knownNames: names }), note: scanIdentifiers(e.note, { knownNames: names }) };
    });
    const all = rows.flatMap((r) => [...r.dialogue, ...r.note]);
    const summary = { encounters: rows.length, encounters_with_identifiers: rows.filter((r) => r.dialogue.length + r.note.length > 0).length, identifiers: all.length, by_kind: counts(all) };
    if (ctx.values.json) {
      ctx.out.write(`${JSON.stringify({ file: split.file, encounters: rows, summary }, null, 2)}\n`);
      return EXIT.ok;
    }
    ctx.out.write(`File: ${split.file}\n\n`);
    for (const r of rows) {
      if (!r.dialogue.length && !r.note.length) continue;
      ctx.out.write(`${r.encounter_id}: ${r.dialogue.length} in the dialogue, ${r.note.length} in the note\n`);
      for (const [where, hits] of [['dialogue', r.dialogue], ['note', r.note]] as const) {
        for (const h of hits) ctx.out.write(`  ${where} ${h.start}-${h.end}  ${h.kind.padEnd(7)} "${h.text.replace(/\s+/g, ' ')}"\n`);
      }
    }
    const kinds = Object.entries(summary.by_kind).filter(([, c]) => c > 0).map(([k, c]) => `${c} ${k}`).join(', ');
    ctx.out.write(
      all.length
        ? `\nFound ${all.length} identifiers (${kinds}) in ${summary.encounters_with_identifiers} of ${rows.length} encounters.\nNext: \`medigen phi scrub ${ctx.positionals[0]} --out FILE\` writes a copy with each replaced by a placeholder such as [NAME].\n`
        : `\nFound no identifiers in ${rows.length} encounters. The guard is rule-based: still read what you share.\n`,
    );
    return EXIT.ok;
  },
});

const scrub = defineCommand({
  path: ['phi', 'scrub'],
  summary: 'Write a copy of a CSV with every identifier replaced by a typed placeholder ([NAME], [PHONE], …)',
  usage: 'SPLIT|FILE|demo --out FILE [--force] [--corpus DIR]',
  options: { ...corpusOption, out: { type: 'string' }, force: { type: 'boolean' } },
  help: {
    ...corpusHelp,
    out: 'The CSV to write: the same columns and rows, with identifiers in the dialogue and note replaced. Required; must not be the input.',
    force: 'Replace --out if it already exists. Off by default: an existing file is never replaced silently.',
  },
  details: `Placeholders: [NAME], [PHONE], [EMAIL], [MRN], [DOB], [ADDRESS], [SSN]. Other columns are
copied unchanged. Run \`medigen phi scan\` first to see what will be replaced.

Example:
  medigen phi scrub test1 --corpus ~/aci-bench --out test1_scrubbed.csv`,
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError(`Unexpected argument "${ctx.positionals[1]}".`, 'Give one split name or CSV file.');
    if (!ctx.values.out) throw new UsageError('--out is required: the CSV file to write the scrubbed copy to.', 'Example: medigen phi scrub test1 --out test1_scrubbed.csv');
    const split = loadInput(ctx.positionals[0], ctx.values.corpus, 'medigen phi scrub test1 --out test1_scrubbed.csv');
    const out = resolve(ctx.values.out);
    if (out === resolve(split.file)) throw new UsageError(`--out is the input file ${split.file}; scrubbing never writes over its input.`, 'Choose another file name, e.g. --out scrubbed.csv.');
    if (existsSync(out) && !ctx.values.force) throw new MedigenError(`${out} already exists and was left as it is.`, 'Choose another --out file, or add --force to replace it.');

    const byId = new Map(split.encounters.map((e) => [e.encounterId, e]));
    let header: string[];
    let cells: string[][];
    if (/\.csv$/i.test(split.file)) {
      const table = parseCsv(readFileSync(split.file), split.file);
      header = table.header;
      cells = table.rows.map((r) => header.map((_, k) => r.cells[k] ?? ''));
    } else {
      header = ['dataset', 'encounter_id', 'dialogue', 'note'];
      cells = split.encounters.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note]);
    }
    const idCol = header.indexOf('encounter_id');
    const textCols = ['dialogue', 'note'].map((c) => header.indexOf(c)).filter((k) => k >= 0);
    const found: IdentifierHit[] = [];
    for (const row of cells) {
      const e = idCol >= 0 ? byId.get(row[idCol]!) : undefined;
      const names = e ? knownNames(e) : [];
      for (const k of textCols) {
        const r = scrubIdentifiers(row[k]!, { knownNames: names });
        row[k] = r.text;
        found.push(...r.found);
      }
    }
    try {
      writeFileSync(out, writeCsv(header, cells));
    } catch (e) {
      throw new MedigenError(`Could not write ${out}: ${(e as Error).message}.`, 'Check that the folder exists and that you may write there, or choose another file name.');
    }
    const kinds = Object.entries(counts(found)).filter(([, c]) => c > 0).map(([k, c]) => `${c} ${k}`).join(', ');
    ctx.out.write(`Replaced ${found.length} identifiers${kinds ? ` (${kinds})` : ''} in ${cells.length} rows of ${shortPath(split.file)}.\nWrote ${shortPath(out)}. Next: \`medigen phi scan ${shortPath(out)}\` to check what is left, and read it before sharing.\n`);
    return EXIT.ok;
  },
});

export const phiCommands: Command[] = [scan, scrub];
