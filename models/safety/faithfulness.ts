/**
 * Faithfulness tracing: for each sentence of a note, the dialogue turns it came from (evidence)
 * and the details it carries that the dialogue does not (issues). Lexical and rule-based, offline,
 * milliseconds per note (5-9 ms of CPU measured over test1-3 after warm-up). A detail is looked for near the words it goes with ("20 mg" near
 * "lisinopril", "left" near "knee"), so a number or side said elsewhere in the visit is not taken
 * as support.
 */
import { FREQUENCIES, indexDialogue, type DialogueIndex, type Place } from './dialogue';
import { editDistance, findTerms, type Term } from './lexicon';
import { isFigure, levelSaid, maximal, numberSupported, ORDINAL_WORD, spinalLevel, UNIT_STEMS } from './numberSupport';
import { isSideUse, SIDES, sideSupported } from './sideSupport';
import { findNumbers } from './spokenNumbers';
import { contentStems, splitSentences, words, type Word } from './text';

export type IssueKind = 'number' | 'side' | 'medication' | 'diagnosis' | 'negation';
export const ISSUE_KINDS: readonly IssueKind[] = ['number', 'side', 'medication', 'diagnosis', 'negation'];

/** A detail of a sentence the dialogue does not support; `text` is as it stands in the note. */
export interface FaithfulnessIssue {
  kind: IssueKind;
  text: string;
}

export interface TracedSentence {
  /** The sentence exactly as in the note: `note.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  supported: boolean;
  /** Indices of the supporting turns (parseTurns order, from 0), ascending. */
  evidence: number[];
  issues: FaithfulnessIssue[];
}

export interface FaithfulnessOptions {
  /** How many turns at most to give as evidence for a sentence. Defaults to 3. */
  maxEvidence?: number;
  /** Words either side of a number said in the dialogue within which its context must be said. Defaults to 10. */
  window?: number;
  /** Words either side of a side ("left") said in the dialogue within which what it is the side of must be said. Defaults to 4. */
  sideWindow?: number;
}

const NEGATION_CUES = new Set(['denies', 'deny', 'denied', 'no']);
const NO_ANSWER = /^(no|nope|not|never|nothing|none|nah|i don't|i do not|i haven't|i have not|denies)\b/;
const YES_ANSWER = /^(yes|yeah|yep|i do|i have|uh-huh|mm-hmm|correct|definitely|it does|it is)\b/;


function termSupported(index: DialogueIndex, term: Term): boolean {
  if (index.terms.has(term)) return true;
  if (term.kind !== 'medication') return false;
  // Transcripts misspell drug names ("lysinopril"): allow one or two letters off for long names.
  for (const f of term.forms) {
    if (f.length < 6 || f.includes(' ')) continue;
    const max = f.length >= 9 ? 2 : 1;
    for (const v of index.vocabulary) if (v.length >= 5 && v[0] === f[0] && editDistance(v, f, max) <= max) return true;
  }
  return false;
}

/** "History of X, Y and Z": items the dialogue never mentions (none of their words said). */
function inventedHistory(index: DialogueIndex, sentence: string): string[] {
  const out: string[] = [];
  for (const m of sentence.matchAll(/\b(?:history of|history significant for|diagnosed with|history includes)\s+([^.;:]+)/gi)) out.push(...inventedItems(index, m[1]!));
  return out;
}

// Words too general to say that an item was talked about ("disease" in "celiac disease").
const GENERAL_ITEM_WORDS = new Set(['diseas', 'disord', 'chronic', 'prior', 'previou', 'syndrom', 'condit', 'problem', 'issu', 'acut', 'histori', 'sever', 'mild']);

function inventedItems(index: DialogueIndex, list: string): string[] {
  const items = list.split(/,|\band\b|\bor\b|\bas well as\b/i).map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  for (const item of items) {
    const w = words(item);
    if (w.some((x) => /^(who|which|that|presents|presenting|is|was|here|status|post)$/.test(x.norm))) break;
    const stems = contentStems(w, 0, w.length).filter((s) => !GENERAL_ITEM_WORDS.has(s));
    const terms = findTerms(w);
    if (terms.length && terms.every((h) => termSupported(index, h.term))) continue; // said in other words
    if (stems.length && stems.every((s) => !index.stems.has(s))) out.push(item);
  }
  return out;
}

/** Negation that flips the visit: the note says "denies X" but X was asked about and answered yes. */
function flippedNegation(index: DialogueIndex, w: readonly Word[]): string | undefined {
  const cue = w.findIndex((x) => NEGATION_CUES.has(x.norm));
  if (cue < 0) return undefined;
  const topic = contentStems(w, cue + 1, cue + 4);
  if (!topic.length) return undefined;
  let affirmed = 0;
  for (let t = 0; t < index.turns.length; t++) {
    const turn = index.turns[t]!;
    if (!topic.every((s) => turn.stems.includes(s)) || !turn.text.includes('?')) continue;
    const next = index.turns[t + 1]?.text.toLowerCase().trim() ?? '';
    if (/\b(no|not|never|denies|deny|don't|haven't|without|none)\b/.test(turn.text.toLowerCase()) || NO_ANSWER.test(next)) return undefined;
    if (YES_ANSWER.test(next)) affirmed++;
  }
  return affirmed > 0 ? w.slice(cue, cue + 1 + topic.length).map((x) => x.text).join(' ') : undefined;
}

