import { existsSync, lstatSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MedigenError, projectRoot, readUserFile, readUserJson, requireUserDir, statUserFile } from '../core/index';
import { otherFormatProblem, parseCsv, type CsvProblem } from './csv';
import { SPLITS, type Encounter, type SplitName } from './types';

/** File names of the splits in an ACI-BENCH `challenge_data` folder. */
export const SPLIT_FILES: Record<SplitName, string> = {
  train: 'train.csv',
  valid: 'valid.csv',
  test1: 'clinicalnlp_taskB_test1.csv',
  test2: 'clinicalnlp_taskC_test2.csv',
  test3: 'clef_taskC_test3.csv',
};

export const REQUIRED_COLUMNS = ['dataset', 'encounter_id', 'dialogue', 'note'] as const;

/** The small synthetic corpus shipped with MediGen Lab: the default when no corpus is given. */
export function sampleCorpusDir(): string {
  return join(projectRoot(), 'datasets', 'sample');
}

/** The shipped made-up visit with identifiers (a name, date of birth, phone, email, address): `medigen phi scan demo`. */
export function identifiersDemoFile(): string {
  return join(projectRoot(), 'datasets', 'demo', 'identifiers-demo.csv');
}

/**
 * Picks the corpus folder: an explicit one, else ACI_BENCH_DIR, else the shipped sample.
 * A folder that holds `challenge_data/` (a clone of the ACI-BENCH repository) is accepted too.
 */
export function resolveCorpusDir(dir?: string): string {
  const chosen = dir ?? process.env.ACI_BENCH_DIR ?? sampleCorpusDir();
  const abs = requireUserDir(chosen, 'corpus folder', 'Point --corpus (or ACI_BENCH_DIR) at a folder with ACI-BENCH CSV files such as train.csv, e.g. a clone of the ACI-BENCH repository.');
  if (!existsSync(join(abs, SPLIT_FILES.train)) && existsSync(join(abs, 'challenge_data'))) return join(abs, 'challenge_data');
  return abs;
}

export interface LoadedSplit {
  name: string;
  file: string;
  encounters: Encounter[];
  problems: CsvProblem[];
}

/** True when `ref` names a split (train, valid, test1…) rather than a file. */
export function isSplitName(ref: string): ref is SplitName {
  return (SPLITS as readonly string[]).includes(ref);
}

/** Resolves a split name (in a corpus folder) or a path to a CSV/JSON file. */
export function resolveSplitFile(ref: string, corpusDir?: string): string {
  if (isSplitName(ref)) {
    const dir = resolveCorpusDir(corpusDir);
    const file = join(dir, SPLIT_FILES[ref]);
    const json = file.replace(/\.csv$/, '.json');
    if (existsSync(file)) return file;
    if (existsSync(json)) return json;
    throw new MedigenError(`The corpus folder ${dir} has no ${SPLIT_FILES[ref]} for the "${ref}" split.`, `Check that --corpus points at ACI-BENCH's challenge_data folder. Splits are: ${SPLITS.join(', ')}.`);
  }
  const abs = resolve(ref);
  let present = existsSync(abs);
  try {
    present ||= lstatSync(abs).isSymbolicLink();
  } catch {
    /* not there */
  }
  if (!present) {
    throw new MedigenError(`No file or split named "${ref}" (looked for ${abs}).`, `Give a split name (${SPLITS.join(', ')}) or the path of an ACI-BENCH CSV file.`);
  }
  statUserFile(abs, 'data file');
  return abs;
}

/** The metadata file that belongs to a split file, if there is one. */
export function metadataFileFor(file: string): string | undefined {
  const m = file.replace(/\.(csv|json)$/, '_metadata.csv');
  return m !== file && existsSync(m) ? m : undefined;
}

/**
 * Loads one split by name or file: CSV (`dataset,encounter_id,dialogue,note`) or ACI-BENCH's JSON
 * form (`{"data": [{"src", "tgt", "file"}]}`), joined with `*_metadata.csv` when present.
 * Rows with problems are kept and the problems returned; nothing is dropped.
 */
export function loadSplit(ref: string, corpusDir?: string): LoadedSplit {
  const file = resolveSplitFile(ref, corpusDir);
  const name = isSplitName(ref) ? ref : basename(file).replace(/\.(csv|json)$/, '');
  const { encounters, problems } = file.endsWith('.json') ? readJsonEncounters(file) : readCsvEncounters(file);
  const meta = metadataFileFor(file);
  if (meta) joinMetadata(encounters, meta, problems);
  return { name, file, encounters, problems };
}

