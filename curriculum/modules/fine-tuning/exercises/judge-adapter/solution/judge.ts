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
  if (!summary) throw new Error(`${paths.summary} is missing: evaluate the run first (medigen train evaluate ${runDir} --model <base>).`);
  const row = summary.rows.find((r) => r.group === 'ALL' && r.metric === 'rouge1');
  if (!row) throw new Error(`${paths.summary} has no ALL / rouge1 row.`);
  const withHeadings = (file: string) => loadPredictions(file).filter((p) => sectionHeadersIn(p.note, DEFAULT_NOTE_SECTIONS).length > 0).length;
  return {
    rouge1: { base: row.base, finetuned: row.finetuned },
    gain: row.finetuned - row.base,
    withHeadings: { base: withHeadings(paths.baseCsv), finetuned: withHeadings(paths.finetunedCsv) },
    better: row.finetuned > row.base,
  };
}
