/**
 * Validation of ACI-BENCH split files. It never throws on a bad file and never drops a row: every
 * problem it finds is reported with the file, the line, the encounter and what to do about it.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MedigenError, readUserFile } from '../core/index';
import type { Progress } from '../core/index';
import { REQUIRED_COLUMNS, SPLIT_FILES, isSplitName, loadSplit, metadataFileFor, resolveCorpusDir, resolveSplitFile } from './corpus';
import { decodeUtf8, otherFormatProblem, parseCsv, type CsvProblem } from './csv';
import { parseTurns, UNKNOWN_SPEAKER } from './turns';
import { SPLITS, type Encounter } from './types';

/** One problem found by validation. `code` names its kind, e.g. 'duplicate-id'. */
export interface ValidationProblem extends CsvProblem {
  code: string;
  /** The encounter the problem is in, when known. */
  encounterId?: string;
}

export interface ValidationReport {
  /** Split name or file name without extension. */
  name: string;
  file: string;
  /** The `*_metadata.csv` checked alongside, when there is one. */
  metadataFile?: string;
  /** Data rows read (every row is counted, broken or not). */
  rows: number;
  problems: ValidationProblem[];
  errors: number;
  warnings: number;
}

export interface ValidateOptions {
  /** Per-row progress. */
  progress?: Progress;
  /** Stops validation with a MedigenError when aborted. */
  signal?: AbortSignal;
  /** Also check `<split>_metadata.csv` next to the file. Defaults to true. */
  metadata?: boolean;
}

/** The subsets ACI-BENCH has (the `dataset` column). */
export const KNOWN_SUBSETS = ['virtassist', 'virtscribe', 'aci'] as const;

/** Headings for each problem code, in the order a report lists them. */
export const PROBLEM_TITLES: Record<string, string> = {
  'missing-file': 'File not found',
  'not-utf8': 'Not UTF-8',
  bom: 'Byte order mark (BOM)',
  crlf: 'Windows line ends (CRLF)',
  'missing-column': 'Missing or renamed columns',
  'duplicate-column': 'Duplicate columns',
  'unclosed-quote': 'Unbalanced quotes',
  'swallowed-rows': 'Rows read into another row (unbalanced quotes)',
  'text-after-quote': 'Text after a closing quote',
  'quote-in-unquoted-field': 'Quote inside an unquoted field',
  'cell-count': 'Wrong number of cells',
  'empty-id': 'Empty encounter id',
  'duplicate-id': 'Duplicate encounter ids',
  'empty-dialogue': 'Empty dialogue',
  'empty-note': 'Empty note',
  'no-speaker-tags': 'Dialogue without any speaker tag',
  'untagged-lines': 'Dialogue lines without a speaker tag',
  'swapped-columns': 'Dialogue and note swapped?',
  'unknown-subset': 'Unknown subset in the dataset column',
  'empty-file': 'Empty file',
  metadata: 'Metadata file',
};

const ALIASES: Record<string, string> = { src: 'dialogue', conversation: 'dialogue', transcript: 'dialogue', tgt: 'note', summary: 'note', id: 'encounter_id', encounter: 'encounter_id', subset: 'dataset' };

/** A line that starts like a data row of an ACI-BENCH file: `aci,D2N001,"[doctor] ...`. */
const ROW_START = /^(?:virtassist|virtscribe|aci),[A-Za-z0-9_.-]+,"?\[?/;

/** Levenshtein distance (small strings only). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The header name in `candidates` that most likely means `wanted` (case, spaces, underscores and
 * small typos ignored; `src`/`tgt` and similar aliases known), or undefined when none is close.
 */
export function closestColumn(wanted: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const s = squash(c);
    if (s === squash(wanted) || ALIASES[s] === wanted) return c;
    const d = distance(s, squash(wanted));
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(squash(wanted).length / 3)) ? best : undefined;
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

