import { DEFAULT_NOTE_SECTIONS, evaluationPaths, loadPredictions, readEvaluation, sectionHeadersIn } from 'medigen-lab';

/** What an evaluated run shows against its base model. */
export interface Verdict {
  /** Whole-note ROUGE-1 F1 (group "ALL", metric "rouge1") of the base model and of the fine-tuned one. */
  rouge1: { base: number; finetuned: number };
  /** finetuned − base: above 0 when fine-tuning helped. */
  gain: number;
  /** How many notes of each model have at least one of the six section headings on a line of its own. */
  withHeadings: { base: number; finetuned: number };
  /** True when the fine-tuned notes score strictly higher ROUGE-1 than the base model's. */
  better: boolean;
}

/**
 * Reads the evaluation that `medigen train evaluate` (or Evaluate Adapter) wrote into the run folder
 * `runDir` (evaluation/summary.json, evaluation/base.csv, evaluation/finetuned.csv) and judges it.
 */
export function judgeRun(runDir: string): Verdict {
  const paths = evaluationPaths(runDir);
  const summary = readEvaluation(runDir);
  // TODO: find the ALL / rouge1 row of summary.rows; count the notes of paths.baseCsv and
  // paths.finetunedCsv (loadPredictions) that have a heading (sectionHeadersIn(note, DEFAULT_NOTE_SECTIONS)).
  // Delete the next line when you write your code (it only keeps the imports in use).
  void [paths, summary, loadPredictions, sectionHeadersIn, DEFAULT_NOTE_SECTIONS];
  throw new Error(`Not written yet: judgeRun should judge the evaluation in the run folder. Replace this line with your code (the TODO comment just above it, in judge.ts, says how).`);
}
