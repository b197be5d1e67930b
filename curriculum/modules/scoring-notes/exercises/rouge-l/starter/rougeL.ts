import { tokenize } from 'medigen-lab';

/** Precision, recall and F1 of one comparison, each between 0 and 1. */
export interface Score {
  precision: number;
  recall: number;
  fmeasure: number;
}

/**
 * Length of the longest common subsequence of two word lists: the most words that appear in
 * both lists in the same order, gaps allowed. ["knee", "pain", "two", "weeks"] and
 * ["knee", "swelling", "and", "pain", "weeks"] have 3 ("knee", "pain", "weeks").
 */
export function lcsLength(a: string[], b: string[]): number {
  // TODO: fill a table of (a.length + 1) rows and (b.length + 1) columns, starting at 0:
  // same word -> the cell up-left + 1, otherwise the larger of the cell above and the cell to the left.
  throw new Error(`TODO: the longest common subsequence of ${a.length} and ${b.length} words`);
}

/**
 * ROUGE-L of a prediction against a reference: the LCS of their ROUGE words (`tokenize` from
 * medigen-lab) is the number of hits; precision = hits / prediction words, recall = hits /
 * reference words, F1 as in ROUGE-1. All 0 when either text has no words.
 */
export function rougeL(reference: string, prediction: string): Score {
  const ref = tokenize(reference);
  const pred = tokenize(prediction);
  // TODO: hits = lcsLength(ref, pred); then precision, recall and fmeasure.
  throw new Error(`TODO: ROUGE-L of ${pred.length} predicted words against ${ref.length} reference words`);
}