const preview = (s: string, n = 60) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** Validates one CSV split file (or ACI-BENCH JSON file). Never throws for problems in the file. */
export function validateFile(file: string, options: ValidateOptions = {}): ValidationReport {
  const name = basename(file).replace(/\.(csv|json)$/, '');
  const problems: ValidationProblem[] = [];
  const report = (): ValidationReport => finish({ name, file, rows, problems, errors: 0, warnings: 0 });
  let rows = 0;
  let bytes: Buffer;
  try {
    bytes = readUserFile(file, 'data file');
  } catch (e) {
    if (!(e instanceof MedigenError)) throw e;
    const missing = (e.cause as { code?: string } | undefined)?.code === 'ENOENT';
    problems.push({ file, severity: 'error', code: missing ? 'missing-file' : 'unreadable-file', message: e.message, hint: e.hint });
    return report();
  }
  if (file.endsWith('.json')) {
    try {
      const split = loadSplit(file);
      rows = split.encounters.length;
      problems.push(...split.problems.map((p) => ({ ...p, code: p.code ?? 'csv' })));
      checkEncounters(split.encounters.map((e) => ({ e, dialogueLine: e.source?.line ?? 0 })), file, problems, options);
    } catch (e) {
      problems.push({ file, line: 1, severity: 'error', code: 'not-json', message: (e as Error).message, hint: e instanceof MedigenError ? e.hint : 'Check the file.' });
    }
    return report();
  }
  if (hasBom(bytes)) {
    problems.push({ file, line: 1, severity: 'warning', code: 'bom', message: 'The file starts with a byte order mark (BOM); MediGen Lab ignores it.', hint: 'Other tools (Python\'s csv module, pandas without encoding="utf-8-sig") read it as part of the first column name. Save the file as "UTF-8" rather than "UTF-8 with BOM".' });
  }
  const decodeProblems: CsvProblem[] = [];
  const text = decodeUtf8(bytes, file, decodeProblems);
  // Replaced bytes change the text, so invalid UTF-8 is an error for a dataset.
  for (const p of decodeProblems) problems.push({ ...p, severity: 'error', code: p.code ?? 'not-utf8' });
  const table = parseCsv(text, file);
  for (const p of table.problems) problems.push({ ...p, code: p.code ?? 'csv' });
  rows = table.rows.length;
  if (table.header.length === 0 || (table.header.length === 1 && table.header[0] === '')) {
    problems.push({ file, line: 1, severity: 'error', code: 'empty-file', message: 'The file is empty: it has no header line.', hint: `An ACI-BENCH file starts with the header ${REQUIRED_COLUMNS.join(',')} followed by one row per encounter.` });
    return report();
  }
  const other = REQUIRED_COLUMNS.some((c) => !table.header.includes(c)) ? otherFormatProblem(table) : undefined;
  if (other) {
    problems.push({ ...other, code: other.code ?? 'other-format' });
    return report();
  }
  const seen = new Set<string>();
  for (const h of table.header) {
    if (seen.has(h)) problems.push({ file, line: 1, severity: 'warning', code: 'duplicate-column', message: `The column "${h}" appears twice in the header; only the first one is read.`, hint: 'Rename or delete the second column.' });
    seen.add(h);
  }
  const colOf: Record<string, number> = {};
  for (const c of REQUIRED_COLUMNS) {
    const at = table.header.indexOf(c);
    if (at >= 0) {
      colOf[c] = at;
      continue;
    }
    const others = table.header.filter((h) => !(REQUIRED_COLUMNS as readonly string[]).includes(h));
    const guess = closestColumn(c, others);
    if (guess !== undefined) colOf[c] = table.header.indexOf(guess);
    problems.push({
      file,
      line: 1,
      severity: 'error',
      code: 'missing-column',
      message: `Column "${c}" is missing${guess !== undefined ? `; "${guess}" looks like it (checked as "${c}" below)` : ''}. The header has: ${table.header.join(', ')}.`,
      hint: guess !== undefined ? `Rename "${guess}" to "${c}" in the first line of the file.` : `Add a "${c}" column: ACI-BENCH files have the columns ${REQUIRED_COLUMNS.join(', ')}.`,
    });
  }
  const items: { e: Encounter; dialogueLine: number; missing: Set<string> }[] = [];
  table.rows.forEach((r, k) => {
    const row = k + 1;
    if (r.cells.length !== table.header.length) {
      problems.push({ file, line: r.line, row, severity: 'error', code: 'cell-count', message: `Row ${row} (line ${r.line}) has ${r.cells.length} cell${r.cells.length === 1 ? '' : 's'} but the header has ${table.header.length}${r.cells.length === 1 ? ` (it reads "${preview(r.cells[0] ?? '', 40)}")` : ''}.`, hint: 'A comma or quote is out of place in that row, or a line break is not inside quotes: fields containing commas, quotes or newlines must be wrapped in double quotes.' });
    }
    let cellLine = r.line;
    for (const cell of r.cells) {
      const cellLines = cell.split('\n');
      const k2 = cellLines.findIndex((l, j) => j > 0 && ROW_START.test(l));
      if (k2 > 0) {
        problems.push({ file, line: cellLine + k2, row, severity: 'error', code: 'swallowed-rows', message: `Row ${row} (line ${r.line}) contains what looks like the start of another row on line ${cellLine + k2} ("${preview(cellLines[k2]!, 40)}"): a quote before it is probably not closed, so the rows after it were read into this cell.`, hint: 'Look at the quotes of this row: every quoted field must end with a closing quote ("), and quotes inside a field must be doubled ("").' });
        break;
      }
      cellLine += cellLines.length - 1;
    }
    // A row with the wrong number of cells has its columns shifted: it is reported above, and its
    // content is not checked further (the checks would only repeat the same problem).
    const missing = new Set<string>(r.cells.length !== table.header.length ? REQUIRED_COLUMNS : []);
    const get = (c: string) => {
      const at = colOf[c];
      if (at === undefined || at >= r.cells.length) {
        missing.add(c);
        return '';
      }
      return r.cells[at]!;
    };
    const dialogueAt = colOf.dialogue ?? 0;
    let before = 0;
    for (let j = 0; j < Math.min(dialogueAt, r.cells.length); j++) for (const ch of r.cells[j]!) if (ch === '\n') before++;
    items.push({ e: { dataset: get('dataset'), encounterId: get('encounter_id'), dialogue: get('dialogue'), note: get('note'), source: { file, line: r.line } }, dialogueLine: r.line + before, missing });
  });
  checkEncounters(items, file, problems, options);
  let metadataFile: string | undefined;
  if (options.metadata !== false) {
    metadataFile = metadataFileFor(file);
    if (metadataFile) checkMetadata(metadataFile, items.map((i) => i.e.encounterId), problems);
  }
  return finish({ name, file, metadataFile, rows, problems, errors: 0, warnings: 0 });
}

