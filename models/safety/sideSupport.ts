/**
 * Sides (left, right) in a note sentence and whether the visit said them of the same thing: "left"
 * must be said near "knee", and a visit that says only the other side there contradicts it.
 */
import { nearAny, type DialogueIndex, type Place } from './dialogue';
import { contentStems, type Word } from './text';

// Left and right only: "bilateral" is said in exams and rarely in the visit, and flipping it is no planted error.
export const SIDES: Record<string, string[]> = { left: ['left'], right: ['right'] };
// Body words a note and a visit name differently.
const BODY_SYNONYMS: Record<string, string[]> = { extrem: ['leg', 'arm', 'foot', 'hand'], lower: ['leg', 'foot', 'knee', 'hip'], upper: ['arm', 'shoulder', 'hand'], ear: ['ear'], ey: ['eye'] };

// Words too general to place a side by ("left-sided pain" is placed by what hurts, not by "pain").
const GENERIC = new Set(['pain', 'side', 'sid', 'area', 'region', 'part', 'wors', 'better', 'mild', 'sever', 'some', 'slight', 'tender', 'swell']);

/** True when words[k] ("left", "right") names a side ("my left knee", "on the right"), not "all right" or "right now". */
export function isSideUse(w: readonly Word[], k: number): boolean {
  const side = w[k]!.norm;
  const prev = w[k - 1]?.norm ?? '';
  const next = w[k + 1]?.norm ?? '';
  if (side === 'right' && /^(all|that's|thats|that|yeah|okay|is|you're|alright|it's|were|are|was|come|go|turn)$/.test(prev)) return false;
  if (side === 'right' && /^(now|here|there|away|at|after|before|so|okay|um|uh|i|we|you|and|but|then|back|into|in|over|under|up|down|off|about|when|where|around|through|next|exactly|this|that|yeah|no)$/.test(next)) return false;
  if (side === 'left' && /^(have|has|had|i|we|you|they|he|she|just|already|was|were|be|been|is|nothing|anything|something)$/.test(prev) && !/^(side|leg|arm|knee|hand|foot|eye|ear|shoulder|hip|elbow|wrist|ankle)$/.test(next)) return false;
  if (side === 'left' && /^(over|behind|alone|off|out|with|to)$/.test(next)) return false;
  return true;
}

/** Places where a side word is said as a side. */
function sidePlaces(index: DialogueIndex, side: string): Place[] {
  return (index.stems.get(side) ?? []).filter((p) => isSideUse(index.turns[p.turn]!.words, p.at));
}

/**
 * A side is supported when the dialogue says it near what it is the side of, and contradicted when
 * it says only the other side there. When the dialogue never gives a side there, the side must be
 * one the visit talks about (not far outnumbered by the other side).
 */
export function sideSupported(index: DialogueIndex, w: readonly Word[], k: number, window: number): Place | undefined | true {
  const side = w[k]!.norm;
  const isSide = (j: number) => SIDES[w[j]!.norm] !== undefined;
  let anchors = contentStems(w, k + 1, k + 4, isSide).filter((a) => !GENERIC.has(a));
  if (!anchors.length) anchors = contentStems(w, k - 3, k, isSide).filter((a) => !GENERIC.has(a));
  anchors = anchors.flatMap((a) => [a, ...(BODY_SYNONYMS[a] ?? [])]);
  const known = anchors.filter((a) => index.stems.has(a));
  const same = sidePlaces(index, side);
  const other = sidePlaces(index, side === 'left' ? 'right' : 'left');
  // Said in the same words ("of the left knee"): supported.
  const verbatim = same.find((p) => {
    const t = index.turns[p.turn]!.words;
    return t[p.at - 1]?.norm === w[k - 1]?.norm && t[p.at + 1]?.norm === w[k + 1]?.norm && w[k - 1] !== undefined && w[k + 1] !== undefined;
  });
  if (verbatim) return verbatim;
  if (known.length) {
    const near = same.find((p) => nearAny(index, p, known, window));
    if (near) return near;
    if (other.some((p) => nearAny(index, p, known, window))) return undefined;
  }
  return same.length > 0 && same.length * 2 >= other.length ? true : undefined;
}
