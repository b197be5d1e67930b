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

// Words either side of a side said in the visit that count as its context; how far the other side's context must win by; how many times as often it must be said there.
const SPAN = 12;
const MARGIN = 1;
const RATIO = 3;
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

/** How much of a sentence's content (stem → weight) the dialogue says within `span` words of a place. */
function contextScore(index: DialogueIndex, p: Place, context: Map<string, number>, span: number): number {
  const stems = index.turns[p.turn]!.stems;
  const seen = new Set<string>();
  let score = 0;
  for (let j = Math.max(0, p.at - span); j < Math.min(stems.length, p.at + span + 1); j++) {
    const weight = context.get(stems[j]!);
    if (weight !== undefined && !seen.has(stems[j]!)) (score += weight), seen.add(stems[j]!);
  }
  return score;
}

/** The sentence's content stems that the dialogue says, each weighted by how rare it is there (idf over turns). */
function sentenceContext(index: DialogueIndex, w: readonly Word[]): Map<string, number> {
  const context = new Map<string, number>();
  const n = index.turns.length || 1;
  for (const s of contentStems(w, 0, w.length, (j) => SIDES[w[j]!.norm] !== undefined)) {
    const places = index.stems.get(s);
    if (places && !context.has(s)) context.set(s, Math.log(1 + n / new Set(places.map((p) => p.turn)).size));
  }
  return context;
}

/**
 * A side is supported when the dialogue says it near what it is the side of, and contradicted when
 * it says only the other side there, or says the other side there far more often or in words far
 * closer to the sentence's. When the dialogue never gives a side there, the side must be one the
 * visit talks about (not far outnumbered by the other side; said at all when the sentence compares
 * both sides with nothing to place them by).
 */
export function sideSupported(index: DialogueIndex, w: readonly Word[], k: number, window: number, comparing = false): Place | undefined | true {
  const side = w[k]!.norm;
  const isSide = (j: number) => SIDES[w[j]!.norm] !== undefined;
  let anchors = contentStems(w, k + 1, k + 4, isSide).filter((a) => !GENERIC.has(a));
  if (!anchors.length) anchors = contentStems(w, k - 3, k, isSide).filter((a) => !GENERIC.has(a));
  anchors = anchors.flatMap((a) => [a, ...(BODY_SYNONYMS[a] ?? [])]);
  const known = anchors.filter((a) => index.stems.has(a));
  const same = sidePlaces(index, side);
  const other = sidePlaces(index, side === 'left' ? 'right' : 'left');
  if (known.length) {
    const sameNear = same.filter((p) => nearAny(index, p, known, window));
    const otherNear = other.filter((p) => nearAny(index, p, known, window));
    if (sameNear.length && !otherNear.length) return sameNear[0];
    if (!sameNear.length && otherNear.length) return undefined;
    if (sameNear.length) {
      const context = sentenceContext(index, w);
      const best = (ps: Place[]) => ps.map((p) => [p, contextScore(index, p, context, SPAN)] as const).sort((a, b) => b[1] - a[1])[0]!;
      const [bestSame, sameScore] = best(sameNear);
      // Where the visit says both sides together ("left leg pain , right leg pain"), their context is shared.
      const together = (p: Place) => sameNear.some((q) => q.turn === p.turn && Math.abs(q.at - p.at) <= SPAN);
      const apart = otherNear.filter((p) => !together(p));
      const otherScore = apart.length ? best(apart)[1] : -1;
      if (otherScore > sameScore + MARGIN) return undefined;
      if (otherNear.length >= RATIO * sameNear.length && (otherScore >= sameScore || !apart.length)) return undefined;
      return bestSame;
    }
  }
  if (comparing && !known.length) return same.length > 0 ? true : undefined;
  return same.length > 0 && same.length * 2 >= other.length ? true : undefined;
}
