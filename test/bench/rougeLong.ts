/**
 * ROUGE on one huge predicted note (a runaway generation): a real ACI-BENCH reference note against
 * a prediction of 0.46, 1.8 and 20 MB on one line, the note first and then text that never
 * matches again (the case whose rougeLsum backtrack used to be quadratic: 0.46 MB 6.4 s, 1.8 MB
 * 61 s, 20 MB never finished). Target: time grows at most 1.5x as fast as the size (near linear),
 * so 20 MB (43x the size of 0.46 MB) takes at most 65x as long.
 */
import { join } from 'node:path';
import { projectRoot } from '../../core/index';
import { loadSplit } from '../../datasets/index';
import { RougeScorer } from '../../models/eval/index';
import type { BenchResult } from './rouge';

const SIZES_MB = [0.46, 1.8, 20];
const MAX_GROWTH = 1.5;

export async function benchRougeLong(corpusDir = join(projectRoot(), '..', 'shared', 'aci-bench')): Promise<BenchResult> {
  const gold = loadSplit('test1', join(corpusDir, 'challenge_data')).encounters[0]!;
  const filler = 'the patient reports feeling fine today and ';
  const ms: number[] = [];
  for (const mb of SIZES_MB) {
    const pred = `${gold.note.replace(/\n/g, ' ')} ${filler.repeat(Math.ceil((mb * 1e6) / filler.length))}`;
    const t = performance.now();
    new RougeScorer().score(gold.note, pred);
    ms.push(performance.now() - t);
  }
  const sizeRatio = SIZES_MB.at(-1)! / SIZES_MB[0]!;
  const timeRatio = ms.at(-1)! / ms[0]!;
  const ok = timeRatio <= sizeRatio * MAX_GROWTH;
  const line =
    `ROUGE on one huge note: ${SIZES_MB.map((mb, k) => `${mb} MB ${(ms[k]! / 1000).toFixed(2)} s`).join(', ')}; ` +
    `20 MB / 0.46 MB: time ${timeRatio.toFixed(1)}x for ${sizeRatio.toFixed(1)}x the size (target <= ${(sizeRatio * MAX_GROWTH).toFixed(0)}x, near linear)`;
  return { name: 'rouge-long', ok, line, figures: { ms046: ms[0]!, ms18: ms[1]!, ms20: ms[2]!, timeRatio, sizeRatio } };
}
