import { COPY_METHODS, DIVISIONS, baselinePredictions, evaluateNotes, type CopyMethod, type Division, type Encounter, type GroupScores } from 'medigen-lab';

/**
 * The mean ROUGE-1 F1 (0 to 1) of each of the four sections when a no-model baseline's "note"
 * is scored against the doctors' notes, exactly as ACI-BENCH scores sections.
 */
export async function sectionRouge1(encounters: Encounter[], method: CopyMethod): Promise<Record<Division, number>> {
  const predictions = baselinePredictions(encounters, method).map((e) => ({ encounterId: e.encounterId, note: e.note }));
  // TODO: score them with `await evaluateNotes(encounters, predictions)`, then for each section d
  // of DIVISIONS read the rouge1 of `evaluation.results['division-' + d]` (a GroupScores).
  throw new Error(`TODO: score the ${predictions.length} notes of ${method} section by section (${DIVISIONS.join(', ')})`);
}

/**
 * For each section, the baseline with the highest mean ROUGE-1 F1 and that score. When two
 * baselines score the same, the one listed first in COPY_METHODS wins.
 */
export async function bestPerSection(encounters: Encounter[]): Promise<Record<Division, { method: CopyMethod; rouge1: number }>> {
  const best = {} as Record<Division, { method: CopyMethod; rouge1: number }>;
  // TODO: for each method of COPY_METHODS, get its sectionRouge1 and keep, per section,
  // the method whose score is strictly higher than the best so far.
  throw new Error(`TODO: find the best of ${COPY_METHODS.length} baselines for ${encounters.length} encounters (so far ${JSON.stringify(best)})`);
}
