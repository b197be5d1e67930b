/**
 * ROUGE scoring benchmark: our scorer against the plain-Python reference (the same algorithm as
 * rouge_score) on the three ACI-BENCH test splits: 120 notes, each scored as a full note and as
 * its four sections. Both must give identical results (1e-9); ours must be >= 10x faster.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/index';
import { loadSplit } from '../../datasets/index';
import { baselinePredictions, predictionsCsv } from '../../models/baselines';
import { evaluateNotes, loadGold, loadPredictions, ROUGE_TYPES, type GroupScores } from '../../models/eval/index';

/** What one benchmark reports to test/bench/index.ts. */
export interface BenchResult {
  name: string;
  ok: boolean;
  line: string;
  figures: Record<string, number>;
}

const TARGET_RATIO = 10;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `medigen eval` as a user runs it (node dist/cli.mjs, start-up included) against the reference
 * script as a user runs it, on one split, alternating so a busy moment hurts both alike.
 */
function wholeProcess(gold: string, pred: string, corpusDir: string, ref: string): { oursMs: number; refMs: number; ratio: number } {
  const cli = join(projectRoot(), 'dist', 'cli.mjs');
  const time = (cmd: string, args: string[]) => {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
    return performance.now() - t;
  };
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(time(process.execPath, [cli, 'eval', '--gold', gold, '--pred', pred, '--corpus', corpusDir]));
    theirs.push(time('python3', [join(ref, 'rouge_reference.py'), gold, pred]));
  }
  const oursMs = median(ours);
  const refMs = median(theirs);
  return { oursMs, refMs, ratio: refMs / oursMs };
}
const SPLITS = ['test1', 'test2', 'test3'] as const;

/** Runs the ROUGE benchmark. `corpusDir` defaults to ../shared/aci-bench next to the project. */
export async function benchRouge(corpusDir = join(projectRoot(), '..', 'shared', 'aci-bench')): Promise<BenchResult> {
  const data = join(corpusDir, 'challenge_data');
  const ref = join(corpusDir, 'reference');
  const dir = mkdtempSync(join(tmpdir(), 'medigen-bench-'));
  try {
    // Predictions: a copy baseline (12 doctor turns) for each test split, written as CSV files.
    const files = SPLITS.map((s) => {
      const gold = loadSplit(s, data);
      const pred = join(dir, `${s}_pred.csv`);
      writeFileSync(pred, predictionsCsv(baselinePredictions(gold.encounters, '12-doctor-turns')));
      return { split: s, gold: gold.file, pred };
    });

    // Ours: read both files, divide notes into sections, score full notes + sections, aggregate.
    const t0 = performance.now();
    const ours: Record<string, Record<string, GroupScores>> = {};
    for (const f of files) {
      const gold = loadGold(f.gold);
      ours[f.split] = (await evaluateNotes(gold.encounters, loadPredictions(f.pred))).results as Record<string, GroupScores>;
    }
    const oursMs = performance.now() - t0;

    // Reference: the Python scripts as subprocesses, wall-clock.
    const python: Record<string, Record<string, GroupScores | number>> = {};
    const t1 = performance.now();
    for (const f of files) {
      const run = (script: string) => {
        const r = spawnSync('python3', [join(ref, script), f.gold, f.pred], { encoding: 'utf8', maxBuffer: 64 << 20 });
        if (r.status !== 0) throw new Error(`python3 ${script} failed: ${r.stderr || r.error?.message}`);
        return JSON.parse(r.stdout) as Record<string, number>;
      };
      python[f.split] = { ALL: run('rouge_reference.py') as unknown as GroupScores, ...(run('sections_reference.py') as unknown as Record<string, GroupScores>) };
    }
    const refMs = performance.now() - t1;

    let compared = 0;
    const mismatches: string[] = [];
    for (const s of SPLITS) {
      for (const [key, want] of Object.entries(python[s]!)) {
        for (const t of ROUGE_TYPES) {
          const a = ours[s]![key]?.[t];
          const b = (want as GroupScores)[t];
          compared++;
          if (a === undefined || b === undefined || Math.abs(a - b) > 1e-9) mismatches.push(`${s} ${key} ${t}: ours ${a}, reference ${b}`);
        }
      }
    }
    const ratio = refMs / oursMs;
    const cli = wholeProcess(files[0]!.gold, files[0]!.pred, corpusDir, ref);
    const ok = mismatches.length === 0 && compared === SPLITS.length * 5 * 4 && ratio >= TARGET_RATIO && cli.ratio >= TARGET_RATIO;
    const line =
      `ROUGE scoring: ours ${oursMs.toFixed(0)} ms, reference ${refMs.toFixed(0)} ms, ratio ${ratio.toFixed(1)}x in-process (target >= ${TARGET_RATIO}x); ` +
      `whole process on test1 (medigen eval, full notes + sections, against rouge_reference.py, full notes only; medians of ${RUNS} alternating runs): ` +
      `${cli.oursMs.toFixed(0)} ms against ${cli.refMs.toFixed(0)} ms, ratio ${cli.ratio.toFixed(1)}x (target >= ${TARGET_RATIO}x); ` +
      (mismatches.length ? `${mismatches.length} of ${compared} figures DIFFER: ${mismatches.slice(0, 3).join('; ')}` : `all ${compared} figures identical (1e-9)`);
    return { name: 'rouge', ok, line, figures: { oursMs, refMs, ratio, compared, mismatches: mismatches.length, cliMs: cli.oursMs, cliRefMs: cli.refMs, cliRatio: cli.ratio } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
