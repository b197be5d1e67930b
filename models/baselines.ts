/**
 * The no-model baselines of the ACI-BENCH paper (Yim et al. 2023): a "note" made by copying part
 * of the dialogue. They show how much ROUGE a system gets for free, so a student can tell whether
 * their generator beats copying.
 *
 * Details (chosen by measuring which version reproduces the paper's test1 figures; see the
 * baseline tests): a turn is a speaker turn of the dialogue without its `[doctor]`-style tag;
 * "longest" counts words (ties go to the earlier turn); "12 turns" are the first 2 and the last 10
 * turns (all turns when there are 12 or fewer), one per paragraph.
 *
 * "retrieval" is the paper's stronger no-model baseline: the note of the most similar dialogue of
 * a pool of other encounters (the train and valid splits; see retrieval.ts).
 */
import { parseTurns, type Turn } from '../datasets/index';
import { writeCsv } from '../datasets/index';
import type { Encounter } from '../datasets/index';
import { MedigenError } from '../core/index';
import { RetrievalIndex } from './retrieval';

/** The baselines that copy part of the dialogue, in the paper's order. */
export const COPY_METHODS = ['transcript', 'longest-speaker-turn', 'longest-doctor-turn', '12-speaker-turns', '12-doctor-turns'] as const;
export type CopyMethod = (typeof COPY_METHODS)[number];
/** All baseline methods: the copy baselines, then retrieval. */
export const BASELINE_METHODS = [...COPY_METHODS, 'retrieval'] as const;
export type BaselineMethod = (typeof BASELINE_METHODS)[number];

/** One-line description of each method, for help texts and reports. */
export const BASELINE_DESCRIPTIONS: Readonly<Record<BaselineMethod, string>> = {
  transcript: 'the whole dialogue, copied as the note',
  'longest-speaker-turn': 'the longest turn (in words) of any speaker',
  'longest-doctor-turn': 'the longest turn (in words) of the doctor',
  '12-speaker-turns': 'the first 2 and last 10 turns of any speaker',
  '12-doctor-turns': 'the first 2 and last 10 turns of the doctor',
  retrieval: 'the note of the most similar train/valid dialogue (BM25); never the split being written',
};

/** ROUGE-1 (F1 × 100) on test1 that the ACI-BENCH paper reports, where known. */
export const PAPER_TEST1_ROUGE1: Readonly<Partial<Record<BaselineMethod, number>>> = {
  transcript: 32.84,
  'longest-speaker-turn': 27.84,
  '12-doctor-turns': 35.88,
  retrieval: 43.87,
};

/** True when `name` is a baseline method. */
export function isBaselineMethod(name: string): name is BaselineMethod {
  return (BASELINE_METHODS as readonly string[]).includes(name);
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function longest(turns: readonly Turn[]): string {
  let best: Turn | undefined;
  for (const t of turns) if (!best || words(t.text) > words(best.text)) best = t;
  return best?.text ?? '';
}

function firstAndLast(turns: readonly Turn[], first = 2, last = 10): string {
  const chosen = turns.length <= first + last ? turns : [...turns.slice(0, first), ...turns.slice(turns.length - last)];
  return chosen.map((t) => t.text).join('\n\n');
}

/** True when `name` is a method that copies part of the dialogue (needs no pool). */
export function isCopyMethod(name: string): name is CopyMethod {
  return (COPY_METHODS as readonly string[]).includes(name);
}

/** The note a copy baseline writes for one dialogue. Speaker names are compared in lower case. */
export function baselineNote(dialogue: string, method: CopyMethod): string {
  if (method === 'transcript') return dialogue;
  const all = parseTurns(dialogue).turns;
  const doctor = all.filter((t) => t.speaker === 'doctor');
  switch (method) {
    case 'longest-speaker-turn':
      return longest(all);
    case 'longest-doctor-turn':
      return longest(doctor);
    case '12-speaker-turns':
      return firstAndLast(all);
    case '12-doctor-turns':
      return firstAndLast(doctor);
  }
}

export interface BaselineOptions {
  /**
   * For "retrieval": the encounters whose notes may be returned (train + valid; see
   * retrievalPool). Any pool encounter with the id or the dialogue of an encounter being written
   * is left out, so a split never retrieves its own notes. Required for "retrieval".
   */
  pool?: readonly Encounter[];
}

/** The encounters with each note replaced by the baseline's note (dialogue, ids and subset kept). */
export function baselinePredictions(encounters: readonly Encounter[], method: BaselineMethod, options: BaselineOptions = {}): Encounter[] {
  if (!isBaselineMethod(method)) {
    throw new MedigenError(`"${String(method)}" is not a baseline method.`, `Choose one of: ${BASELINE_METHODS.join(', ')}.`);
  }
  if (method === 'retrieval') {
    if (!options.pool) throw new MedigenError('The retrieval baseline needs a pool of encounters with notes to choose from.', 'Pass the train and valid splits (retrievalPool(corpusDir)).');
    const index = new RetrievalIndex(options.pool, { exclude: encounters });
    return encounters.map((e) => ({ dataset: e.dataset, encounterId: e.encounterId, dialogue: e.dialogue, note: index.nearest(e.dialogue).encounter.note }));
  }
  return encounters.map((e) => ({ dataset: e.dataset, encounterId: e.encounterId, dialogue: e.dialogue, note: baselineNote(e.dialogue, method) }));
}

/** Predictions as an ACI-BENCH CSV (dataset,encounter_id,dialogue,note), ready for `medigen eval`. */
export function predictionsCsv(encounters: readonly Encounter[]): string {
  return writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], encounters.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note]));
}
