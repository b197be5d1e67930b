import { evaluateNotes, loadGold, loadPredictions, tokenize, worstNotes, type Division } from 'medigen-lab';

/** The note to read first, and what it missed. */
export interface WorstNote {
  encounterId: string;
  /** Its whole-note ROUGE-Lsum F1 (0 to 1): the lowest of the file. */
  rougeLsum: number;
  /** Sections the doctor's note has and the generated note lacks, in ACI-BENCH's order. */
  missingSections: Division[];
  /** ROUGE words of the doctor's note that never appear in the generated note, each once, in order of first appearance. */
  missedWords: string[];
}

/**
 * Scores a predictions CSV against a split of a corpus and returns its worst note: the one with
 * the lowest whole-note ROUGE-Lsum F1 (the earliest one when several are equally low).
 */
export async function worstNote(predictionsFile: string, split: string, corpusDir: string): Promise<WorstNote> {
  const gold = loadGold(split, { corpus: corpusDir }).encounters;
  const evaluation = await evaluateNotes(gold, loadPredictions(predictionsFile));
  const worst = worstNotes(evaluation)[0]!;
  const missingSections = worst.present.reference.filter((d) => !worst.present.prediction.includes(d));
  const reference = gold.find((e) => e.encounterId === worst.encounterId)!.note;
  const predicted = new Set(tokenize(loadPredictions(predictionsFile).find((p) => p.encounterId === worst.encounterId)?.note ?? ''));
  const missedWords: string[] = [];
  for (const word of tokenize(reference)) {
    if (!predicted.has(word)) missedWords.push(word);
  }
  return { encounterId: worst.encounterId, rougeLsum: worst.full.rougeLsum.fmeasure, missingSections, missedWords };
}
