/**
 * The medication and diagnosis word lists (data/*.json, written for MediGen Lab from general
 * knowledge) and matching their names in a list of words by stems, so "Fosamax" in a note and
 * "fosamax" in a transcript, or "kidney stones" and "kidney stone", are the same term.
 */
import diagnosesData from './data/diagnoses.json';
import medicationsData from './data/medications.json';
import { stem, words, type Word } from './text';

export type TermKind = 'medication' | 'diagnosis';

/** One entry of a word list: its main name, every form it can be written or said in, and a class. */
export interface Term {
  kind: TermKind;
  name: string;
  forms: string[];
  /** Drug class for medications ("statin"), '' for diagnoses. */
  group: string;
}

/** A term found in a list of words: words `from` to `to` (exclusive). */
export interface TermHit {
  term: Term;
  from: number;
  to: number;
}

export const MEDICATIONS: readonly Term[] = medicationsData.medications.map((m) => ({ kind: 'medication' as const, name: m.name, forms: [m.name, ...m.aliases], group: m.class }));
export const DIAGNOSES: readonly Term[] = diagnosesData.diagnoses.map((d) => ({ kind: 'diagnosis' as const, name: d.name, forms: [d.name, ...d.synonyms], group: '' }));

/** Stems of a phrase, e.g. "kidney stones" → ['kidnei', 'stone']. */
export function phraseStems(phrase: string): string[] {
  return words(phrase).map((w) => stem(w.norm));
}

interface Form {
  term: Term;
  stems: string[];
}

/** Forms indexed by their first stem, longest first, for matching at each word. */
function indexForms(terms: readonly Term[], useForm: (term: Term, form: string) => boolean): Map<string, Form[]> {
  const byFirst = new Map<string, Form[]>();
  for (const term of terms) {
    for (const f of term.forms) {
      if (!useForm(term, f)) continue;
      const stems = phraseStems(f);
      if (!stems.length) continue;
      const list = byFirst.get(stems[0]!) ?? [];
      list.push({ term, stems });
      byFirst.set(stems[0]!, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  return byFirst;
}

// In a note, a diagnosis is recognised by its name and its clinical other names (not by lay words
// such as "sleep" or "weight", which only count as support when found in the dialogue).
const LAY = new Set(['sleep', 'weight', 'breast', 'lung', 'colon', 'prostate', 'lymph', 'valve', 'murmur', 'blood pressure', 'cholesterol', 'sugar', 'sugars', 'kidneys', 'kidney function', 'numbness', 'tingling', 'headache', 'headaches', 'pancreas', 'gallbladder', 'clot', 'drinking', 'inhaler', 'wheezing', 'palpitations', 'cold', 'flu', 'sinus', 'allergies', 'a1c', 'lipids', 'thyroid', 'panic', 'uric acid', 'bone density', 'memory loss', 'arthritic', 'dm', 'ms', 'mi', 'pe', 'ra', 'uc', 'add', 'sle', 'lung infection', 'indigestion', 'heartburn', 'weak heart', 'eye pressure', 'macular', 'oncology', 'tumor', 'seizure', 'seizures', 'depressed', 'anxious', 'obese', 'overweight', 'constipated', 'calcium', 'magnesium', 'potassium', 'iron', 'nitro', 'asa', 'bayer', 'sinus infection', 'chest cold', 'head cold', 'uri', 'steroid injection', 'steroid injections', 'steroid shot', 'steroid shots']);
// Built on first use, not when the module loads (stemming every form costs ~50 ms, which would
// otherwise delay VS Code activating MediGen Lab).
let noteForms: Map<string, Form[]> | undefined;
let allForms: Map<string, Form[]> | undefined;

/** The medications and diagnoses named in a list of words (longest match at each word, no overlaps). */
export function findTerms(w: readonly Word[], forNote = true): TermHit[] {
  const index = forNote ? (noteForms ??= indexForms([...MEDICATIONS, ...DIAGNOSES], (_t, f) => !LAY.has(f))) : (allForms ??= indexForms([...MEDICATIONS, ...DIAGNOSES], () => true));
  const stems = w.map((x) => stem(x.norm));
  const hits: TermHit[] = [];
  for (let i = 0; i < w.length; i++) {
    const cands = index.get(stems[i]!);
    if (!cands) continue;
    const f = cands.find((c) => c.stems.every((s, k) => stems[i + k] === s));
    if (!f) continue;
    hits.push({ term: f.term, from: i, to: i + f.stems.length });
    i += f.stems.length - 1;
  }
  return hits;
}

/** Levenshtein distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
