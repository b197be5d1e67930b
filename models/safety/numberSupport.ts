/**
 * Numbers in a note sentence and whether the visit said them: a dose, frequency, duration or value
 * is looked for with its unit or near the words it goes with, so a number said elsewhere in the
 * visit about something else is not taken as support.
 */
import { nearAny, type DialogueIndex, type Place } from './dialogue';
import { findTerms, phraseStems, type TermHit } from './lexicon';
import { wordValue, type NumberMention } from './spokenNumbers';
import { contentStems, stem, type Word } from './text';

// Units written in notes, as the stem of the word said in the visit.
export const UNIT_STEMS: Record<string, string> = {
  mg: 'milligram', mgs: 'milligram', mcg: 'microgram', g: 'gram', ml: 'cc', cc: 'cc', cm: 'centimet', mm: 'millimet', kg: 'kilogram',
  lb: 'pound', lbs: 'pound', yr: 'year', yrs: 'year', yo: 'year', wk: 'week', wks: 'week', hr: 'hour', hrs: 'hour', min: 'minut', mins: 'minut',
  bpm: 'beat', x: 'time', units: 'unit', iu: 'unit',
};

/**
 * False for numbers that are part of a name or a date rather than a figure: "COVID-19", "02/2022",
 * "08/03/2020". ("Type 2 diabetes" and "stage 1" are checked like any figure: the visit says them.)
 */
export function isFigure(text: string, w: readonly Word[], m: NumberMention): boolean {
  const first = w[m.from]!;
  const before = text.slice(Math.max(0, first.start - 2), first.start);
  const after = text.slice(w[m.to - 1]!.end, w[m.to - 1]!.end + 3);
  if (/[A-Za-z]-?$/.test(before)) return false;
  if (/\d:$/.test(before) || /^:\d/.test(after)) return false; // a time of day ("2:00 am")
  if (/\d\/$/.test(before) && /^\d/.test(text.slice(first.start))) return !/\d\/\d+\/\d/.test(text.slice(Math.max(0, first.start - 6), first.end + 6)) && !/\/\d{4}/.test(text.slice(first.start - 1, first.end));
  if (/^\/\d/.test(after) && /\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}\/\d{4}/.test(text.slice(first.start, first.end + 10))) return false;
  return true;
}

/** The levels of a range ("L4-5" → l4 and l5, "C5/6" → c5 and c6), or undefined when it is no such range. */
export function spinalLevel(text: string, w: readonly Word[], m: NumberMention): string[] | undefined {
  const prev = w[m.from - 1];
  const letter = prev && /^([a-z])\d{1,2}$/.exec(prev.norm)?.[1];
  if (!letter || m.to - m.from !== 1 || !/^\s*[-–/]\s*$/.test(text.slice(prev.end, w[m.from]!.start))) return undefined;
  return [prev.norm, `${letter}${m.value}`];
}

const levels = new WeakMap<DialogueIndex, Set<string>>();

/** True when the visit names the level: "l5", "l five", "l4-5" or "l4 , 5". */
export function levelSaid(index: DialogueIndex, level: string): boolean {
  let said = levels.get(index);
  if (!said) {
    levels.set(index, (said = new Set()));
    for (const t of index.turns) {
      t.words.forEach((x, k) => {
        const m = /^([a-z])(\d{1,2})$/.exec(x.norm);
        if (m) said!.add(x.norm);
        const next = t.words[k + 1];
        const value = next && (/^\d{1,2}$/.test(next.norm) ? Number(next.norm) : wordValue(next.norm));
        if (value !== undefined && next && (m || x.norm.length === 1) && /^[\s,.\-/]*$/.test(t.text.slice(x.end, next.start))) said!.add(`${m ? m[1] : x.norm}${value}`);
      });
    }
  }
  return said.has(level);
}

// "her first visit", "the third accident": ordinal words in a note are rarely a figure to check.
export const ORDINAL_WORD = /^(first|second|third|[a-z]+th|once|single|couple|double|triple)$/;

/** Longest readings only: "fifty four" in a note is 54, not also 50 and 4. */
export function maximal(mentions: NumberMention[]): NumberMention[] {
  return mentions.filter((m) => !mentions.some((o) => o !== m && o.from <= m.from && o.to >= m.to && o.to - o.from > m.to - m.from));
}

