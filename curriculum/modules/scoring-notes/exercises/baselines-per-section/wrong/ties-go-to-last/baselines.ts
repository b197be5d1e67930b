import { COPY_METHODS, DIVISIONS, baselinePredictions, evaluateNotes, type CopyMethod, type Division, type Encounter, type GroupScores } from 'medigen-lab';

/**
 * The mean ROUGE-1 F1 (0 to 1) of each of the four sections when a no-model baseline's "note"
 * is scored against the doctors' notes, exactly as ACI-BENCH scores sections.
 */
export async function sectionRouge1(encounters: Encounter[], method: CopyMethod): Promise<Record<Division, number>> {
  const predictions = baselinePredictions(encounters, method).map((e) => ({ encounterId: e.encounterId, note: e.note }));
  const evaluation = await evaluateNotes(encounters, predictions);
  const scores = {} as Record<Division, number>;
  for (const d of DIVISIONS) scores[d] = (evaluation.results[`division-${d}`] as GroupScores).rouge1!;
  return scores;
}

/**
 * For each section, the baseline with the highest mean ROUGE-1 F1 and that score. When two
 * baselines score the same, the one listed first in COPY_METHODS wins.
 */
export async function bestPerSection(encounters: Encounter[]): Promise<Record<Division, { method: CopyMethod; rouge1: number }>> {
  const best = {} as Record<Division, { method: CopyMethod; rouge1: number }>;
  for (const method of COPY_METHODS) {
    const scores = await sectionRouge1(encounters, method);
    for (const d of DIVISIONS) {
      if (best[d] === undefined || scores[d] >= best[d].rouge1) best[d] = { method, rouge1: scores[d] };
    }
  }
  return best;
}
