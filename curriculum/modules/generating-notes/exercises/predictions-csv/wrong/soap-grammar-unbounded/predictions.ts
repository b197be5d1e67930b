import { DEFAULT_NOTE_SECTIONS, evaluateNotes, generateSplit, loadGold, loadLlm, loadPredictions, type GroupScores } from 'medigen-lab';

/** What one generation run did. */
export interface RunSummary {
  total: number;
  generated: number;
  complete: boolean;
}

/**
 * Generates a note for the first `limit` encounters of a split (all of them when `limit` is left
 * out) and writes the predictions CSV `out`. Notes follow the default SOAP headers with at most
 * 1 line of 40 characters under each, seed 0, at most 400 tokens each.
 */
export async function generatePredictions(modelPath: string, split: string, corpusDir: string, out: string, limit?: number): Promise<RunSummary> {
  const loaded = await loadLlm(modelPath);
  try {
    const result = await generateSplit(loaded, {
      split,
      corpusDir,
      out,
      ...(limit !== undefined ? { limit } : {}),
      seed: 0,
      maxTokens: 400,
      grammar: 'soap',
    });
    return { total: result.total, generated: result.generated, complete: result.complete };
  } finally {
    await loaded.dispose();
  }
}

/** Scores a predictions CSV against a split like `medigen eval`: the whole-note mean ROUGE-1 and ROUGE-Lsum F1 (0 to 1). */
export async function scorePredictions(predictionsFile: string, split: string, corpusDir: string): Promise<{ rouge1: number; rougeLsum: number }> {
  const gold = loadGold(split, { corpus: corpusDir }).encounters;
  const evaluation = await evaluateNotes(gold, loadPredictions(predictionsFile));
  const all = evaluation.results.ALL as GroupScores;
  return { rouge1: all.rouge1!, rougeLsum: all.rougeLsum! };
}
