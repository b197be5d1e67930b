import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecks } from '../../../../curriculum/engine';
import { disposeWarmCheck, warmCheckPid } from '../../../../curriculum/engine/warm';

const exercise = join(__dirname, '..', '..', '..', '..', 'curriculum', 'modules', 'meet-the-data', 'exercises', 'count-turns');

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
});
