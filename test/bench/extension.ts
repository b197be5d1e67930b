/**
 * Benchmarks of the VS Code extension, measured in the REAL VS Code (code-server + headless
 * Chromium; test/integration/bench.test.ts, each suite alone in a fresh VS Code):
 * - activation → painted lesson: from activating MediGen Lab ("MediGen Lab: Open Lesson" in a
 *   window where it is not active yet) until the lesson page tells the extension that its first
 *   frame with the lesson text has been painted (see bench.test.ts for the exact definition), in
 *   phases, beside VS Code's own floor for that: an empty webview with a one-line body, from
 *   createWebviewPanel to painted, as the window's first webview (no MediGen Lab code involved).
 *   Target: our share (lesson − floor) ≤ 150 ms;
 * - a second lesson in a new panel (extension active), beside a second empty webview in a new
 *   panel; target ≤ 600 ms;
 * - an exercise check round trip ("Run Check": save, checkpoint, checks in a separate process,
 *   results), beside starting a bare Node process from the extension host; target ≤ 1 s (median of
 *   3, each after 1.5 s untimed, as a student reads the lesson or the last result before checking).
 * One round = one cold start of each; the figures are medians over MEDIGEN_BENCH_ROUNDS rounds (default 3).
 * Each is a returning student's VS Code: the lesson rounds keep one VS Code profile (user data,
 * so MediGen Lab's global storage with the lesson render cache), the floor rounds another, and an
 * untimed first session of each fills it (and writes V8's code cache of a new build) before the rounds.
 * Each round also starts the lesson once more without the lesson render cache (removed first), as
 * the first session after MediGen Lab was installed or updated does, against the same floor.
 * Needs `node esbuild.mjs` first (npm run bench builds) and the runtime from scripts/vscode/setup.sh.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/index';
import type { ExtensionBenchFigures, WebviewFloorFigures } from '../integration/bench.test';
import { RENDER_CACHE_FILE } from '../../extension/lesson/renderCache';
import type { BenchResult } from './rouge';

/** Target: MediGen Lab's share of activation → painted lesson (the lesson minus VS Code's empty-webview floor), in ms. */
export const LESSON_SHARE_TARGET_MS = 150;
/** Target: a second lesson in a new panel, in ms. */
export const SECOND_LESSON_TARGET_MS = 600;
/** Target: one check round trip, in ms. */
export const CHECK_TARGET_MS = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => x.toFixed(0);

/** Runs the integration tests matching `grep` in a fresh start of VS Code with the kept `profile`; resolves with its exit code. */
function runInVsCode(grep: string, profile: string, env: Record<string, string>): Promise<number> {
  const root = projectRoot();
  return new Promise<number>((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'vscode', 'runTests.ts'), '--grep', grep, '--profile', profile], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.on('close', (c) => res(c ?? 1));
  });
}

/** Rounds of (extension run, floor run): each figure is the median over them (MEDIGEN_BENCH_ROUNDS, default 3). */
const ROUNDS = Math.max(1, Number(process.env.MEDIGEN_BENCH_ROUNDS) || 3);

/**
 * Runs the extension benchmark and the empty-webview floor in a real VS Code, ROUNDS times each
 * (alternating, so both see the machine alike), and reports the medians against their targets.
 */
