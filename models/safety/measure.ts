/**
 * Measuring faithfulness tracing on planted data (see plant.ts): how many planted details it
 * catches, and how many sentences of the unmodified reference notes it flags. A planted sentence
 * counts as caught only when it is flagged and its unmodified version is not.
 */
import type { Encounter } from '../../datasets/index';
import { indexDialogue, metadataFacts } from './dialogue';
import { traceFaithfulness, traceSentence } from './faithfulness';
import { PLANT_KINDS, plantUnsupported, type Plant, type PlantKind } from './plant';
import { IDENTIFIER_KINDS, scanIdentifiers, type IdentifierKind } from './identifiers';
import { plantIdentifiers } from './plantIdentifiers';
import { splitSentences, words } from './text';

export interface FaithfulnessMeasurement {
  notes: number;
  /** Sentences of the unmodified reference notes, and how many were flagged. */
  sentences: number;
  flagged: number;
  flaggedRate: number;
  planted: Record<PlantKind, { planted: number; caught: number; rate: number }>;
  plantedTotal: number;
  caughtTotal: number;
  caughtRate: number;
  /** Mean milliseconds to trace one reference note, dialogue preparation included. */
  msPerNote: number;
  /** Planted details that were not caught, for looking at. */
  missed: { encounterId: string; plant: Plant; sentence: string; originalFlagged: boolean }[];
}

/** Plants details into each encounter's reference note (seeded) and measures the tracer on them. */
export function measureFaithfulness(encounters: readonly Encounter[], seed = 14, perKind = 2): FaithfulnessMeasurement {
  const planted = Object.fromEntries(PLANT_KINDS.map((k) => [k, { planted: 0, caught: 0, rate: 0 }])) as FaithfulnessMeasurement['planted'];
  let sentences = 0;
  let flagged = 0;
  let ms = 0;
  const missed: FaithfulnessMeasurement['missed'] = [];
  encounters.forEach((e, n) => {
    const t0 = performance.now();
    const index = indexDialogue(e.dialogue, metadataFacts(e.metadata));
    const traced = traceFaithfulness(index, e.note);
    ms += performance.now() - t0;
    sentences += traced.length;
    flagged += traced.filter((s) => !s.supported).length;
    const flaggedAt = new Set(traced.filter((s) => !s.supported).map((s) => s.start));
    for (const p of plantUnsupported(e.note, index, seed * 1000 + n, perKind)) {
      const changed = splitSentences(p.note).find((s) => s.start <= p.at && p.at <= s.end);
      const caught = !!changed && !flaggedAt.has(p.original.start) && !traceSentence(index, changed.text).supported;
      planted[p.kind].planted++;
      if (caught) planted[p.kind].caught++;
      else missed.push({ encounterId: e.encounterId, plant: p, sentence: changed?.text ?? '', originalFlagged: flaggedAt.has(p.original.start) });
    }
  });
  for (const k of PLANT_KINDS) planted[k].rate = planted[k].planted ? planted[k].caught / planted[k].planted : 0;
  const plantedTotal = PLANT_KINDS.reduce((a, k) => a + planted[k].planted, 0);
  const caughtTotal = PLANT_KINDS.reduce((a, k) => a + planted[k].caught, 0);
  return {
    notes: encounters.length, sentences, flagged, flaggedRate: sentences ? flagged / sentences : 0, planted, plantedTotal, caughtTotal,
    caughtRate: plantedTotal ? caughtTotal / plantedTotal : 0, msPerNote: encounters.length ? ms / encounters.length : 0, missed,
  };
}

export interface IdentifierMeasurement {
  dialogues: number;
  planted: Record<IdentifierKind, { planted: number; removed: number; rate: number }>;
  plantedTotal: number;
  removedTotal: number;
  removedRate: number;
  /** Words outside the planted identifiers, and how many survived scrubbing. */
  otherWords: number;
  keptWords: number;
  keptRate: number;
  missed: { encounterId: string; kind: IdentifierKind; value: string; context: string }[];
}

/**
 * Plants identifiers into each dialogue (seeded) and scrubs it: an identifier counts as removed
 * when every word of it is inside something the guard found; the other words count as kept when
 * they are outside everything it found.
 */
export function measureIdentifierGuard(encounters: readonly Encounter[], seed = 14, perKind = 2): IdentifierMeasurement {
  const planted = Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, { planted: 0, removed: 0, rate: 0 }])) as IdentifierMeasurement['planted'];
  let otherWords = 0;
  let keptWords = 0;
  const missed: IdentifierMeasurement['missed'] = [];
  encounters.forEach((e, n) => {
    const p = plantIdentifiers(e.dialogue, seed * 1000 + n, perKind);
    const found = scanIdentifiers(p.dialogue);
    const covered = (a: number, b: number) => found.some((h) => h.start <= a && b <= h.end);
    for (const id of p.planted) {
      const ok = words(id.value).every((w) => covered(id.start + w.start, id.start + w.end));
      planted[id.kind].planted++;
      if (ok) planted[id.kind].removed++;
      else missed.push({ encounterId: e.encounterId, kind: id.kind, value: id.value, context: p.dialogue.slice(Math.max(0, id.start - 40), id.end + 20) });
    }
    for (const w of words(p.dialogue)) {
      if (p.planted.some((id) => w.start >= id.start && w.end <= id.end)) continue;
      otherWords++;
      if (!found.some((h) => w.start < h.end && h.start < w.end)) keptWords++;
    }
  });
  for (const k of IDENTIFIER_KINDS) planted[k].rate = planted[k].planted ? planted[k].removed / planted[k].planted : 0;
  const plantedTotal = IDENTIFIER_KINDS.reduce((a, k) => a + planted[k].planted, 0);
  const removedTotal = IDENTIFIER_KINDS.reduce((a, k) => a + planted[k].removed, 0);
  return { dialogues: encounters.length, planted, plantedTotal, removedTotal, removedRate: plantedTotal ? removedTotal / plantedTotal : 0, otherWords, keptWords, keptRate: otherWords ? keptWords / otherWords : 0, missed };
}
