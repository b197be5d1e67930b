/**
 * A CSV reader and writer for ACI-BENCH files (RFC 4180: comma separated, fields with commas,
 * quotes or newlines are double-quoted, a quote inside is doubled). The reader never throws on
 * bad input and never drops a row silently: everything odd it meets is a `CsvProblem` with the
 * file, the line and what to do.
 */

export type Severity = 'error' | 'warning';

export interface CsvProblem {
  file: string;
  /** 1-based line in the file where the problem starts (the header is line 1). */
  line?: number;
  /** 1-based data row (the first row after the header is row 1). */
  row?: number;
  severity: Severity;
  message: string;
  hint: string;
  /** A short, stable name of the kind of problem (e.g. 'unclosed-quote'), for grouping. */
  code?: string;
}

export interface CsvRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  rows: CsvRow[];
  problems: CsvProblem[];
}

/** Decodes bytes as UTF-8, reporting a BOM and invalid bytes (replaced by U+FFFD) with their line. */
export function decodeUtf8(bytes: Uint8Array, file: string, problems: CsvProblem[]): string {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const text = new TextDecoder('utf-8').decode(body);
    const lines = new Set<number>();
    let line = 1;
    for (let i = 0; i < text.length && lines.size < 20; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c === 0xfffd) lines.add(line);
    }
    problems.push({
      file,
      line: [...lines][0],
      severity: 'warning',
      code: 'not-utf8',
      message: `The file is not valid UTF-8: bytes on line${lines.size > 1 ? 's' : ''} ${[...lines].join(', ')} could not be read and were replaced by "\uFFFD".`,
      hint: 'Save the file as UTF-8 (in VS Code: "Save with Encoding" → UTF-8, or `iconv -f latin1 -t utf-8 in.csv > out.csv`).',
    });
    return text;
  }
}

/** Parses CSV text or bytes. Line ends may be LF or CRLF; CRLF inside a note becomes LF. */
export function parseCsv(input: Uint8Array | string, file = '<csv>'): CsvTable {
  const problems: CsvProblem[] = [];
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeUtf8(input, file, problems);
  const records: CsvRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let sawCr = false;
  while (i < n) {
    const rowLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        const openLine = line;
        let j = i + 1;
        let parts = '';
        let closed = false;
        while (j < n) {
          const q = text.indexOf('"', j);
          if (q < 0) break;
          parts += text.slice(j, q);
          if (text.charCodeAt(q + 1) === 34) {
            parts += '"';
            j = q + 2;
          } else {
            closed = true;
            j = q + 1;
            break;
          }
        }
        if (!closed) {
          parts += text.slice(j);
          j = n;
          problems.push({
            file,
            line: openLine,
            severity: 'error',
            code: 'unclosed-quote',
            message: `A quoted field that starts on line ${openLine} is never closed, so everything after it was read as one cell.`,
            hint: 'Find the field that starts on that line and add the missing closing quote ("), or double any quote inside the text ("").',
          });
        }
        for (let k = 0; (k = parts.indexOf('\n', k)) >= 0; k++) line++;
        if (parts.includes('\r')) {
          sawCr = true;
          parts = parts.replace(/\r\n?/g, '\n');
        }
        cell = parts;
        i = j;
        if (text.charCodeAt(i) === 13 && (i + 1 >= n || text.charCodeAt(i + 1) === 10)) {
          sawCr = true;
          i++;
        }
        // Anything between the closing quote and the next separator is kept, and reported.
        const stop = nextStop(text, i);
        if (stop > i) {
          problems.push({
            file,
            line,
            severity: 'warning',
            code: 'text-after-quote',
            message: `Text follows a closing quote on line ${line} ("${text.slice(i, Math.min(stop, i + 20))}"); it was kept as part of the cell.`,
            hint: 'Quotes inside a quoted field must be doubled (""). Fix the quoting around that line.',
          });
          cell += text.slice(i, stop);
          i = stop;
        }
      } else {
        const stop = nextStop(text, i);
        cell = text.slice(i, stop);
        if (cell.includes('"')) {
          problems.push({
            file,
            line,
            severity: 'warning',
            code: 'quote-in-unquoted-field',
            message: `A quote (") stands inside an unquoted field on line ${line}; it was kept as text.`,
            hint: 'Wrap fields that contain quotes in double quotes and double the inner quotes ("").',
          });
        }
        i = stop;
      }
      if (cell.endsWith('\r') && (i >= n || text.charCodeAt(i) === 10)) {
        cell = cell.slice(0, -1);
        sawCr = true;
      }
      cells.push(cell);
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
        continue;
      }
      // newline ends the record
      i++;
      line++;
      break;
    }
    records.push({ line: rowLine, cells });
  }
  // A trailing empty line is not a row.
  while (records.length && records[records.length - 1]!.cells.length === 1 && records[records.length - 1]!.cells[0] === '') records.pop();
  if (sawCr) {
    problems.push({ file, severity: 'warning', code: 'crlf', message: 'The file uses Windows line ends (CRLF); they were read as plain newlines.', hint: 'Nothing to do: this is only a note.' });
  }
  const [head, ...rows] = records;
  return { file, header: head ? head.cells.map((h) => h.trim()) : [], rows, problems };
}

