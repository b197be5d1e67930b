/**
 * Measuring faithfulness tracing on planted data (see plant.ts): how many planted details it
 * catches, and how many sentences of the unmodified reference notes it flags. A planted sentence
 * counts as caught only when it is flagged and its unmodified version is not.
 */
import type { Encounter } from '../../datasets/index';
import { indexDialogue, metadataFacts } from './dialogue';
import { traceFaithfulness, traceSentence } from './faithfulness';
import { PLANT_KINDS, plantUnsupported, type Plant, type PlantKind } from './plant';
import { splitSentences } from './text';

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
  missed: { encounterId: string; plant: Plant; sentence: string }[];
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
      else missed.push({ encounterId: e.encounterId, plant: p, sentence: changed?.text ?? '' });
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