function finish(r: ValidationReport): ValidationReport {
  r.errors = r.problems.filter((p) => p.severity === 'error').length;
  r.warnings = r.problems.length - r.errors;
  return r;
}

function checkEncounters(items: { e: Encounter; dialogueLine: number; missing?: Set<string> }[], file: string, problems: ValidationProblem[], options: ValidateOptions): void {
  const firstLine = new Map<string, number>();
  const subsets = new Map<string, number[]>();
  items.forEach(({ e, dialogueLine, missing }, k) => {
    if (options.signal?.aborted) throw new MedigenError('Validation was cancelled.', 'Run it again when you are ready.');
    const row = k + 1;
    const line = e.source?.line ?? row + 1;
    const id = e.encounterId.trim();
    const who = id ? `Encounter ${id}` : `Row ${row}`;
    const at = { file, line, row, encounterId: id || undefined };
    if (!missing?.has('encounter_id')) {
      if (!id) problems.push({ ...at, severity: 'error', code: 'empty-id', message: `Row ${row} (line ${line}) has no encounter_id.`, hint: 'Give every row a unique id such as D2N001; results are matched to notes by it.' });
      else if (firstLine.has(id)) problems.push({ ...at, severity: 'error', code: 'duplicate-id', message: `Encounter id "${id}" on line ${line} was already used on line ${firstLine.get(id)}.`, hint: 'Each encounter needs its own id: rename one of them or delete the duplicate row.' });
      else firstLine.set(id, line);
    }
    if (!missing?.has('dataset') && !(KNOWN_SUBSETS as readonly string[]).includes(e.dataset)) {
      const lines = subsets.get(e.dataset) ?? [];
      lines.push(line);
      subsets.set(e.dataset, lines);
    }
    if (!missing?.has('dialogue') && e.dialogue.trim() === '') problems.push({ ...at, severity: 'error', code: 'empty-dialogue', message: `${who} (line ${line}) has an empty dialogue.`, hint: 'Fill in the dialogue or delete the row: a note cannot be generated from nothing.' });
    if (!missing?.has('note') && e.note.trim() === '') problems.push({ ...at, severity: 'error', code: 'empty-note', message: `${who} (line ${line}) has an empty note.`, hint: 'Fill in the reference note or delete the row: training and evaluation need one for every dialogue.' });
    if (!missing?.has('dialogue') && e.dialogue.trim() !== '') {
      const parsed = parseTurns(e.dialogue);
      const tagged = parsed.turns.filter((t) => t.speaker !== UNKNOWN_SPEAKER).length;
      if (tagged === 0) {
        problems.push({ ...at, line: dialogueLine, severity: 'warning', code: 'no-speaker-tags', message: `${who} (line ${dialogueLine}): none of the dialogue's lines starts with a speaker tag such as [doctor] or [patient] ("${preview(e.dialogue)}").`, hint: 'Start each line of the dialogue with its speaker, e.g. "[doctor] how are you ?". If this column holds the note, the columns may be swapped.' });
      } else if (parsed.untaggedLines.length) {
        const lines = parsed.untaggedLines;
        const first = e.dialogue.split(/\r?\n/)[lines[0]! - 1] ?? '';
        problems.push({ ...at, line: dialogueLine + lines[0]! - 1, severity: 'warning', code: 'untagged-lines', message: `${who}: ${lines.length} dialogue line${lines.length === 1 ? '' : 's'} without a speaker tag (dialogue line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', …' : ''}; file line ${dialogueLine + lines[0]! - 1}: "${preview(first)}"). ${lines[0] === 1 ? 'The first line is read as an "unknown" speaker; any others continue the turn before them.' : `${lines.length === 1 ? 'It is' : 'They are'} read as the continuation of the turn before.`}`, hint: 'Usually fine (ASR transcripts split long turns). If a line starts a new speaker, add its tag, e.g. [patient].' });
      }
    }
    if (!missing?.has('note') && /^\s*\[(doctor|patient)\]/i.test(e.note)) problems.push({ ...at, severity: 'warning', code: 'swapped-columns', message: `${who} (line ${line}): the note starts with a speaker tag, so it looks like a dialogue.`, hint: 'Check that the dialogue and note columns are not swapped.' });
    options.progress?.report(row, items.length, id || `row ${row}`);
  });
  for (const [value, lines] of subsets) {
    problems.push({ file, line: lines[0], severity: 'warning', code: 'unknown-subset', message: `${lines.length} row${lines.length === 1 ? ' has' : 's have'} the subset "${value}" in the dataset column (first on line ${lines[0]}); ACI-BENCH's are ${KNOWN_SUBSETS.join(', ')}.`, hint: 'Per-subset scores group encounters by this column. Fix typos; a new subset name is fine if you mean it.' });
  }
}

