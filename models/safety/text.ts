/**
 * Words and sentences with their character offsets, shared by faithfulness tracing and the
 * identifier guard. Works on both note style ("Continue Fosamax 70 mg weekly.") and ACI-BENCH's
 * ASR style ("continue the fosamax , seventy milligrams a week .").
 */
import { SPEAKER_TAG_SOURCE } from '../../datasets/index';
import { porterStem } from '../eval/index';

/** One word of a text: `norm` is lower case, `start`/`end` are character offsets in the text. */
export interface Word {
  text: string;
  norm: string;
  start: number;
  end: number;
  /** The word is a transcript's speaker tag, the "doctor" of "[doctor]" (a label, not something said). */
  tag?: true;
}

/** A span of a text: `text` is exactly `source.slice(start, end)`. */
export interface Span {
  text: string;
  start: number;
  end: number;
}

// Letters then digits (A1c, B12, L4: names, not numbers), letters (with inner apostrophes), or numbers with decimal points and thousands commas.
const WORD = /[A-Za-z]+\d+[A-Za-z\d]*|\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+(?:'[A-Za-z]+)*/g;

/** A transcript's speaker tag anywhere in a text: [doctor], [patient], [patient_guest] (the dataset's own pattern). */
const SPEAKER_TAG = new RegExp(SPEAKER_TAG_SOURCE, 'g');

/**
 * The words of a text with offsets. "54-year-old" gives 54, year, old; "4/5" gives 4, 5. The words
 * of a speaker tag ("doctor" of "[doctor]", "patient" and "guest" of "[patient_guest]") are marked.
 */
export function words(text: string): Word[] {
  const out: Word[] = [];
  const tags = [...text.matchAll(SPEAKER_TAG)].map((m) => [m.index!, m.index! + m[0].length] as const);
  let t = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index!;
    const end = start + m[0].length;
    const w: Word = { text: m[0], norm: m[0].toLowerCase().replace(/,/g, ''), start, end };
    while (t < tags.length && tags[t]![1] <= start) t++;
    if (t < tags.length && tags[t]![0] < start && end < tags[t]![1]) w.tag = true;
    out.push(w);
  }
  return out;
}

/** Words too common to carry meaning when looking for the turns a sentence came from. */
export const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being am it its this that these those there here
  he she him her his hers they them their we us our you your i me my mine do does did done have has had having not no yes so than then
  too very can could will would shall should may might must just also about into over under up down out off again further once
  what which who whom whose when where why how all any both each few more most other some such only own same s t d ll m re ve
  patient patients reports report reported states stated notes noted says said does denies denied endorses well okay today
  um uh mm hmm yeah like know think going get got go lot little bit kind sort really right left`.split(/\s+/).filter(Boolean),
);

const stemCache = new Map<string, string>();
/** Porter stem of a lower-case word, cached (the same words recur across notes). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = porterStem(word);
    stemCache.set(word, s);
  }
  return s;
}

/** Stems of the content words of w[from..to), skipping those `skip` says. */
export function contentStems(w: readonly Word[], from: number, to: number, skip?: (k: number) => boolean): string[] {
  const out: string[] = [];
  for (let k = Math.max(0, from); k < Math.min(w.length, to); k++) if (!skip?.(k) && isContent(w[k]!.norm)) out.push(stem(w[k]!.norm));
  return out;
}

/** True for a word that carries content: letters, not a stopword, at least 3 characters. */
export function isContent(norm: string): boolean {
  return norm.length >= 3 && /^[a-z]/.test(norm) && !STOPWORDS.has(norm);
}

// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS = /(?:\b(?:dr|mr|mrs|ms|st|vs|etc|approx|no|e\.g|i\.e|b\.i\.d|t\.i\.d|q\.i\.d|p\.r\.n|p\.o|q\.d|a\.m|p\.m))\.$/i;

/**
 * The sentences of a note, each with its offsets. Lines are split first (notes put headers and
 * bullets on their own lines), then at `.`, `?` or `!` followed by a space and a capital, digit or
 * bullet. Section headers (a short line in capitals) and empty lines are left out; a leading
 * bullet ("• ", "- ") is left out of the sentence.
 */
export function splitSentences(note: string): Span[] {
  const out: Span[] = [];
  const lineRe = /[^\n]+/g;
  for (const lm of note.matchAll(lineRe)) {
    const line = lm[0];
    const base = lm.index!;
    if (isHeader(line)) continue;
    let from = 0;
    // A stop before a capital, digit or bullet; in ASR text (" . " with spaces) before anything.
    const endRe = /[.?!](?=\s+["'(]?[A-Z0-9•])|(?<=\s)[.?!](?=\s+[a-z])/g;
    const listItem = /^\s*[•\-*]?\s*\d{1,2}\.\s/.exec(line);
    const pieces: [number, number][] = [];
    for (const em of line.matchAll(endRe)) {
      const upto = em.index! + 1;
      if (listItem && upto === listItem[0].trimEnd().length) continue;
      if (ABBREVIATIONS.test(line.slice(Math.max(0, upto - 8), upto))) continue;
      pieces.push([from, upto]);
      from = upto;
    }
    pieces.push([from, line.length]);
    for (const [a, b] of pieces) {
      let s = a;
      let e = b;
      while (s < e && /[\s•\-*·▪]/.test(line[s]!)) s++;
      const marker = /^\d{1,2}[.)]\s+/.exec(line.slice(s, e)); // a numbered list item: "2. Hypertension."
      if (marker && s === firstNonSpace(line)) s += marker[0].length;
      while (e > s && /\s/.test(line[e - 1]!)) e--;
      if (e > s && /[A-Za-z0-9]/.test(line.slice(s, e))) out.push({ text: line.slice(s, e), start: base + s, end: base + e });
    }
  }
  return out;
}

/** A section header line: a few words, no lower-case letters ("HISTORY OF PRESENT ILLNESS"). */
export function isHeader(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && !/[a-z]/.test(t) && /[A-Z]/.test(t) && t.split(/\s+/).length <= 8 && !/\d/.test(t);
}

function firstNonSpace(line: string): number {
  const m = /[^\s•\-*·▪]/.exec(line);
  return m ? m.index : 0;
}
