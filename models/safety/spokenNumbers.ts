/**
 * Numbers in text, whether written as digits ("20 mg", "4/5") or spoken the way ACI-BENCH's ASR
 * transcripts have them ("twenty milligrams", "one twenty over eighty", "ninety eight point six",
 * "a hundred and fifty", "twice"). Written for this corpus: see the README for why not a library.
 */
import type { Word } from './text';

export const UNITS: Record<string, number> = { zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const TEENS: Record<string, number> = { ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19 };
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12,
  thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};
const MULTIPLES: Record<string, number> = { once: 1, twice: 2, thrice: 3, single: 1, double: 2, triple: 3, dozen: 12, couple: 2 };

/** One number found in a list of words: words `from` to `to` (exclusive) read as `value`. */
export interface NumberMention {
  value: number;
  from: number;
  to: number;
}

function small(norm: string): number | undefined {
  return UNITS[norm] ?? TEENS[norm] ?? TENS[norm];
}

/** The value of a number-word (one to ninety, ordinals, "twice"), or undefined. `oh` counts only inside a number. */
export function wordValue(norm: string): number | undefined {
  if (norm === 'oh') return undefined;
  return small(norm) ?? ORDINALS[norm] ?? MULTIPLES[norm] ?? (norm === 'hundred' ? 100 : norm === 'thousand' ? 1000 : undefined);
}

/** Reads 1-99 from words[i...]: "fifty four", "twelve", "seven". Returns value and next index. */
function readBelowHundred(w: readonly Word[], i: number): { value: number; next: number } | undefined {
  const a = w[i]?.norm;
  if (a === undefined || a === 'oh') return undefined;
  if (TENS[a] !== undefined) {
    const u = w[i + 1] ? UNITS[w[i + 1]!.norm] : undefined;
    if (u !== undefined && u > 0 && w[i + 1]!.norm !== 'oh') return { value: TENS[a]! + u, next: i + 2 };
    return { value: TENS[a]!, next: i + 1 };
  }
  const v = UNITS[a] ?? TEENS[a];
  return v === undefined ? undefined : { value: v, next: i + 1 };
}

/** Reads a full spoken number from words[i...] ("a hundred and fifty", "two thousand twenty"). */
function readCardinal(w: readonly Word[], i: number): { value: number; next: number } | undefined {
  let total = 0;
  let current = 0;
  let j = i;
  let any = false;
  for (;;) {
    const n = w[j]?.norm;
    if (n === undefined) break;
    if ((n === 'a' || n === 'one') && (w[j + 1]?.norm === 'hundred' || w[j + 1]?.norm === 'thousand') && !any) {
      current = 1;
      j++;
      any = true;
      continue;
    }
    if (n === 'hundred' && any && current > 0 && (current < 10 || (current < 100 && total === 0))) { // "two hundred", "fifteen hundred"
      current *= 100;
      j++;
      if (w[j]?.norm === 'and' && readBelowHundred(w, j + 1)) j++;
      const r = readBelowHundred(w, j);
      if (r) {
        current += r.value;
        j = r.next;
      }
      continue;
    }
    if (n === 'thousand' && any && current > 0) {
      total += current * 1000;
      current = 0;
      j++;
      if (w[j]?.norm === 'and' && readBelowHundred(w, j + 1)) j++;
      continue;
    }
    if (!any || (current === 0 && total > 0)) {
      const r = readBelowHundred(w, j);
      if (!r) break;
      current = r.value;
      j = r.next;
      any = true;
      continue;
    }
    break;
  }
  return any ? { value: total + current, next: j } : undefined;
}

/** Reads "point six", "point five zero" after a number. */
function readDecimal(w: readonly Word[], i: number): { frac: string; next: number } | undefined {
  if (w[i]?.norm !== 'point') return undefined;
  let j = i + 1;
  let digits = '';
  while (w[j] && UNITS[w[j]!.norm] !== undefined) digits += String(UNITS[w[j++]!.norm]);
  if (!digits && w[j] && /^\d+$/.test(w[j]!.norm)) digits = w[j++]!.norm;
  return digits ? { frac: digits, next: j } : undefined;
}

/**
 * Every number in a list of words. Overlapping readings are all kept, so "one twenty over eighty"
 * gives 1, 20, 120 and 80, and "fifty four" gives 50, 4 and 54: a note's "120/80" or "54" is then
 * found whichever way it was said.
 */
export function findNumbers(w: readonly Word[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (let i = 0; i < w.length; i++) {
    const n = w[i]!.norm;
    if (/^\d/.test(n)) {
      out.push({ value: Number(n), from: i, to: i + 1 });
      continue;
    }
    const single = wordValue(n);
    if (single !== undefined && n !== 'hundred' && n !== 'thousand') out.push({ value: single, from: i, to: i + 1 });
    const card = readCardinal(w, i);
    if (card) {
      let value = card.value;
      let next = card.next;
      const dec = readDecimal(w, next);
      if (dec) {
        value = Number(`${value}.${dec.frac}`);
        next = dec.next;
      }
      if (w[next]?.norm === 'and' && w[next + 1]?.norm === 'a' && w[next + 2]?.norm === 'half') {
        value += 0.5;
        next += 3;
      }
      if (next - i > 1) out.push({ value, from: i, to: next });
      // Colloquial hundreds: "one twenty" (120), "nineteen ninety" (1990), "one forty two" (142).
      const head = UNITS[n] ?? TEENS[n];
      if (head !== undefined && head > 0 && n !== 'oh') {
        const rest = readBelowHundred(w, i + 1);
        if (rest && rest.value >= 10 && w[i + 1]!.norm !== 'oh') out.push({ value: head * 100 + rest.value, from: i, to: rest.next });
        if (w[i + 1]?.norm === 'oh' && w[i + 2] && UNITS[w[i + 2]!.norm] !== undefined) out.push({ value: head * 100 + UNITS[w[i + 2]!.norm]!, from: i, to: i + 3 });
      }
    }
    // Years said as two pairs: "twenty eighteen" (2018), "twenty twenty one" (2021).
    const second = w[i + 1]?.norm ?? '';
    if (n === 'twenty' && (TEENS[second] !== undefined || TENS[second] !== undefined)) {
      const rest = readBelowHundred(w, i + 1)!;
      out.push({ value: 2000 + rest.value, from: i, to: rest.next });
    }
    if ((n === 'a' || n === 'an') && /^(day|week|month|year|hour|minute|decade)s?$/.test(w[i + 1]?.norm ?? '')) out.push({ value: 1, from: i, to: i + 1 });
    if (n === 'half' && w[i - 1]?.norm !== 'and') out.push({ value: 0.5, from: i, to: i + 1 });
  }
  return out;
}