/** Reads encounters from an ACI-BENCH-style CSV. Columns are matched by name, in any order. */
export function readCsvEncounters(file: string, required: readonly string[] = REQUIRED_COLUMNS): { encounters: Encounter[]; problems: CsvProblem[] } {
  const table = parseCsv(readUserFile(file, 'data file'), file);
  const problems = [...table.problems];
  const col = (name: string) => table.header.indexOf(name);
  const empty = table.header.length === 0 || (table.header.length === 1 && table.header[0] === '' && table.rows.length === 0);
  const other = !empty && required.some((c) => col(c) < 0) ? otherFormatProblem(table) : undefined;
  if (empty) problems.push({ file, line: 1, severity: 'error', code: 'empty-file', message: 'The file is empty: it has no header line and no rows.', hint: `An ACI-BENCH file starts with the header ${REQUIRED_COLUMNS.join(',')} followed by one row per encounter; check that it was saved completely.` });
  else if (other) problems.splice(0, problems.length, other); // the CSV reader's complaints about another format only confuse
  for (const c of required) {
    if (col(c) < 0 && !other && !empty) {
      problems.push({
        file,
        line: 1,
        severity: 'error',
        message: `Column "${c}" is missing; the header has: ${table.header.join(', ') || '(nothing)'}.`,
        hint: `ACI-BENCH files have the columns ${REQUIRED_COLUMNS.join(', ')}. Rename the column in the first line of the file.`,
      });
    }
  }
  const get = (cells: string[], c: string) => (col(c) >= 0 ? (cells[col(c)] ?? '') : '');
  const encounters = table.rows.map(
    (r): Encounter => ({
      dataset: get(r.cells, 'dataset'),
      encounterId: get(r.cells, 'encounter_id'),
      dialogue: get(r.cells, 'dialogue'),
      note: get(r.cells, 'note'),
      source: { file, line: r.line },
    }),
  );
  table.rows.forEach((r, k) => {
    if (r.cells.length !== table.header.length) {
      problems.push({
        file,
        line: r.line,
        row: k + 1,
        severity: 'error',
        message: `Row ${k + 1} (line ${r.line}) has ${r.cells.length} cells but the header has ${table.header.length}.`,
        hint: 'A comma or quote is probably out of place in that row: fields containing commas or newlines must be wrapped in double quotes.',
      });
    }
  });
  return { encounters, problems };
}

function readJsonEncounters(file: string): { encounters: Encounter[]; problems: CsvProblem[] } {
  const parsed = readUserJson(file, 'data file', 'Check the file was saved completely, or use the CSV form of the split.');
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    throw new MedigenError(`${file} has no "data" list.`, 'ACI-BENCH JSON files look like {"data": [{"src": dialogue, "tgt": note, "file": "<encounter>-<subset>"}]}.');
  }
  const encounters = data.map((d: { src?: string; tgt?: string; file?: string }, k): Encounter => {
    const [id = `row${k + 1}`, subset = ''] = String(d.file ?? '').split('-');
    return { dataset: subset, encounterId: id, dialogue: d.src ?? '', note: d.tgt ?? '', source: { file, line: k + 1 } };
  });
  return { encounters, problems: [] };
}

function joinMetadata(encounters: Encounter[], metaFile: string, problems: CsvProblem[]): void {
  const table = parseCsv(readUserFile(metaFile, 'metadata file'), metaFile);
  problems.push(...table.problems);
  const idCol = table.header.indexOf('encounter_id');
  if (idCol < 0) {
    problems.push({ file: metaFile, line: 1, severity: 'warning', message: 'The metadata file has no encounter_id column, so it was not used.', hint: 'Metadata files need an encounter_id column matching the split file.' });
    return;
  }
  const byId = new Map<string, Record<string, string>>();
  for (const r of table.rows) {
    const rec: Record<string, string> = {};
    table.header.forEach((h, k) => (rec[h] = r.cells[k] ?? ''));
    byId.set(r.cells[idCol] ?? '', rec);
  }
  for (const e of encounters) {
    const m = byId.get(e.encounterId);
    if (m) e.metadata = m;
  }
}
