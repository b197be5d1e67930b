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
  // TODO: lowercase the text, split it with /[^a-z0-9]+/, and drop the empty pieces.
  throw new Error(`TODO: cut a text of ${text.length} characters into ROUGE words`);
}

/**
 * ROUGE-1 of a generated note (prediction) against the doctor's note (reference).
 * A word counts as a hit at most as many times as it appears in the reference.
 * precision = hits / words of the prediction, recall = hits / words of the reference,
 * fmeasure = 2 * precision * recall / (precision + recall). All 0 when either text has no words.
 */
export function rouge1(reference: string, prediction: string): Score {
  // TODO: count the reference's words, then walk through the prediction's words: a word is a hit
  // while the reference still has an unused copy of it. Then compute precision, recall, fmeasure.
  throw new Error(`TODO: score a prediction of ${prediction.length} characters against a reference of ${reference.length}`);
}
