import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecks, warmUpChecks } from '../../../../curriculum/engine';
import { disposeWarmCheck, warmCheckPid } from '../../../../curriculum/engine/warm';

const exercise = join(__dirname, '..', '..', '..', '..', 'curriculum', 'modules', 'meet-the-data', 'exercises', 'count-turns');

/**
 * A throwaway exercise: its checks/ holds `check` (lines of a check file), the student's folder
 * holds `student` (file name → text). `fn` gets both folders; the warm process and both folders
 * are gone afterwards.
 */
async function withExercise(student: Record<string, string>, check: string[], fn: (ex: string, ws: string) => Promise<void>): Promise<void> {
  const ex = mkdtempSync(join(tmpdir(), 'medigen-warm-ex-'));
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-warm-ws-')));
  try {
    mkdirSync(join(ex, 'checks'));
    for (const [name, text] of Object.entries(student)) writeFileSync(join(ws, name), text);
    writeFileSync(join(ex, 'checks', 'check.test.ts'), check.join('\n'));
    await fn(ex, ws);
  } finally {
    disposeWarmCheck();
    rmSync(ex, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  }
}

describe('a check process started ahead of time (warm: true)', function () {
  this.timeout(240_000);
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'medigen-warm-'));
    cpSync(join(exercise, 'starter'), work, { recursive: true });
  });
  after(() => {
    disposeWarmCheck();
    rmSync(work, { recursive: true, force: true });
  });

  it('runs the next check in the waiting process, on the student\'s files as they are then', async () => {
    const first = await runChecks({ exerciseDir: exercise, workDir: work, warm: true });
    assert.equal(first.status, 'failed');
    const waiting = warmCheckPid();
    assert.ok(waiting, 'a process waits for the next check');
    // The student fixes the file: the waiting process has not loaded it, so the check sees the fix.
    cpSync(join(exercise, 'solution', 'turns.ts'), join(work, 'turns.ts'));
    const second = await runChecks({ exerciseDir: exercise, workDir: work, warm: true });
    assert.equal(second.status, 'passed', JSON.stringify(second.results.filter((r) => r.status !== 'passed')));
    assert.equal(second.results.length, first.results.length);
    assert.notEqual(warmCheckPid(), waiting, 'the waiting process ran the check and a new one waits');
    assert.throws(() => process.kill(waiting, 0), 'the process that ran the check has ended');
    // Without warm, nothing changes: a fresh process, and the waiting one stays for a warm run.
    const cold = await runChecks({ exerciseDir: exercise, workDir: work });
    assert.equal(cold.status, 'passed');
    disposeWarmCheck();
    assert.equal(warmCheckPid(), undefined);
  });

  it('warmUpChecks starts the first check\'s process ahead, with a student process that loads the file only when the check asks', async () => {
    // An exercise whose check asks the student's process when it started and where it runs.
    const who = "export const seen = { started: Date.now() - process.uptime() * 1000, onCommandLine: process.argv[2] ?? null, cwd: process.cwd(), dir: process.env.MEDIGEN_EXERCISE_DIR, version: 2 };\n";
    const check = [
      "import assert from 'node:assert/strict';",
      "import { loadStudent } from 'medigen-lab/checks';",
      "it('the student process', async () => {",
      '  const asked = Date.now();',
      "  const student = await loadStudent<{ seen: { started: number; onCommandLine: string | null; cwd: string; dir: string; version: number } }>('who.ts');",
      "  const seen = await student.get('seen');",
      '  await student.close();',
      "  assert.equal(seen.version, 2, 'the file as it is now');",
      "  assert.equal(seen.cwd, process.env.MEDIGEN_EXERCISE_DIR, 'runs in the exercise folder');",
      "  assert.equal(seen.dir, process.env.MEDIGEN_EXERCISE_DIR);",
      "  assert.equal(seen.onCommandLine, null, `a process started with the file on its command line (${seen.onCommandLine}), not the spare`);",
      "  assert.ok(seen.started <= asked, `started ${seen.started - asked} ms after the check asked for it`);",
      '});',
    ];
    await withExercise({ 'who.ts': who }, check, async (ex, ws) => {
      disposeWarmCheck();
      warmUpChecks();
      const pid = warmCheckPid();
      assert.ok(pid, 'a check process waits');
      warmUpChecks();
      assert.equal(warmCheckPid(), pid, 'a second warm-up keeps the waiting process');
      await new Promise((r) => setTimeout(r, 1000)); // the student reads the lesson meanwhile
      const warm = await runChecks({ exerciseDir: ex, workDir: ws, warm: true });
      assert.equal(warm.status, 'passed', JSON.stringify(warm.results));
      // A cold check starts its student process with the file, when the check asks: the same check fails.
      const cold = await runChecks({ exerciseDir: ex, workDir: ws });
      assert.equal(cold.status, 'failed');
      assert.match(cold.results[0]!.message ?? '', /a process started with the file on its command line \(.*who\.ts\), not the spare/);
    });
  });

  it('gives the student\'s calls the exercise\'s time limit, not the 5 s default (a started-ahead process learns it late)', async () => {
    // A student function that takes 6 s, in an exercise that allows 20 s per check.
    const slow = 'export function slow(): number {\n  const end = Date.now() + 6000;\n  while (Date.now() < end);\n  return 42;\n}\n';
    const check = [
      "import assert from 'node:assert/strict';",
      "import { loadStudent } from 'medigen-lab/checks';",
      "it('a 6 s call', async () => {",
      "  const student = await loadStudent<{ slow(): number }>('slow.ts');",
      '  assert.equal(await student.slow(), 42);',
      '  await student.close();',
      '});',
    ];
    await withExercise({ 'slow.ts': slow }, check, async (ex, ws) => {
      disposeWarmCheck();
      warmUpChecks();
      const warm = await runChecks({ exerciseDir: ex, workDir: ws, warm: true, checkTimeoutMs: 20_000 });
      assert.equal(warm.status, 'passed', JSON.stringify(warm.results));
    });
  });
});
