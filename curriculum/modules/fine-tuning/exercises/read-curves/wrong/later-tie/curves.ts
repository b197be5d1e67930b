import { replayRun } from 'medigen-lab';

/** Where a run's validation loss stopped improving. */
export interface StopPoint {
  /** The step with the lowest validation loss (the earlier one when two are equal). */
  bestStep: number;
  /** That lowest validation loss. */
  bestLoss: number;
  /** True when the last validation loss is more than 1% above the best one: the run went past its best point. */
  overfitting: boolean;
}

/** Reads the finished run in the folder `runDir` and says where validation stopped improving. */
export function whereValidationStopped(runDir: string): StopPoint {
  const run = replayRun(runDir);
  if (run.evalLoss.length === 0) throw new Error(`The run in ${runDir} has no validation loss yet.`);
  let best = run.evalLoss[0]!;
  for (const point of run.evalLoss) if (point.value <= best.value) best = point;
  const last = run.evalLoss[run.evalLoss.length - 1]!;
  return { bestStep: best.step, bestLoss: best.value, overfitting: last.value > best.value * 1.01 };
}
