/**
 * Live ROUGE: the task metric during training. At step 0 and at each evaluation the trainer writes
 * greedy notes for a fixed sample of validation encounters (live-rouge/step-N.jsonl, with their
 * reference notes); this module scores them with MediGen Lab's exact ACI-BENCH ROUGE
 * (models/eval evaluateNotes: per-note F1, numpy's mean, the "ALL" group of the benchmark's
 * script) and turns the result into the `rouge` message the launcher records.
 */
import { readFileSync } from 'node:fs';
import { MedigenError } from '../../core/index';
import { evaluateNotes, type GroupScores } from '../eval/index';
import type { Encounter } from '../../datasets/index';
import type { LiveRougePoint, TrainerMessage } from './protocol';

/** One generated note of the live-ROUGE sample, as trainer.py writes it. */
export interface LiveNote {
  /** Position of its example in the run's validation data. */
  index: number;
  reference: string;
  prediction: string;
  /** New tokens generated, and whether the token limit cut the note. */
  tokens: number;
  cut: boolean;
}

/** Reads a live-ROUGE notes file; a MedigenError names the file and line of a bad note. */
export function readLiveNotes(file: string): LiveNote[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MedigenError(`The live-ROUGE notes file ${file} cannot be read: ${(e as Error).message}.`, 'The trainer writes it at each evaluation; check the run folder was not moved or cleaned while the run was going.', { cause: e });
  }
  const notes: LiveNote[] = [];
  text.split('\n').forEach((line, k) => {
    if (!line.trim()) return;
    let o: Partial<LiveNote>;
    try {
      o = JSON.parse(line) as Partial<LiveNote>;
    } catch {
      throw new MedigenError(`${file} line ${k + 1} is not JSON.`, 'The file was cut off or edited; the next evaluation writes a fresh one.');
    }
    if (typeof o.index !== 'number' || typeof o.reference !== 'string' || typeof o.prediction !== 'string') {
      throw new MedigenError(`${file} line ${k + 1} is not a live-ROUGE note (it needs index, reference and prediction).`, 'Use the trainer.py shipped with MediGen Lab, which writes these files.');
    }
    notes.push({ index: o.index, reference: o.reference, prediction: o.prediction, tokens: typeof o.tokens === 'number' ? o.tokens : 0, cut: o.cut === true });
  });
  if (!notes.length) throw new MedigenError(`The live-ROUGE notes file ${file} has no notes.`, 'Check training.liveRougeSamples is above 0 and the validation split has encounters.');
  return notes;
}

/** ACI-BENCH ROUGE of the notes: the mean per-note F1 (0..1) of rouge1, rouge2, rougeL and rougeLsum. */
export async function scoreLiveNotes(notes: readonly LiveNote[]): Promise<Pick<LiveRougePoint, 'rouge1' | 'rouge2' | 'rougeL' | 'rougeLsum' | 'notes' | 'empty' | 'cut'>> {
  const gold: Encounter[] = notes.map((n) => ({ dataset: 'valid', encounterId: `valid-${n.index}`, dialogue: '', note: n.reference }));
  const evaluation = await evaluateNotes(gold, notes.map((n) => ({ encounterId: `valid-${n.index}`, note: n.prediction })));
  const all = evaluation.results.ALL as GroupScores;
  return {
    rouge1: all.rouge1!,
    rouge2: all.rouge2!,
    rougeL: all.rougeL!,
    rougeLsum: all.rougeLsum!,
    notes: notes.length,
    empty: notes.filter((n) => !n.prediction.trim()).length,
    cut: notes.filter((n) => n.cut).length,
  };
}

/**
 * The message recorded for a `samples` message: its ROUGE, or a warning saying why these notes
 * could not be scored (the run goes on either way).
 */
export async function rougeForSamples(m: Extract<TrainerMessage, { type: 'samples' }>): Promise<TrainerMessage> {
  try {
    return { type: 'rouge', step: m.step, file: m.file, ...(await scoreLiveNotes(readLiveNotes(m.file))) };
  } catch (e) {
    const why = e instanceof MedigenError ? `${e.message} ${e.hint}` : (e as Error).message;
    return { type: 'log', level: 'warning', message: `Live ROUGE at step ${m.step} could not be scored: ${why}` };
  }
}