// Units, as stems, that a number can be of: a dose of 20 milligrams is not 20 years.
const UNIT_SET = new Set(['milligram', 'microgram', 'gram', 'cc', 'centimet', 'millimet', 'kilogram', 'pound', 'year', 'month', 'week', 'dai', 'hour', 'minut', 'time', 'unit', 'percent', 'beat', 'degre', 'inch', 'feet', 'foot', 'mile', 'liter', 'milliliter', 'tablet', 'pill', 'refil', 'view']);

function unitStem(norm: string | undefined): string | undefined {
  if (!norm) return undefined;
  const u = UNIT_STEMS[norm] ?? stem(norm);
  return UNIT_SET.has(u) ? u : undefined;
}

const turnDrugs = new WeakMap<DialogueIndex, Map<number, TermHit[]>>();

/** The medications named in one turn of the dialogue (cached per dialogue). */
function drugsInTurn(index: DialogueIndex, turn: number): TermHit[] {
  let byTurn = turnDrugs.get(index);
  if (!byTurn) turnDrugs.set(index, (byTurn = new Map()));
  let hits = byTurn.get(turn);
  if (!hits) byTurn.set(turn, (hits = findTerms(index.turns[turn]!.words, false).filter((h) => h.term.kind === 'medication')));
  return hits;
}

/**
 * A number is supported when the dialogue says it with the same unit ("twenty milligrams" for
 * "20 mg"), or near the words it goes with in the note and not with another unit.
 */
export function numberSupported(index: DialogueIndex, sentence: string, w: readonly Word[], m: NumberMention, window: number): Place | undefined | true {
  const places = index.numbers.get(m.value);
  if (!places) return undefined;
  const inNumber = (k: number) => k >= m.from && k < m.to;
  const unit = unitStem(w[m.to]?.norm) ?? (sentence[w[m.to - 1]!.end] === '%' ? 'percent' : undefined);
  const anchors = contentStems(w, m.from - 3, m.to + 3, inNumber).filter((a) => a !== unit && index.stems.has(a));
  const unitAfter = (p: Place) => {
    const turn = index.turns[p.turn]!;
    const t = turn.words;
    return unitStem(t[p.to!]?.norm) ?? unitStem(t[p.to! + 1]?.norm) ?? (/^ ?%/.test(turn.text.slice(t[p.to! - 1]!.end)) ? 'percent' : undefined);
  };
  // A dose next to a drug the visit names ("meloxicam 15 mg") must be said near that drug, not as 15 mg of another.
  const drugs = findTerms(w.slice(Math.max(0, m.from - 4), m.to + 1)).filter((h) => h.term.kind === 'medication' && index.terms.has(h.term));
  if (drugs.length) {
    const drugStems = new Set(drugs.flatMap((h) => h.term.forms.flatMap((f) => phraseStems(f))));
    const ours = new Set(drugs.map((h) => h.term));
    // The drug a number said in the visit is about: the one named nearest to it in its turn, if any.
    const ofOurs = (p: Place) => {
      const hits = drugsInTurn(index, p.turn);
      const nearest = hits.reduce<TermHit | undefined>((a, h) => (!a || Math.abs(h.from - p.at) < Math.abs(a.from - p.at) ? h : a), undefined);
      return nearest === undefined || ours.has(nearest.term);
    };
    const fits = (p: Place) => (!unit || !unitAfter(p) || unitAfter(p) === unit) && nearAny(index, p, [...drugStems], window) && ofOurs(p);
    const near = places.find(fits);
    if (near) return near;
    // Another dose said of that drug, and not this one: contradicted.
    for (const [value, other] of index.numbers) if (value !== m.value && value > 0 && other.some((p) => unit && unitAfter(p) === unit && fits(p) && drugsInTurn(index, p.turn).length > 0)) return undefined;
  }
  if (unit) {
    const same = places.find((p) => unitAfter(p) === unit);
    if (same) return same;
  }
  if (!anchors.length && !unit) return true; // nothing to place it by: said anywhere is enough
  // A value too particular to be said by chance ("162", "6.8"), said once or twice without another unit.
  if ((m.value >= 100 || !Number.isInteger(m.value)) && places.length <= 2) {
    const p = places.find((x) => !unit || !unitAfter(x) || unitAfter(x) === unit);
    if (p) return p;
  }
  if (!anchors.length) return undefined;
  return places.find((p) => {
    const u = unitAfter(p);
    return (!unit || !u || u === unit) && nearAny(index, p, anchors, window);
  });
}
