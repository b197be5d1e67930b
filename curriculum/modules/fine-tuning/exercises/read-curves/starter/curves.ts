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
  // TODO: look at run.evalLoss (a list of { step, value }, in step order).
  throw new Error(`Not written yet: whereValidationStopped should find the best of the run's ${run.evalLoss.length} validation points. Replace this line with your code (the TODO comment just above it, in curves.ts, says how).`);
}
