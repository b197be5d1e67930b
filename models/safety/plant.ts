/**
 * Planted unsupported details, for measuring faithfulness tracing: a changed number or dose, a
 * flipped side, a swapped medication or an invented history item, each put into one sentence of a
 * reference note. Deterministic for a seed. The replacement medications and history items are
 * this file's own lists (not the tracer's word lists), and each is checked to be absent from the
 * visit, so that the planted detail really is unsupported.
 */
import type { DialogueIndex } from './dialogue';
import { findTerms } from './lexicon';
import { splitSentences, stem, words, type Span } from './text';

export type PlantKind = 'number' | 'side' | 'medication' | 'history';
export const PLANT_KINDS: readonly PlantKind[] = ['number', 'side', 'medication', 'history'];

/** One planted detail: the changed note and where the change is. */
export interface Plant {
  kind: PlantKind;
  note: string;
  /** The sentence of the original note that was changed. */
  original: Span;
  /** Offset in the changed note where the planted text starts, and the text put there. */
  at: number;
  planted: string;
  replaced: string;
}

/** A small seeded random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function shuffled<T>(rand: () => number, list: readonly T[]): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const SWAP_MEDICATIONS = [
  'lisinopril', 'metoprolol', 'amlodipine', 'atorvastatin', 'metformin', 'levothyroxine', 'omeprazole', 'losartan', 'gabapentin', 'sertraline',
  'hydrochlorothiazide', 'furosemide', 'prednisone', 'amoxicillin', 'azithromycin', 'warfarin', 'apixaban', 'clopidogrel', 'tramadol', 'meloxicam',
  'cyclobenzaprine', 'montelukast', 'albuterol', 'fluoxetine', 'escitalopram', 'pantoprazole', 'simvastatin', 'glipizide', 'insulin', 'tamsulosin',
  'allopurinol', 'duloxetine', 'trazodone', 'zolpidem', 'ondansetron', 'doxycycline', 'cephalexin', 'spironolactone', 'carvedilol', 'naproxen',
];
const HISTORY_ITEMS = [
  'gout', 'kidney stones', 'atrial fibrillation', 'hepatitis C', 'a prior stroke', 'breast cancer', 'glaucoma', 'sleep apnea', 'pulmonary embolism',
  'celiac disease', 'sarcoidosis', 'tuberculosis', 'shingles', 'pancreatitis', 'a seizure disorder', 'heart failure', 'chronic kidney disease',
  'hypothyroidism', 'lupus', 'psoriasis', 'bipolar disorder', 'diverticulitis', 'a myocardial infarction', 'deep vein thrombosis', 'melanoma',
  'rheumatoid arthritis', 'COPD', 'migraines', 'peptic ulcer disease', 'anemia',
];

function mentioned(index: DialogueIndex, phrase: string): boolean {
  return words(phrase).some((w) => w.norm.length >= 3 && !['prior', 'disease', 'chronic', 'disorder'].includes(w.norm) && index.stems.has(stem(w.norm)));
}

function changedNumber(rand: () => number, text: string): string {
  const n = Number(text);
  const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
  const options = decimals ? [n + 0.5, n * 2, n + 1.5] : n >= 10 ? [n * 2, n + 5, n + 10, Math.round(n / 2)] : [n + 1, n + 2, n + 3];
  const v = pick(rand, options.filter((o) => o !== n && o > 0));
  return decimals ? v.toFixed(decimals) : String(v);
}

function withCase(model: string, word: string): string {
  if (model === model.toUpperCase() && model.length > 1) return word.toUpperCase();
  return model[0] === model[0]!.toUpperCase() ? word[0]!.toUpperCase() + word.slice(1) : word;
}

/** Candidate changes of one kind in one sentence: [start offset in note, old text, new text]. */
function candidates(kind: PlantKind, s: Span, index: DialogueIndex, rand: () => number): [number, string, string][] {
  const out: [number, string, string][] = [];
  if (kind === 'number') {
    for (const m of s.text.matchAll(/(?<![A-Za-z\d./:]|[A-Za-z]-|type |stage |grade )\d+(?:\.\d+)?(?![\d/:A-Za-z])/g)) out.push([s.start + m.index!, m[0], changedNumber(rand, m[0])]);
  } else if (kind === 'side') {
    for (const m of s.text.matchAll(/\b(left|right)\b/gi)) {
      const around = s.text.slice(Math.max(0, m.index! - 4), m.index! + 12).toLowerCase();
      if (/all right|right away|right now|that's right/.test(around)) continue;
      out.push([s.start + m.index!, m[0], withCase(m[0], m[0].toLowerCase() === 'left' ? 'right' : 'left')]);
    }
  } else if (kind === 'medication') {
    const w = words(s.text);
    for (const h of findTerms(w)) {
      if (h.term.kind !== 'medication') continue;
      const old = s.text.slice(w[h.from]!.start, w[h.to - 1]!.end);
      const swap = shuffled(rand, SWAP_MEDICATIONS).find((m) => m !== h.term.name && !h.term.forms.includes(m) && !mentioned(index, m));
      if (swap) out.push([s.start + w[h.from]!.start, old, withCase(old, swap)]);
    }
  } else {
    const end = s.text.match(/\.\s*$/);
    if (end && words(s.text).length >= 5) {
      const item = shuffled(rand, HISTORY_ITEMS).find((h) => !mentioned(index, h));
      if (item) out.push([s.start + end.index!, '', `, and has a history of ${item}`]);
    }
  }
  return out;
}

/**
 * Plants up to `perKind` details of each kind into a note, each in its own copy of the note and
 * its own sentence. History items go into sentences of the first half of the note (history is told
 * there). Returns nothing for a kind the note offers no place for (a note without numbers).
 */
export function plantUnsupported(note: string, index: DialogueIndex, seed: number, perKind = 2): Plant[] {
  const rand = seededRandom(seed);
  const sentences = splitSentences(note);
  const plants: Plant[] = [];
  for (const kind of PLANT_KINDS) {
    const pool = kind === 'history' ? sentences.filter((s) => s.start < note.length / 2) : sentences;
    let made = 0;
    for (const s of shuffled(rand, pool)) {
      if (made >= perKind) break;
      const c = candidates(kind, s, index, rand);
      if (!c.length) continue;
      const [at, old, planted] = pick(rand, c);
      plants.push({ kind, note: note.slice(0, at) + planted + note.slice(at + old.length), original: s, at, planted, replaced: old });
      made++;
    }
  }
  return plants;
}