/** The turns sharing the most content with a sentence (idf-weighted), best first. */
function evidenceTurns(index: DialogueIndex, stems: readonly string[], max: number): number[] {
  const scores = new Map<number, number>();
  const n = index.turns.length || 1;
  for (const s of new Set(stems)) {
    const places = index.stems.get(s);
    if (!places) continue;
    const turnsWith = new Set(places.map((p) => p.turn));
    const idf = Math.log(1 + n / turnsWith.size);
    for (const t of turnsWith) if (t < index.dialogueTurns) scores.set(t, (scores.get(t) ?? 0) + idf);
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const best = ranked[0]?.[1] ?? 0;
  return ranked.filter(([, s]) => s >= best * 0.6 && s >= 1.5).slice(0, max).map(([t]) => t);
}

/** Traces one sentence (given as its words and text) against a prepared dialogue. */
export function traceSentence(index: DialogueIndex, text: string, options: FaithfulnessOptions = {}): { supported: boolean; evidence: number[]; issues: FaithfulnessIssue[] } {
  const window = options.window ?? 10;
  const w = words(text);
  const issues: FaithfulnessIssue[] = [];
  const support = new Set<number>();
  const slice = (a: number, b: number) => text.slice(w[a]!.start, w[b - 1]!.end);
  const use = (p: Place | undefined | true) => (p && p !== true && p.turn < index.dialogueTurns ? support.add(p.turn) : undefined, p !== undefined);

  for (const m of maximal(findNumbers(w))) {
    if (w[m.from]!.norm === 'one' && m.to - m.from === 1) continue; // "one of", "one time": rarely a figure
    const level = spinalLevel(text, w, m);
    if (level !== undefined) {
      if (!level.every((l) => levelSaid(index, l))) issues.push({ kind: 'number', text: slice(m.from - 1, m.to) });
      continue;
    }
    if (!isFigure(text, w, m) || (m.to - m.from === 1 && ORDINAL_WORD.test(w[m.from]!.norm))) continue;
    if (!use(numberSupported(index, text, w, m, window))) issues.push({ kind: 'number', text: slice(m.from, Math.min(w.length, m.to + (UNIT_STEMS[w[m.to]?.norm ?? ''] || /^(mg|milligrams?|years?|months?|weeks?|days?|hours?|times?|percent)$/.test(w[m.to]?.norm ?? '') ? 1 : 0))) });
  }
  for (const f of FREQUENCIES) {
    if (f.kind === 'prn') continue; // "as needed" is how notes end plans, said or not
    const m = f.re.exec(text);
    if (m && !index.frequencies.has(f.kind)) issues.push({ kind: 'number', text: m[0] });
  }
  // "left worse than left", "4/5 on the right and 5/5 on the right": one side twice where a note compares two.
  const twice = /\b(left|right)\b(?:-sided)? (?:worse|better|greater|larger|smaller|weaker|stronger) than (?:the )?\1\b|\bon the (left|right)\b[^.;]{1,30}\band\b[^.;]{1,30}\bon the \2\b/i.exec(text);
  if (twice) issues.push({ kind: 'side', text: twice[0] });
  // A sentence that names both sides ("4/5 on the right and 5/5 on the left") compares them.
  const bothSides = w.some((x, k) => x.norm === 'left' && isSideUse(w, k)) && w.some((x, k) => x.norm === 'right' && isSideUse(w, k));
  w.forEach((x, k) => {
    if (twice || !SIDES[x.norm] || !isSideUse(w, k)) return;
    if (!use(sideSupported(index, w, k, options.sideWindow ?? 4, bothSides))) issues.push({ kind: 'side', text: slice(k, Math.min(w.length, k + 2)) });
  });
  for (const h of findTerms(w)) {
    if (h.term.name === 'stroke' && /^(cva|cvas)$/.test(w[h.from]!.norm) && /^tender/.test(w[h.to]?.norm ?? '')) continue; // costovertebral angle
    if (!termSupported(index, h.term)) issues.push({ kind: h.term.kind, text: slice(h.from, h.to) });
  }
  for (const item of inventedHistory(index, text)) if (!issues.some((i) => item.includes(i.text) || i.text.includes(item))) issues.push({ kind: 'diagnosis', text: item });
  const neg = flippedNegation(index, w);
  if (neg) issues.push({ kind: 'negation', text: neg });

  for (const t of evidenceTurns(index, contentStems(w, 0, w.length), options.maxEvidence ?? 3)) support.add(t);
  return { supported: issues.length === 0, evidence: [...support].sort((a, b) => a - b).slice(0, Math.max(options.maxEvidence ?? 3, 1) + 2), issues: oncePerDetail(issues) };
}

/**
 * One issue per detail: the rules above can find one twice ("5/5" gives "5" twice; two frequency
 * patterns both match "a week") or a part of another ("twice" inside "twice daily"). Drops exact
 * repeats, and a number whose text lies inside a longer number issue of the same sentence.
 */
function oncePerDetail(issues: FaithfulnessIssue[]): FaithfulnessIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.kind}\u0000${i.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return !(i.kind === 'number' && issues.some((o) => o.kind === 'number' && o.text.length > i.text.length && new RegExp(`\\b${i.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(o.text)));
  });
}

/**
 * Traces every sentence of a note against the dialogue it was written from. Each sentence comes
 * with its offsets in the note, whether the dialogue supports it, its evidence turns and its issues.
 */
export function traceFaithfulness(dialogue: string | DialogueIndex, note: string, options: FaithfulnessOptions = {}): TracedSentence[] {
  const index = typeof dialogue === 'string' ? indexDialogue(dialogue) : dialogue;
  return splitSentences(note).map((s) => ({ text: s.text, start: s.start, end: s.end, ...traceSentence(index, s.text, options) }));
}
