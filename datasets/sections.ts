/**
 * ACI-BENCH's section tagger: how the official evaluation divides a clinical note into its four
 * sections (subjective, objective_exam, objective_results, assessment_and_plan) before scoring
 * each section on its own.
 *
 * The rules, in plain words (they match ACI-BENCH's own tagger exactly):
 * 1. A line is a section header when it STARTS with one of the phrases in `HEADER_PHRASES`
 *    (case does not matter, leading spaces are allowed, each space inside a phrase matches any run
 *    of whitespace or none, anything may follow the phrase). A phrase written with a trailing " :"
 *    also matches without the colon when it stands alone on its line ("HPI" alone on a line).
 * 2. Divisions are tried in the order of the table (subjective first); the first that matches wins.
 * 3. Text before the first header belongs to subjective.
 * 4. Only the FIRST span of each division is kept. The kept spans are sorted by position and each
 *    runs to the start of the next kept span (the last one to the end of the note), so a second
 *    "PLAN" header inside the assessment stays part of the assessment.
 */
import type { Division } from './types';

/** The header phrases of each division, in the order the tagger tries them. */
export const HEADER_PHRASES: Readonly<Record<Division, readonly string[]>> = {
  subjective: ['cc :', 'chief complaint :', 'reason for visit :', 'CHIEF COMPLAINT', 'history :', 'history of present illness :', 'history of present illness', 'hpi :', 'hpi', 'hpi notes :', 'interval history :', 'interval hx :', 'subjective :', 'HISTORY OF PRESENT ILLNESS', 'ros :', 'review of system :', 'review of systems :', 'SOCIAL HISTORY', 'PAST HISTORY'],
  objective_exam: ['physical exam :', 'physical examination :', 'pe :', 'physical findings :', 'examination :', 'exam :', 'PHYSICAL EXAMINATION', 'PHYSICAL EXAM', 'VITALS REVIEWED'],
  objective_results: ['results :', 'findings :', 'RESULTS'],
  assessment_and_plan: ['assessment :', 'a:', 'plan :', 'plan of care :', 'p:', 'medical decision-making plan :', 'summary plan', 'ap :', 'a / p :', 'assessment and plan :', 'assessment & plan :', 'disposition / plan :', 'ASSESSMENT AND PLAN'],
};

/** The division order used by the tagger and by ACI-BENCH's results (`division-*` keys). */
export const TAGGER_ORDER: readonly Division[] = ['subjective', 'objective_exam', 'objective_results', 'assessment_and_plan'];

/**
 * Text ACI-BENCH scores in place of a section the note does not have. It tokenizes to the one word
 * "empty": a section missing from both notes scores 1, missing from one side 0.
 */
export const EMPTY_SECTION = '#####EMPTY#####';

/** What ACI-BENCH writes in place of each newline of a section before scoring it. */
export const SECTION_NEWLINE = '__lf1__';

// Python's `\s` for str patterns (str.isspace()); JavaScript's `\s` differs on a few characters.
const WS = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

// Python's re.IGNORECASE also equates these non-ASCII letters with ASCII ones.
const EXTRA_CASE: Record<string, string> = { i: '\\u0130\\u0131', k: '\\u212a', s: '\\u017f' };

function phrasePattern(phrase: string): string {
  let out = '';
  for (const ch of phrase) {
    if (ch === ' ') out += `${WS}*`;
    else if (/[a-z]/i.test(ch)) {
      const lo = ch.toLowerCase();
      out += `[${lo}${lo.toUpperCase()}${EXTRA_CASE[lo] ?? ''}]`;
    } else out += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return out;
}

function divisionRegex(phrases: readonly string[]): RegExp {
  const starts = `^${WS}*(?:${phrases.map(phrasePattern).join('|')})`;
  const bare = phrases.filter((p) => p.endsWith(':')).map((p) => phrasePattern(p.slice(0, -1)));
  const alone = bare.length ? `|^${WS}*(?:${bare.join('|')})${WS}*$` : '';
  return new RegExp(`${starts}${alone}`, 'u');
}

/** The header patterns and their first characters, built on first use (~3 ms, not at load). */
interface Tagger {
  matchers: readonly [Division, RegExp][];
  /** Most lines are not headers: a line whose first non-space character cannot start any header
   * phrase is rejected without running the nine regular expressions (same answers, ~5x faster). */
  wsChar: RegExp;
  firstChars: Set<string>;
}
let tagger: Tagger | undefined;
function getTagger(): Tagger {
  tagger ??= {
    matchers: TAGGER_ORDER.map((d) => [d, divisionRegex(HEADER_PHRASES[d])]),
    wsChar: new RegExp(`^${WS}$`, 'u'),
    firstChars: new Set(
      TAGGER_ORDER.flatMap((d) => HEADER_PHRASES[d]).flatMap((p) => {
        const c = p[0]!.toLowerCase();
        return [c, c.toUpperCase(), ...[...(EXTRA_CASE[c] ?? '').replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))]];
      }),
    ),
  };
  return tagger;
}

function couldBeHeader(line: string, t: Tagger): boolean {
  for (const ch of line) if (!t.wsChar.test(ch)) return t.firstChars.has(ch);
  return false;
}

/**
 * The division a line starts, or undefined when the line is not a section header.
 * `matchHeader('PHYSICAL EXAM')` is 'objective_exam'; `matchHeader('hpi')` is 'subjective'.
 */
export function matchHeader(line: string): Division | undefined {
  const t = getTagger();
  if (!couldBeHeader(line, t)) return undefined;
  for (const [d, rx] of t.matchers) if (rx.test(line)) return d;
  return undefined;
}

/** One section of a note: `text` is `note.slice(start, end)` (UTF-16 offsets). */
export interface NoteSection {
  start: number;
  end: number;
  text: string;
}

/**
 * Divides a note into ACI-BENCH's four sections with the official tagger's rules (see the top of
 * this file). Divisions the note does not have are absent from the result; an empty note has an
 * empty subjective section.
 */
export function divideNote(text: string): Partial<Record<Division, NoteSection>> {
  const spans: [Division, number][] = [];
  let off = 0;
  for (const line of text.split('\n')) {
    const d = matchHeader(line);
    if (d) spans.push([d, off]);
    off += line.length + 1;
  }
  if (spans.length === 0 || spans[0]![1] !== 0) spans.unshift(['subjective', 0]);
  const kept = new Map<Division, number>();
  for (const [d, s] of spans) if (!kept.has(d)) kept.set(d, s);
  const order = [...kept.entries()].sort((a, b) => a[1] - b[1]);
  const out: Partial<Record<Division, NoteSection>> = {};
  order.forEach(([d, start], k) => {
    const end = k + 1 < order.length ? order[k + 1]![1] : text.length;
    out[d] = { start, end, text: text.slice(start, end) };
  });
  return out;
}

/**
 * The text ACI-BENCH scores for a section: every "\n" becomes "__lf1__" (so "lf1" counts as a
 * word, as in the official figures), and a missing section (undefined) becomes "#####EMPTY#####"
 * (the single word "empty" to ROUGE: missing on both sides scores 1, on one side 0).
 */
export function sectionTextForScoring(text: string | undefined): string {
  return text === undefined ? EMPTY_SECTION : text.split('\n').join(SECTION_NEWLINE);
}
