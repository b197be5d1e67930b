/**
 * A dialogue prepared once for tracing many sentences against it: its turns (datasets'
 * parseTurns), their words and stems, where each stem and each number occurs, and which
 * frequency phrases ("twice a day") were said.
 */
import { parseTurns } from '../../datasets/index';
import { findTerms, type Term } from './lexicon';
import { findNumbers, UNITS, type NumberMention } from './spokenNumbers';
import { stem, words, type Word } from './text';

/** Where something occurs: turn index and word index inside the turn. */
export interface Place {
  turn: number;
  at: number;
  /** For a number: the word after its last word. */
  to?: number;
}

export interface DialogueIndex {
  /** How many turns the dialogue has; turns after these are facts from the encounter's metadata. */
  dialogueTurns: number;
  turns: { speaker: string; text: string; words: Word[]; stems: string[] }[];
  /** stem → places. */
  stems: Map<string, Place[]>;
  /** number value → places (every reading, see findNumbers). */
  numbers: Map<number, Place[]>;
  /** Medications and diagnoses mentioned (any form, lay words included). */
  terms: Set<Term>;
  /** Frequency kinds said somewhere ('bid', 'daily', …). */
  frequencies: Set<string>;
  /** Every word of the dialogue, lower case, for fuzzy matching of drug names. */
  vocabulary: Set<string>;
}

/** Frequencies of medication use, as written in notes and as said in visits. */
export const FREQUENCIES: { kind: string; re: RegExp }[] = [
  { kind: 'bid', re: /\b(b\.?i\.?d\b\.?|twice (a|per|each|every) day|twice daily|two times (a|per|each) day|2 times (a|per) day|every 12 hours|every twelve hours|q ?(12|twelve) ?h(ours?)?\b|twice)/i },
  { kind: 'tid', re: /\b(t\.?i\.?d\b\.?|three times (a|per|each) day|3 times (a|per) day|three times daily|every 8 hours|every eight hours|q ?(8|eight) ?h(ours?)?\b|three times)/i },
  { kind: 'qid', re: /\b(q\.?i\.?d\b\.?|four times (a|per|each) day|4 times (a|per) day|four times daily|every 6 hours|every six hours|q ?(6|six) ?h(ours?)?\b|four times)/i },
  { kind: 'weekly', re: /\b(weekly|once (a|per|every) week|(a|per|every|each) week|1 time per week|one time per week)\b/i },
  { kind: 'prn', re: /\b(p\.?r\.?n\b\.?|as needed|when needed|if needed|as necessary)/i },
  { kind: 'nightly', re: /\b(q\.?h\.?s\b\.?|at bedtime|nightly|at night|before bed|every night|in the evening)/i },
];

/** The frequency kinds in a text. */
export function frequenciesIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const f of FREQUENCIES) if (f.re.test(text)) found.add(f.kind);
  return found;
}

function push<K>(map: Map<K, Place[]>, key: K, place: Place): void {
  const list = map.get(key);
  if (list) list.push(place);
  else map.set(key, [place]);
}

/**
 * What the note writer knew besides the dialogue, from ACI-BENCH's metadata columns: the patient's
 * age and the visit's complaints (cc, 2nd_complaints): "a 54-year-old male" is supported by
 * patient_age 54 even when nobody said it, "right arm pain" by the chief complaint.
 */
export function metadataFacts(metadata: Record<string, string> | undefined): string[] {
  if (!metadata) return [];
  const facts: string[] = [];
  const age = metadata.patient_age?.trim();
  if (age) facts.push(`the patient is ${age.replace(/\.0$/, '')} years old`);
  const complaints = [metadata.cc, ...(metadata['2nd_complaints'] ?? '').split(';')].map((c) => c?.trim()).filter((c) => c && c !== 'none' && c !== '#####EMPTY#####');
  if (complaints.length) facts.push(`complaints: ${complaints.join(' ; ')}`);
  return facts;
}

/**
 * The numbers said in a turn. ACI-BENCH's ASR writes a spoken decimal point as a full stop ("ninety
 * seven . eight", "two . five of norvasc"): such a reading is added as 97.8 and 2.5. Readings
 * inside a longer one ("twenty" and "five" of "one twenty five") are dropped, so that 25 is not
 * taken as said where the visit said 125, nor 5 where it said 2.5.
 */
export function dialogueNumbers(text: string, w: readonly Word[]): NumberMention[] {
  const all = findNumbers(w).filter((n) => w[n.from - 1]?.norm !== 'point');
  for (const a of [...all]) {
    const next = w[a.to];
    if (!next || !Number.isInteger(a.value) || text.slice(w[a.to - 1]!.end, next.start) !== ' . ') continue;
    let j = a.to;
    let digits = '';
    while (w[j] && UNITS[w[j]!.norm] !== undefined && w[j]!.norm !== 'oh' && digits.length < 2 && (j === a.to || text.slice(w[j - 1]!.end, w[j]!.start) === ' ')) digits += String(UNITS[w[j++]!.norm]);
    if (!digits && /^\d$/.test(next.norm)) (digits = next.norm), (j = a.to + 1);
    if (digits) all.push({ value: Number(`${a.value}.${digits}`), from: a.from, to: j });
  }
  return all.filter((m) => !all.some((o) => o !== m && o.from <= m.from && o.to >= m.to && o.to - o.from > m.to - m.from));
}

/**
 * Prepares a dialogue (ACI-BENCH text with [speaker] tags) for tracing. `facts` (see
 * metadataFacts) count as support too but are never given as evidence turns.
 */
export function indexDialogue(dialogue: string, facts: readonly string[] = []): DialogueIndex {
  const parsed = [...parseTurns(dialogue).turns, ...facts.map((text) => ({ speaker: 'facts', text }))];
  const index: DialogueIndex = { dialogueTurns: parsed.length - facts.length, turns: [], stems: new Map(), numbers: new Map(), terms: new Set(), frequencies: new Set(), vocabulary: new Set() };
  parsed.forEach((t, turn) => {
    const w = words(t.text);
    const stems = w.map((x) => stem(x.norm));
    index.turns.push({ speaker: t.speaker, text: t.text, words: w, stems });
    stems.forEach((s, at) => push(index.stems, s, { turn, at }));
    for (const n of dialogueNumbers(t.text, w)) push(index.numbers, n.value, { turn, at: n.from, to: n.to });
    for (const h of findTerms(w, false)) index.terms.add(h.term);
    for (const f of frequenciesIn(w.map((x) => x.norm).join(' '))) index.frequencies.add(f);
    for (const x of w) index.vocabulary.add(x.norm);
  });
  return index;
}

/** True when one of `anchors` (stems) occurs in turn `turn` within `window` words of `at`. */
export function nearAny(index: DialogueIndex, place: Place, anchors: readonly string[], window: number): boolean {
  const stems = index.turns[place.turn]!.stems;
  const lo = Math.max(0, place.at - window);
  const hi = Math.min(stems.length, place.at + window + 1);
  for (let k = lo; k < hi; k++) if (anchors.includes(stems[k]!)) return true;
  // An answer at the start of a turn is about the question before it ("how bad is the pain ?" "twelve").
  const before = place.turn > 0 && place.turn < index.dialogueTurns ? index.turns[place.turn - 1]!.stems : [];
  for (let k = Math.max(0, before.length - window); k < before.length && place.at < window; k++) if (anchors.includes(before[k]!)) return true;
  return false;
}
