/**
 * A GBNF grammar (llama.cpp's grammar format) that forces a generated note to have the SOAP
 * section headers of ACI-BENCH notes, each once and in order, each followed by some text.
 */

/**
 * The section headers forced by default, in order. They are the most common header sequence of
 * ACI-BENCH reference notes (train, valid and the three test splits) and each one is a header that
 * ACI-BENCH's own section tagger recognises: CHIEF COMPLAINT, HISTORY OF PRESENT ILLNESS and
 * REVIEW OF SYSTEMS are subjective, PHYSICAL EXAMINATION is objective_exam, RESULTS is
 * objective_results and ASSESSMENT AND PLAN is assessment_and_plan.
 */
export const DEFAULT_NOTE_SECTIONS: readonly string[] = ['CHIEF COMPLAINT', 'HISTORY OF PRESENT ILLNESS', 'REVIEW OF SYSTEMS', 'PHYSICAL EXAMINATION', 'RESULTS', 'ASSESSMENT AND PLAN'];

/** Options of `noteGrammar`. */
export interface NoteGrammarOptions {
  /** Section headers, in order. Defaults to `DEFAULT_NOTE_SECTIONS`. */
  sections?: readonly string[];
  /** Most lines of text under one header. Defaults to 12. */
  maxLinesPerSection?: number;
  /** Most characters on one line. Defaults to 400. Together these bound a note's length, so it always ends with every section present. */
  maxLineChars?: number;
}

function literal(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The GBNF text, in ACI-BENCH's layout: each header on its own line followed by a blank line, then
 * 1 to `maxLinesPerSection` non-empty lines (separated by a newline or a blank line); sections are
 * separated by a blank line.
 */
export function noteGrammar(options: NoteGrammarOptions = {}): string {
  const sections = options.sections ?? DEFAULT_NOTE_SECTIONS;
  const lines = options.maxLinesPerSection ?? 12;
  const chars = options.maxLineChars ?? 400;
  if (sections.length === 0) throw new Error('noteGrammar needs at least one section header.');
  if (!(lines >= 1 && chars >= 1)) throw new Error('noteGrammar needs at least one line of at least one character per section.');
  const parts = sections.map((h, i) => `${literal(`${i === 0 ? '' : '\n\n'}${h.trim()}\n\n`)} body`);
  return [
    `root ::= ${parts.join(' ')}`,
    `body ::= line${lines > 1 ? ` ("\\n" "\\n"? line){0,${lines - 1}}` : ''}`,
    `line ::= [^\\n] [^\\n]{0,${chars - 1}}`,
    '',
  ].join('\n');
}

/**
 * SOAP grammar options sized so that every section fits in `maxTokens`: the text under each header is
 * bounded to its share of the budget, at a conservative 3 characters per token (English clinical
 * text averages about 4 with Llama tokenizers), so a note is not cut before ASSESSMENT AND PLAN.
 */
export function soapGrammarWithin(maxTokens: number, sections: readonly string[] = DEFAULT_NOTE_SECTIONS): NoteGrammarOptions {
  const headerTokens = 12;
  const perSection = Math.max(60, Math.floor(((maxTokens - sections.length * headerTokens) * 3) / sections.length));
  const maxLinesPerSection = Math.min(12, Math.max(1, Math.floor(perSection / 80)));
  return { sections, maxLinesPerSection, maxLineChars: Math.min(400, Math.max(20, Math.floor(perSection / maxLinesPerSection))) };
}

/** The headers of `sections` found at line starts of `text`, in the order they appear. */
export function sectionHeadersIn(text: string, sections: readonly string[] = DEFAULT_NOTE_SECTIONS): string[] {
  const wanted = new Set(sections.map((s) => s.trim()));
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => wanted.has(l));
}