export async function benchExtension(): Promise<BenchResult> {
  const name = 'VS Code extension: activation → painted lesson, check round trip';
  const dir = mkdtempSync(join(tmpdir(), 'medigen-bench-ext-'));
  try {
    const rounds: { f: ExtensionBenchFigures; floor: WebviewFloorFigures; afterInstall: ExtensionBenchFigures }[] = [];
    const lessonProfile = join(dir, 'profile-lesson');
    const floorProfile = join(dir, 'profile-floor');
    // The untimed first sessions (their figures are not used).
    for (const [grep, profile, env] of [['extension benchmark', lessonProfile, 'MEDIGEN_BENCH_RESULT'], ['webview floor benchmark', floorProfile, 'MEDIGEN_BENCH_FLOOR_RESULT']] as const) {
      const code = await runInVsCode(grep, profile, { [env]: join(dir, `first-session-${env}.json`) });
      if (code !== 0) return { name, ok: false, line: `${name}: the first session (${grep}) failed in VS Code (exit code ${code}); see its output above.`, figures: {} };
    }
    const renderCacheFile = join(lessonProfile, 'user-data', 'User', 'globalStorage', 'medigen-lab.medigen-lab', RENDER_CACHE_FILE);
    for (let k = 0; k < ROUNDS; k++) {
      const resultFile = join(dir, `result-${k}.json`);
      const floorFile = join(dir, `floor-${k}.json`);
      const firstSessionFile = join(dir, `after-install-${k}.json`);
      const code = await runInVsCode('extension benchmark', lessonProfile, { MEDIGEN_BENCH_RESULT: resultFile });
      if (code !== 0) return { name, ok: false, line: `${name}: the extension benchmark failed in VS Code (exit code ${code}); see its output above.`, figures: {} };
      const floorCode = await runInVsCode('webview floor benchmark', floorProfile, { MEDIGEN_BENCH_FLOOR_RESULT: floorFile });
      if (floorCode !== 0) return { name, ok: false, line: `${name}: the empty-webview floor failed in VS Code (exit code ${floorCode}); see its output above.`, figures: {} };
      // The same lesson in the first session after an install or update: no render cache (this run writes it again).
      rmSync(renderCacheFile, { force: true });
      const firstCode = await runInVsCode('extension benchmark', lessonProfile, { MEDIGEN_BENCH_RESULT: firstSessionFile });
      if (firstCode !== 0) return { name, ok: false, line: `${name}: the extension benchmark without the render cache failed in VS Code (exit code ${firstCode}); see its output above.`, figures: {} };
      const read = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
      rounds.push({ f: read<ExtensionBenchFigures>(resultFile), floor: read<WebviewFloorFigures>(floorFile), afterInstall: read<ExtensionBenchFigures>(firstSessionFile) });
    }
    const shares = rounds.map((r) => r.f.activationToLessonMs - r.floor.emptyWebviewMs);
    const afterInstallShares = rounds.map((r) => r.afterInstall.activationToLessonMs - r.floor.emptyWebviewMs);
    const share = median(shares);
    // The round whose share is the median shows the phases.
    const { f, floor } = rounds[shares.indexOf(share)]!;
    const lesson = median(rounds.map((r) => r.f.activationToLessonMs));
    const empty = median(rounds.map((r) => r.floor.emptyWebviewMs));
    const second = median(rounds.map((r) => r.f.warmLessonMs));
    const secondFloor = median(rounds.map((r) => r.floor.secondEmptyWebviewMs));
    const workerStart = median(rounds.map((r) => r.floor.secondWorkerStartMs));
    const samePanel = median(rounds.map((r) => r.f.samePanelLessonMs));
    const checks = rounds.flatMap((r) => r.f.checkRoundTripsMs);
    const check = median(checks);
    const activationIncluded = rounds.every((r) => r.f.activationIncluded);
    const ok = activationIncluded && share <= LESSON_SHARE_TARGET_MS && second <= SECOND_LESSON_TARGET_MS && check <= CHECK_TARGET_MS;
    const p = f.phasesMs;
    const lines = [
      `${name} (medians of ${ROUNDS} VS Code starts of a returning student, each beside a start for the floor; an untimed first session before them):`,
      `  activation → painted lesson ${ms(lesson)} ms${activationIncluded ? '' : ' (ACTIVATION NOT INCLUDED)'}; VS Code's floor (an empty webview, createWebviewPanel to painted) ${ms(empty)} ms; ` +
        `our share ${ms(share)} ms of [${shares.map(ms).join(', ')}] (target ≤ ${LESSON_SHARE_TARGET_MS} ms)`,
      `    phases of the median round: activate ${ms(p.activate)}${f.activationSplitMs ? ` (VS Code until the bundle runs ${ms(f.activationSplitMs.beforeBundle)}, compiling and running the bundle ${ms(f.activationSplitMs.modules)}, activate() ${ms(f.activationSplitMs.activateFn)})` : ''}, extension until the HTML is set ${ms(p.extension)} (opening the lab ${ms(f.openLabMs)} of it, while VS Code creates the webview), ` +
        `VS Code creating the webview ${ms(p.vscodeWebview)} (floor ${ms(floor.vscodeWebviewMs)}), page until painted ${ms(p.page)} (floor ${ms(floor.pageMs)}) (script at ${ms(f.pageMs.script)}, load at ${ms(f.pageMs.load)}), ` +
        `message back ${ms(p.toExtension)}; buttons upgraded ${ms(f.hydratedMs)} ms after the page's start`,
      ...rounds.map(({ f: r, floor: fl, afterInstall: a }, k) =>
        `    round ${k + 1}: share ${ms(shares[k]!)} = activate ${ms(r.phasesMs.activate)} + extension ${ms(r.phasesMs.extension)} + webview ${ms(r.phasesMs.vscodeWebview)} + page ${ms(r.phasesMs.page)} + back ${ms(r.phasesMs.toExtension)} − floor ${ms(fl.emptyWebviewMs)} (webview ${ms(fl.vscodeWebviewMs)}, page ${ms(fl.pageMs)}); code cache: ${r.codeCache ?? 'n/a'}, render cache: ${r.renderCache}; ` +
        `without it ${ms(afterInstallShares[k]!)} (extension ${ms(a.phasesMs.extension)}, webview ${ms(a.phasesMs.vscodeWebview)}; render cache: ${a.renderCache})`),
      `  the first session after an install or update (no render cache yet; same floors): our share ${ms(median(afterInstallShares))} ms of [${afterInstallShares.map(ms).join(', ')}], extension until the HTML is set ${ms(median(rounds.map((r) => r.afterInstall.phasesMs.extension)))} ms (with the render cache ${ms(median(rounds.map((r) => r.f.phasesMs.extension)))} ms)`,
      `  a second lesson in a new panel ${ms(second)} ms (target ≤ ${SECOND_LESSON_TARGET_MS} ms); floor: a second empty webview in a new panel ${ms(secondFloor)} ms, ` +
        `${ms(workerStart)} ms of it waiting for the webview's service worker to start; our share ${ms(second - secondFloor)} ms. The next lesson while one is open (the same panel) ${ms(samePanel)} ms`,
      `  check round trip median ${ms(check)} ms of [${checks.map(ms).join(', ')}] (target ≤ ${CHECK_TARGET_MS} ms); floor: a bare Node process from the extension host ${ms(median(rounds.map((r) => r.f.bareProcessMs)))} ms; VS Code ${f.vscode}`,
    ];
    return {
      name,
      ok,
      line: lines.join('\n'),
      figures: {
        activationToLessonMs: lesson,
        emptyWebviewMs: empty,
        lessonShareMs: share,
        lessonShareAfterInstallMs: median(afterInstallShares),
        secondEmptyWebviewMs: secondFloor,
        secondWorkerStartMs: workerStart,
        warmLessonMs: second,
        samePanelLessonMs: samePanel,
        checkRoundTripMedianMs: check,
      },
    };
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
