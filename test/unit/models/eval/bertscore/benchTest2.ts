/**
 * Measures BERTScore over the 40 ACI-BENCH test2 notes vs BioBART's predictions with the tiny
 * generated encoder (not a mocha test: `npx tsx test/unit/models/eval/bertscore/benchTest2.ts [runs]`).
 * Prints cold (first call, model load included) and warm times, and the mean scores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bertScore, releaseBertScoreModel } from '../../../../../models/eval/index';
import { makeTinyEncoder } from '../../../../../models/tiny/index';
import { test2Pairs } from './test2Pairs';

const runs = Number(process.argv[2] ?? 3);
const tmp = mkdtempSync(join(tmpdir(), 'medigen-bertscore-bench-'));
const model = makeTinyEncoder(join(tmp, 'model'), { seed: 1 }).dir;
const { refs, cands } = test2Pairs();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const t0 = performance.now();
await import('@huggingface/transformers');
const importMs = performance.now() - t0;
const times: number[] = [];
let last = { precision: [0], recall: [0], f1: [0] };
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  last = await bertScore(refs, cands, { modelDir: model });
  times.push(performance.now() - t);
}
await releaseBertScoreModel();
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ notes: refs.length, importMs: Math.round(importMs), coldMs: Math.round(times[0]!), warmMs: times.slice(1).map(Math.round), meanP: mean(last.precision), meanR: mean(last.recall), meanF1: mean(last.f1) })}\n`,
);
