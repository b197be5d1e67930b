/**
 * Numbers in a note sentence and whether the visit said them: a dose, frequency, duration or value
 * is looked for with its unit or near the words it goes with, so a number said elsewhere in the
 * visit about something else is not taken as support.
 */
import { nearAny, type DialogueIndex, type Place } from './dialogue';
import { findTerms, phraseStems } from './lexicon';
import type { NumberMention } from './spokenNumbers';
import { contentStems, stem, type Word } from './text';

// Units written in notes, as the stem of the word said in the visit.
export const UNIT_STEMS: Record<string, string> = {
  mg: 'milligram', mgs: 'milligram', mcg: 'microgram', g: 'gram', ml: 'cc', cc: 'cc', cm: 'centimet', mm: 'millimet', kg: 'kilogram',
  lb: 'pound', lbs: 'pound', yr: 'year', yrs: 'year', yo: 'year', wk: 'week', wks: 'week', hr: 'hour', hrs: 'hour', min: 'minut', mins: 'minut',
  bpm: 'beat', x: 'time', units: 'unit', iu: 'unit',
};

/**
 * False for numbers that are part of a name or a date rather than a figure: "COVID-19", "L4-5",
 * "type 1 diabetes", "02/2022", "08/03/2020".
 */
export function isFigure(text: string, w: readonly Word[], m: NumberMention): boolean {
  const first = w[m.from]!;
  const before = text.slice(Math.max(0, first.start - 2), first.start);
  const after = text.slice(w[m.to - 1]!.end, w[m.to - 1]!.end + 3);
  if (/[A-Za-z]-?$/.test(before)) return false;
  if (/^(type|grade|stage|class|phase)$/.test(w[m.from - 1]?.norm ?? '')) return false;
  if (/\d\/$/.test(before) && /^\d/.test(text.slice(first.start))) return !/\d\/\d+\/\d/.test(text.slice(Math.max(0, first.start - 6), first.end + 6)) && !/\/\d{4}/.test(text.slice(first.start - 1, first.end));
  if (/^\/\d/.test(after) && /\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}\/\d{4}/.test(text.slice(first.start, first.end + 10))) return false;
  return true;
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
    const fits = (p: Place) => (!unit || !unitAfter(p) || unitAfter(p) === unit) && nearAny(index, p, [...drugStems], window);
    const near = places.find(fits);
    if (near) return near;
    // Another dose of that drug said, and not this one: contradicted.
    for (const [value, other] of index.numbers) if (value !== m.value && value > 0 && other.some((p) => unit && unitAfter(p) === unit && fits(p))) return undefined;
  }
  if (unit) {
    const same = places.find((p) => unitAfter(p) === unit);
    if (same) return same;
  }
  if (!anchors.length && !unit) return true; // nothing to place it by: said anywhere is enough
  if (!anchors.length) return undefined;
  return places.find((p) => {
    const u = unitAfter(p);
    return (!unit || !u || u === unit) && nearAny(index, p, anchors, window);
  });
}