function checkMetadata(metaFile: string, ids: string[], problems: ValidationProblem[]): void {
  const table = parseCsv(readUserFile(metaFile, 'metadata file'), metaFile);
  for (const p of table.problems) problems.push({ ...p, severity: 'warning', code: 'metadata' });
  const idCol = table.header.indexOf('encounter_id');
  if (idCol < 0) {
    problems.push({ file: metaFile, line: 1, severity: 'warning', code: 'metadata', message: 'The metadata file has no encounter_id column, so it cannot be joined to the split.', hint: 'Metadata files need an encounter_id column matching the split file.' });
    return;
  }
  const metaIds = new Set(table.rows.map((r) => r.cells[idCol] ?? ''));
  const splitIds = new Set(ids);
  const noMeta = ids.filter((id) => id && !metaIds.has(id));
  const orphan = [...metaIds].filter((id) => !splitIds.has(id));
  if (noMeta.length) problems.push({ file: metaFile, severity: 'warning', code: 'metadata', message: `${noMeta.length} encounter${noMeta.length === 1 ? ' has' : 's have'} no metadata row: ${noMeta.slice(0, 5).join(', ')}${noMeta.length > 5 ? ', …' : ''}.`, hint: 'Add their rows to the metadata file, or ignore this if you do not use metadata (age, gender, complaints).' });
  if (orphan.length) problems.push({ file: metaFile, severity: 'warning', code: 'metadata', message: `${orphan.length} metadata row${orphan.length === 1 ? '' : 's'} match no encounter of the split: ${orphan.slice(0, 5).join(', ')}${orphan.length > 5 ? ', …' : ''}.`, hint: 'Check that the metadata file belongs to this split.' });
}

/** Validates a split by name (in a corpus folder) or a file path. */
export function validateSplit(ref: string, corpusDir?: string, options: ValidateOptions = {}): ValidationReport {
  const file = resolveSplitFile(ref, corpusDir);
  const r = validateFile(file, options);
  if (isSplitName(ref)) r.name = ref;
  return r;
}

/** Validates every split file present in a corpus folder. Defaults to the corpus `resolveCorpusDir` picks. */
export function validateCorpus(corpusDir?: string, options: ValidateOptions = {}): ValidationReport[] {
  const dir = resolveCorpusDir(corpusDir);
  const present = SPLITS.filter((s) => existsSync(`${dir}/${SPLIT_FILES[s]}`) || existsSync(`${dir}/${SPLIT_FILES[s].replace(/\.csv$/, '.json')}`));
  if (present.length === 0) throw new MedigenError(`The folder ${dir} has no ACI-BENCH split files.`, `Expected files such as ${Object.values(SPLIT_FILES).join(', ')}. Point --corpus at ACI-BENCH's challenge_data folder.`);
  return present.map((s) => validateSplit(s, dir, options));
}
