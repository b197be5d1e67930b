/**
 * Faithfulness highlights for the review panel: per note sentence, whether the dialogue supports
 * it and which turns are its evidence. The real tracer is `traceFaithfulness` of models/safety
 * (issue 14); review mode takes any function of this shape, so it plugs in there. Until then,
 * `lexicalTrace` is a small stand-in: a sentence is supported when its numbers and most of its
 * content words occur in the dialogue, and its evidence is the turns sharing the most words.
 */
import { parseTurns } from '../../datasets/index';

/** One issue found in a sentence (e.g. a number the dialogue does not have). */
export interface TraceIssue {
  kind: string;
  text: string;
}

/** One note sentence as a tracer returns it. */
export interface TracedSentence {
  text: string;
  /** Character offsets of the sentence in the note. */
  start: number;
  end: number;
  supported: boolean;
  /** Indices of the supporting dialogue turns (as `parseTurns(dialogue).turns` numbers them). */
  evidence: number[];
  issues: TraceIssue[];
}

/** What review mode needs from a faithfulness tracer. */
export type FaithfulnessTracer = (dialogue: string, note: string) => TracedSentence[];

const STOP = new Set('about after also and are been before being both but can could did does doing down each from further had has have having her here hers him his how into its just more most other our out over own same she should some such than that the their them then there these they this those through too under until very was were what when where which while who whom why will with would you your patient reports states notes'.split(' '));

const NUMBER_WORDS = 'zero one two three four five six seven eight nine ten eleven twelve'.split(' ');

/** Content words and numbers (ASR's "four" counts as 4), cut to 5 letters so that "hurts" and "hurting" meet. */
function words(text: string): string[] {
  return (text.toLowerCase().replace(/\b[a-z]+\b/g, (w) => (NUMBER_WORDS.includes(w) ? String(NUMBER_WORDS.indexOf(w)) : w)).match(/[a-z0-9]+(?:\.[0-9]+)?/g) ?? []).filter((w) => /\d/.test(w) || (w.length > 3 && !STOP.has(w))).map((w) => (/\d/.test(w) ? w : w.slice(0, 5)));
}

/** A section header such as "CHIEF COMPLAINT" or "Assessment and plan:" states nothing to check. */
const isHeader = (s: string) => s.length < 60 && (/^[A-Z][A-Z &/-]+:?$/.test(s) || /:$/.test(s));

/** The note's sentences with their offsets: split after . ! ? and at line breaks. */
export function noteSentences(note: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const re = /[^\n.!?]*(?:[.!?]+(?=\s|$)|\n|$)/g;
  for (let m = re.exec(note); m && m[0] !== '' ; m = re.exec(note)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (/[a-z]/i.test(text)) out.push({ text, start: m.index + lead, end: m.index + lead + text.length });
    if (re.lastIndex === m.index) re.lastIndex++;
  }
  return out;
}

/** The stand-in tracer (see the file comment). */
export const lexicalTrace: FaithfulnessTracer = (dialogue, note) => {
  const turns = parseTurns(dialogue).turns.map((t) => new Set(words(t.text)));
  const all = new Set(turns.flatMap((t) => [...t]));
  return noteSentences(note).map((s) => {
    const w = isHeader(s.text) ? [] : [...new Set(words(s.text))];
    const missingNumbers = w.filter((x) => /\d/.test(x) && !all.has(x));
    const found = w.filter((x) => all.has(x)).length;
    const scored = turns.map((t, i) => ({ i, n: w.filter((x) => t.has(x)).length })).filter((t) => t.n >= 2).sort((a, b) => b.n - a.n || a.i - b.i);
    const evidence = scored.slice(0, 3).map((t) => t.i).sort((a, b) => a - b);
    const issues: TraceIssue[] = missingNumbers.map((x) => ({ kind: 'number', text: x }));
    const supported = w.length === 0 || (missingNumbers.length === 0 && found / w.length >= 0.5 && evidence.length > 0);
    if (!supported && !issues.length) issues.push({ kind: 'unsupported', text: w.filter((x) => !all.has(x)).join(' ') });
    return { ...s, supported, evidence, issues };
  });
};