function nextStop(text: string, from: number): number {
  let k = from;
  const n = text.length;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === 44 || c === 10) return k;
    k++;
  }
  return n;
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Writes CSV with LF line ends, quoting only where needed (as Python's csv module does). */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  let out = header.map(quote).join(',') + '\n';
  for (const r of rows) out += r.map(quote).join(',') + '\n';
  return out;
}

/**
 * When a "CSV" is really another format (tab-separated, semicolon-separated, JSON, HTML), the
 * problem that says so and what to do; undefined when the header looks like comma-separated text.
 */
export function otherFormatProblem(table: CsvTable): CsvProblem | undefined {
  const first = table.header.join(',');
  const at = (message: string, hint: string, code: string): CsvProblem => ({ file: table.file, line: 1, severity: 'error', code, message, hint });
  const trimmed = first.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return at('The file holds JSON, not comma-separated values (CSV).', 'Give it a .json name if it is ACI-BENCH\'s JSON form ({"data": [{"src", "tgt", "file"}]}), or export it as CSV with the columns dataset, encounter_id, dialogue, note.', 'json-not-csv');
  }
  if (/^<(!doctype|html|\?xml)/i.test(trimmed)) {
    return at('The file is a web page (HTML/XML), not comma-separated values (CSV).', 'Download the raw file (on GitHub: the "Raw" button), not the page that shows it.', 'html-not-csv');
  }
  if (table.header.length <= 2) {
    const tabs = first.split('\t').length - 1;
    const semis = first.split(';').length - 1;
    if (tabs >= 1 && tabs >= semis) {
      return at(`The file is tab-separated (TSV), not comma-separated: its first line has ${tabs} tab${tabs === 1 ? '' : 's'} and ${table.header.length - 1} comma${table.header.length === 2 ? '' : 's'}.`, 'Save it as CSV with commas (in a spreadsheet: Save as → "CSV UTF-8 (comma delimited)"), or convert it: python3 -c "import csv,sys; csv.writer(sys.stdout).writerows(csv.reader(sys.stdin, delimiter=\'\\t\'))" < in.tsv > out.csv', 'tsv-not-csv');
    }
    if (semis >= 1) {
      return at(`The file is separated by semicolons (;), not commas: its first line has ${semis} semicolon${semis === 1 ? '' : 's'} (spreadsheets in some languages save CSV this way).`, 'Save it again as "CSV UTF-8 (comma delimited)", or convert it: python3 -c "import csv,sys; csv.writer(sys.stdout).writerows(csv.reader(sys.stdin, delimiter=\';\'))" < in.csv > out.csv', 'semicolon-csv');
    }
  }
  return undefined;
}
