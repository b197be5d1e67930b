/** Precision, recall and F1 of one comparison, each between 0 and 1. */
export interface Score {
  precision: number;
  recall: number;
  fmeasure: number;
}

/**
 * The words ROUGE compares: the text in lower case, with every run of characters other than
 * a-z and 0-9 treated as a space. "BP 120/80, stable." gives ["bp", "120", "80", "stable"].
 */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * ROUGE-1 of a generated note (prediction) against the doctor's note (reference).
 * A word counts as a hit at most as many times as it appears in the reference.
 * precision = hits / words of the prediction, recall = hits / words of the reference,
 * fmeasure = 2 * precision * recall / (precision + recall). All 0 when either text has no words.
 */
export function rouge1(reference: string, prediction: string): Score {
  const ref = rougeTokens(reference);
  const pred = rougeTokens(prediction);
  const left: Record<string, number> = {};
  for (const word of ref) left[word] = (left[word] ?? 0) + 1;
  let hits = 0;
  for (const word of pred) {
    if ((left[word] ?? 0) > 0) {
      hits++;
      left[word]!--;
    }
  }
  const precision = hits / pred.length;
  const recall = hits / ref.length;
  const fmeasure = (2 * precision * recall) / (precision + recall);
  return { precision, recall, fmeasure };
}
