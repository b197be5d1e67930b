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
  // table[i][j]: the LCS length of the first i words of a and the first j words of b.
  const table: number[][] = [];
  for (let i = 0; i <= a.length; i++) table.push(new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      if (a[i] === b[j]) table[i]![j] = table[i - 1]![j - 1]! + 1;
      else table[i]![j] = Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
    }
  }
  return table[a.length]![b.length]!;
}

/**
 * ROUGE-L of a prediction against a reference: the LCS of their ROUGE words (`tokenize` from
 * medigen-lab) is the number of hits; precision = hits / prediction words, recall = hits /
 * reference words, F1 as in ROUGE-1. All 0 when either text has no words.
 */
export function rougeL(reference: string, prediction: string): Score {
  const ref = tokenize(reference);
  const pred = tokenize(prediction);
  if (ref.length === 0 || pred.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const hits = lcsLength(ref, pred);
  const precision = hits / pred.length;
  const recall = hits / ref.length;
  const fmeasure = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, fmeasure };
}
