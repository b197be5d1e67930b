/**
 * Pairs reference (gold) encounters with predicted notes, the way a student's predictions CSV is
 * expected to line up with an ACI-BENCH split: by encounter_id when both sides have one for every
 * row, otherwise by row order. Every mismatch is a MedigenError that says how to fix the file.
 */
import { MedigenError } from '../../core/index';
import type { Encounter } from '../../datasets/index';

/** One predicted note. */
export interface Prediction {
  /** The encounter it was generated for; used to match when every row has one. */
  encounterId?: string;
  note: string;
}

/** How gold and predictions were paired. */
export type MatchedBy = 'encounter_id' | 'row order';

/** Gold encounters with their predicted note, in gold order. */
export interface MatchedPairs {
  gold: Encounter[];
  predictions: string[];
  matchedBy: MatchedBy;
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

function list(ids: string[], max = 5): string {
  return ids.slice(0, max).join(', ') + (ids.length > max ? ` and ${ids.length - max} more` : '');
}

/**
 * Pairs each gold encounter with its prediction. Matches by encounter_id when every gold row and
 * every prediction has one, else by row order. Throws MedigenError when nothing is given, when
 * counts differ (row order), or on duplicate, missing or unknown ids.
 */
export function matchPredictions(gold: readonly Encounter[], predictions: readonly Prediction[]): MatchedPairs {
  if (gold.length === 0) {
    throw new MedigenError('The reference (gold) file has no notes.', 'Point --gold at an ACI-BENCH split file (columns dataset, encounter_id, dialogue, note) or a split name such as test1.');
  }
  if (predictions.length === 0) {
    throw new MedigenError('The predictions file has no notes.', 'Generate notes first (e.g. `medigen baseline` or a model run), then evaluate the CSV it wrote.');
  }
  const byId = gold.every((g) => g.encounterId.trim() !== '') && predictions.every((p) => (p.encounterId ?? '').trim() !== '');
  if (!byId) {
    if (gold.length !== predictions.length) {
      throw new MedigenError(
        `The predictions file has ${predictions.length} notes but the reference has ${gold.length}, and without an encounter_id on every row they can only be matched by row order.`,
        'Generate one note per encounter of the split, in the same order, or add an encounter_id column to the predictions CSV.',
      );
    }
    return { gold: [...gold], predictions: predictions.map((p) => p.note), matchedBy: 'row order' };
  }
  const goldIds = gold.map((g) => g.encounterId.trim());
  const predIds = predictions.map((p) => p.encounterId!.trim());
  const goldDup = duplicates(goldIds);
  if (goldDup.length) {
    throw new MedigenError(`The reference file lists some encounters more than once: ${list(goldDup)}.`, 'Each encounter_id must appear once in the reference file; check that the file was not concatenated with itself.');
  }
  const predDup = duplicates(predIds);
  if (predDup.length) {
    throw new MedigenError(`The predictions file has more than one note for: ${list(predDup)}.`, 'Keep exactly one generated note per encounter_id (delete the extra rows or regenerate).');
  }
  const notes = new Map(predictions.map((p) => [p.encounterId!.trim(), p.note]));
  const missing = goldIds.filter((id) => !notes.has(id));
  const goldSet = new Set(goldIds);
  const unknown = predIds.filter((id) => !goldSet.has(id));
  if (missing.length || unknown.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`${missing.length} reference encounter(s) have no prediction (${list(missing)})`);
    if (unknown.length) parts.push(`${unknown.length} prediction(s) are for encounters not in the reference (${list(unknown)})`);
    throw new MedigenError(`The predictions do not match the reference: ${parts.join('; ')}.`, 'Evaluate the predictions against the split they were generated from (e.g. --gold test1 for test1 predictions), and generate a note for every encounter; to score only the encounters generated (after `generate --limit N`), add --only-predicted.');
  }
  return { gold: [...gold], predictions: goldIds.map((id) => notes.get(id)!), matchedBy: 'encounter_id' };
}
