import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { COURSE_RUN_PROTOCOL, COURSE_RUN_BEST } from './recorded';

interface StopPoint {
  bestStep: number;
  bestLoss: number;
  overfitting: boolean;
}
interface Student {
  whereValidationStopped(runDir: string): StopPoint;
}

let student: Remote<Student>;
let dir: string;

/** A run folder whose protocol.jsonl holds these training and validation points (what the trainer reports). */
function runFolder(name: string, train: [number, number][], valid: [number, number][]): string {
  const run = join(dir, name);
  mkdirSync(run, { recursive: true });
  const lines: object[] = [{ type: 'started', runId: name, totalSteps: Math.max(...train.map(([s]) => s)), device: 'CPU (2 threads)', gpus: [], quantization: 'none (float32 LoRA on CPU)', trainableParams: 131072, totalParams: 660000, resumedFromStep: 0 }];
  const evals = new Map(valid);
  for (const [step, loss] of train) {
    lines.push({ type: 'step', step, epoch: step / 12, loss, lr: 1e-2, tokensPerSecond: 400, gpuMemory: 0, gpuMemoryPeak: 0, elapsed: step * 2 });
    if (evals.has(step)) lines.push({ type: 'eval', step, evalLoss: evals.get(step), examples: 20 });
  }
  lines.push({ type: 'finished', step: train.at(-1)![0], adapterDir: join(run, 'adapter'), trainLoss: train.at(-1)![1], bestEvalLoss: Math.min(...valid.map(([, v]) => v)), elapsed: 100, gpuMemoryPeak: 0 });
  writeFileSync(join(run, 'protocol.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return run;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'read-curves-'));
  student = await loadStudent<Student>('curves.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('read-curves', () => {
  // Made-up runs, shaped like what the trainer reports: one that overfits after step 18, one whose
  // validation loss ties at its best and then wobbles by less than 1 %.
  const OVERFIT_TRAIN: [number, number][] = [[6, 3.71], [12, 2.96], [18, 2.41], [24, 1.88], [30, 1.35], [36, 0.92]];
  const OVERFIT_VALID: [number, number][] = [[6, 4.92], [12, 4.31], [18, 4.07], [24, 4.12], [30, 4.35], [36, 4.71]];
  const TIE_TRAIN: [number, number][] = [[10, 5.3], [20, 4.7], [30, 4.2], [40, 3.9], [50, 3.7]];
  const TIE_VALID: [number, number][] = [[10, 5.1], [20, 4.6], [30, 4.4], [40, 4.4], [50, 4.42]];

  it('whereValidationStopped names the step of the lowest validation loss in an overfitting run (not the lowest training loss)', async () => {
    const got = await student.whereValidationStopped(runFolder('overfit', OVERFIT_TRAIN, OVERFIT_VALID));
    // A misspelled field of the points (point.loss, point.epoch) gives undefined, not a number.
    const empty = (['bestStep', 'bestLoss'] as const).filter((k) => typeof got?.[k] !== 'number' || Number.isNaN(got[k]));
    if (empty.length) assert.fail(`Your code gave no number for ${empty.join(' and ')} (it gave ${JSON.stringify(got)}). Each point of run.evalLoss has exactly two fields, step and value (the validation loss): point.step and point.value. Any other name, such as point.loss, gives undefined.`);
    assert.equal(got?.bestStep, 18, `In this run validation loss is lowest at step 18 (4.07) and rises after it, while the training loss keeps falling; your code said step ${got?.bestStep}`);
    assert.equal(got?.bestLoss, 4.07, `The lowest validation loss of this run is 4.07; your code said ${got?.bestLoss}`);
  });

  it('whereValidationStopped says a run is overfitting when its last validation loss is more than 1% above its best', async () => {
    const over = await student.whereValidationStopped(runFolder('overfit-2', OVERFIT_TRAIN, OVERFIT_VALID));
    assert.equal(over?.overfitting, true, 'The last validation loss (4.71) is 16% above the best (4.07): the run is overfitting');
    const tie = await student.whereValidationStopped(runFolder('wobble', TIE_TRAIN, TIE_VALID));
    assert.equal(tie?.overfitting, false, 'The last validation loss (4.42) is within 1% of the best (4.40): that is noise, not overfitting');
  });

  it('whereValidationStopped keeps the earlier step when two validation losses tie for the best', async () => {
    const got = await student.whereValidationStopped(runFolder('tie', TIE_TRAIN, TIE_VALID));
    assert.equal(got?.bestStep, 30, `Validation loss is 4.40 at steps 30 and 40: it stopped improving at step 30; your code said ${got?.bestStep}`);
  });

  it('whereValidationStopped on a recorded run: the CPU course run (its protocol.jsonl as the trainer wrote it)', async () => {
    const run = join(dir, 'course-run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'protocol.jsonl'), COURSE_RUN_PROTOCOL);
    const got = await student.whereValidationStopped(run);
    assert.deepEqual(got, COURSE_RUN_BEST, `In the recorded CPU course run the lowest validation loss is ${COURSE_RUN_BEST.bestLoss} at step ${COURSE_RUN_BEST.bestStep}; your code gave ${JSON.stringify(got)}`);
  });
});
