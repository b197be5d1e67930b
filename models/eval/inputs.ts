/**
 * Reading the two inputs of an evaluation: the reference (gold) notes, by split name or file, with
 * their metadata; and a predictions CSV. Problems become MedigenErrors that say how to fix them.
 */
import { resolve } from 'node:path';
import { MedigenError, readUserFile, statUserFile } from '../../core/index';
import { loadSplit, readCsvEncounters } from '../../datasets/index';
import { parseCsv, type CsvProblem } from '../../datasets/index';
import type { Encounter } from '../../datasets/index';
import type { Prediction } from './match';

function firstErrors(problems: readonly CsvProblem[], max = 3): string {
  const errs = problems.filter((p) => p.severity === 'error');
  return errs
    .slice(0, max)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join(' ') + (errs.length > max ? ` (and ${errs.length - max} more problems)` : '');
}

function requireFile(file: string, what: string, hint: string): string {
  const abs = resolve(file);
  try {
    statUserFile(abs, `${what} file`);
  } catch (e) {
    // Keep the file-specific reason (folder, dangling link, permission), add what this file should be.
    if (e instanceof MedigenError && (e.cause as { code?: string } | undefined)?.code === 'ENOENT' && !/link/.test(e.message)) throw new MedigenError(e.message, `${hint} ${e.hint}`, { cause: e });
    throw e;
  }
  return abs;
}

/** Options of {@link loadGold}. */
export interface GoldOptions {
  /** Corpus folder used to resolve a split name. Defaults to ACI_BENCH_DIR, else the shipped sample. */
  corpus?: string;
  /** Metadata CSV to join by encounter_id. Defaults to `<gold>_metadata.csv` next to the gold file, when present. */
  metadata?: string;
}

/** The reference encounters of a split name (train, test1…) or ACI-BENCH CSV/JSON file, with metadata. */
export function loadGold(ref: string, options: GoldOptions = {}): { file: string; encounters: Encounter[]; metadataFile?: string } {
  const split = loadSplit(ref, options.corpus);
  if (split.problems.some((p) => p.severity === 'error')) {
    throw new MedigenError(`The reference file ${split.file} has problems: ${firstErrors(split.problems)}`, 'Run `medigen data validate` on it and fix the reported lines, or use an unmodified ACI-BENCH split.');
  }
  let metadataFile = split.file.replace(/\.(csv|json)$/, '_metadata.csv');
  if (options.metadata) {
    metadataFile = requireFile(options.metadata, 'metadata', 'Give the *_metadata.csv file of the same split, or leave --metadata out.');
    joinMetadataFile(split.encounters, metadataFile);
  }
  const has = split.encounters.some((e) => e.metadata);
  return { file: split.file, encounters: split.encounters, ...(has ? { metadataFile } : {}) };
}

/**
 * Adds the columns of a metadata CSV to each encounter: by encounter_id when the file has that
 * column, otherwise by row order (the file must then have one row per encounter).
 */
export function joinMetadataFile(encounters: Encounter[], file: string): void {
  const table = parseCsv(readUserFile(file, 'metadata file'), file);
  if (table.problems.some((p) => p.severity === 'error')) {
    throw new MedigenError(`The metadata file ${file} has problems: ${firstErrors(table.problems)}`, 'Fix the reported lines, or leave --metadata out.');
  }
  const rows = table.rows.map((r) => Object.fromEntries(table.header.map((h, k) => [h, r.cells[k] ?? ''])));
  if (table.header.includes('encounter_id')) {
    const byId = new Map(rows.map((r) => [r.encounter_id!, r]));
    const missing = encounters.filter((e) => !byId.has(e.encounterId));
    if (missing.length === encounters.length) {
      throw new MedigenError(`The metadata file ${file} has none of the reference's encounter ids.`, 'Use the *_metadata.csv of the same split as --gold.');
    }
    for (const e of encounters) {
      const m = byId.get(e.encounterId);
      if (m) e.metadata = m;
    }
    return;
  }
  if (rows.length !== encounters.length) {
    throw new MedigenError(`The metadata file ${file} has ${rows.length} rows and no encounter_id column, but the reference has ${encounters.length} notes.`, 'Use the *_metadata.csv of the same split as --gold (it has an encounter_id column).');
  }
  encounters.forEach((e, k) => (e.metadata = rows[k]!));
}

/**
 * Reads a predictions CSV: a `note` column (required) and, optionally, `encounter_id` to match
 * notes to the reference. Other columns (dataset, dialogue…) are ignored.
 */
export function loadPredictions(file: string): Prediction[] {
  const abs = requireFile(file, 'predictions', 'Give the CSV your generator wrote (columns encounter_id and note), e.g. one made by `medigen baseline`.');
  const table = parseCsv(readUserFile(abs, 'predictions file'), abs);
  if (!table.header.includes('note')) {
    throw new MedigenError(
      `The predictions file ${abs} has no "note" column; its header is: ${table.header.join(', ') || '(empty)'}.`,
      'Name the column with the generated notes "note" (first line of the CSV), and keep an "encounter_id" column so the notes can be matched to the reference.',
    );
  }
  const { encounters, problems } = readCsvEncounters(abs, ['note']);
  if (problems.some((p) => p.severity === 'error')) {
    throw new MedigenError(`The predictions file ${abs} has problems: ${firstErrors(problems)}`, 'Fields with commas, quotes or line breaks must be wrapped in double quotes; write the file with a CSV library (e.g. Python csv or `medigen baseline`).');
  }
  const hasIds = table.header.includes('encounter_id');
  return encounters.map((e) => (hasIds ? { encounterId: e.encounterId, note: e.note } : { note: e.note }));
}
