/**
 * Benchmarks of the VS Code extension, measured in the REAL VS Code (code-server + headless
 * Chromium, test/integration/bench.test.ts run alone so activation is included):
 * - activation → rendered lesson ("MediGen Lab: Open Lesson" until the page's script is ready), target < 500 ms;
 * - an exercise check round trip ("Run Check": save, checkpoint, checks in a separate process, results), target < 3 s (median of 3).
 * Needs `node esbuild.mjs` first (npm run bench builds) and the runtime from scripts/vscode/setup.sh.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/paths';
import type { ExtensionBenchFigures } from '../integration/bench.test';
import type { BenchResult } from './rouge';

/** Target: activation → rendered lesson, in ms. */
export const LESSON_TARGET_MS = 500;
/** Target: one check round trip, in ms. */
export const CHECK_TARGET_MS = 3000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the extension benchmark in a real VS Code and reports both figures against their targets. */
export async function benchExtension(): Promise<BenchResult> {
  const name = 'VS Code extension: activation → rendered lesson, check round trip';
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'medigen-bench-ext-'));
  const resultFile = join(dir, 'result.json');
  try {
    const code = await new Promise<number>((res) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'vscode', 'run-tests.ts'), '--grep', 'extension benchmark'], {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, MEDIGEN_BENCH_RESULT: resultFile },
      });
      child.on('close', (c) => res(c ?? 1));
    });
    const f = JSON.parse(readFileSync(resultFile, 'utf8')) as ExtensionBenchFigures;
    const check = median(f.checkRoundTripsMs);
    const ok = code === 0 && f.activationIncluded && f.activationToLessonMs < LESSON_TARGET_MS && check < CHECK_TARGET_MS;
    const line = `${name}: ${f.activationToLessonMs.toFixed(0)} ms to a rendered lesson${f.activationIncluded ? ' (activation included)' : ' (ACTIVATION NOT INCLUDED)'} (target < ${LESSON_TARGET_MS} ms; activate ${f.phasesMs.activate.toFixed(0)}, open lab ${f.phasesMs.openLab.toFixed(0)}, render ${f.phasesMs.renderLesson.toFixed(0)} of which ${f.phasesMs.pageItself.toFixed(0)} inside the page; a second lesson in a new panel ${f.warmLessonMs.toFixed(0)} ms); check round trip median ${check.toFixed(0)} ms of [${f.checkRoundTripsMs.map((x) => x.toFixed(0)).join(', ')}] (target < ${CHECK_TARGET_MS} ms); VS Code ${f.vscode}`;
    return { name, ok, line, figures: { activationToLessonMs: f.activationToLessonMs, warmLessonMs: f.warmLessonMs, checkRoundTripMedianMs: check } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `tsx test/bench/extension.ts` runs it alone.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-3).join('/'))) {
  benchExtension().then(
    (r) => {
      console.log(r.line);
      process.exitCode = r.ok ? 0 : 1;
    },
    (e) => {
      console.error(`benchmark failed to run: ${(e as Error).message}`);
      process.exitCode = 1;
    },
  );
}
