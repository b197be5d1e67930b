import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runChecks } from '../../../../curriculum/engine';
import { copyToTemp, fixture, tempDir } from './helpers';

const exerciseDir = fixture('runner', 'exercise');

describe('curriculum runChecks (separate node + tsx + mocha process)', () => {
  it('reports every check passing for a correct file', async () => {
    const run = await runChecks({ exerciseDir, workDir: fixture('runner', 'pass') });
    assert.equal(run.status, 'passed', JSON.stringify(run, null, 1));
    assert.deepEqual(run.results.map((r) => [r.title, r.status]), [
      ['double doubles a number', 'passed'],
      ['firstSpeaker reads the first tag', 'passed'],
      ['splitCount sees the library through medigen-lab', 'passed'],
    ]);
    assert.equal(run.passed, 3);
    assert.equal(run.failed, 0);
  });

  it('reports failures with message, expected/actual and the line in the student file', async () => {
    const workDir = fixture('runner', 'fail');
    const run = await runChecks({ exerciseDir, workDir });
    assert.equal(run.status, 'failed');
    const [dbl, first, split] = run.results;
    assert.equal(dbl!.status, 'failed');
    assert.equal(dbl!.expected, '42');
    assert.equal(dbl!.actual, '63');
    // The assertion fails inside the check: the editor marks the function the check names.
    assert.deepEqual(dbl!.location, { file: join(workDir, 'code.ts'), line: 3, column: 8 });
    assert.equal(dbl!.checkLocation?.file, join(exerciseDir, 'checks', 'code.test.ts'));
    assert.equal(dbl!.checkLocation?.line, 18);
    // A runtime error inside the student's code: the line that threw (source-mapped TypeScript).
    assert.equal(first!.status, 'failed');
    assert.match(first!.message!, /Cannot read properties of undefined/);
    assert.equal(first!.location?.file, join(workDir, 'code.ts'));
    assert.equal(first!.location?.line, 9);
    assert.equal(first!.expected, undefined);
    assert.equal(split!.status, 'passed');
    assert.equal(run.passed, 1);
    assert.equal(run.failed, 2);
  });

  it('kills an infinite loop after the per-check limit and names the check that hung', async () => {
    const run = await runChecks({ exerciseDir, workDir: fixture('runner', 'loop'), checkTimeoutMs: 1000, timeoutMs: 60_000 });
    assert.equal(run.status, 'timeout');
    const [dbl, first, split] = run.results;
    assert.equal(dbl!.status, 'timeout');
    assert.match(dbl!.message!, /never finished/);
    assert.equal(dbl!.location?.line, 1);
    assert.equal(first!.status, 'not-run');
    assert.equal(split!.status, 'not-run');
  });

  it('kills the whole run at timeoutMs even before any check starts', async () => {
    const run = await runChecks({ exerciseDir, workDir: fixture('runner', 'pass'), timeoutMs: 50 });
    assert.equal(run.status, 'timeout');
    assert.equal(run.passed, 0);
  });

  it('reports a syntax error in the student file on every check, with its line and column', async () => {
    const workDir = fixture('runner', 'syntax');
    const run = await runChecks({ exerciseDir, workDir });
    assert.equal(run.status, 'failed');
    assert.equal(run.results.length, 3);
    for (const r of run.results) {
      assert.equal(r.status, 'failed');
      assert.match(r.message!, /TypeScript could not read code\.ts/);
      assert.deepEqual(r.location, { file: join(workDir, 'code.ts'), line: 6, column: 50 });
    }
  });

  it('runs student files that live outside the repository (no package.json) and still maps medigen-lab', async () => {
    const tmp = tempDir();
    try {
      const workDir = copyToTemp(fixture('runner', 'pass'), tmp.dir, 'student');
      const run = await runChecks({ exerciseDir: copyToTemp(exerciseDir, tmp.dir, 'exercise'), workDir });
      assert.equal(run.status, 'passed', JSON.stringify(run, null, 1));
      assert.equal(run.passed, 3);
    } finally {
      tmp.cleanup();
    }
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    const pending = runChecks({ exerciseDir, workDir: fixture('runner', 'loop'), checkTimeoutMs: 30_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const run = await pending;
    assert.equal(run.status, 'aborted');
  });

  it('lists the checks without running them in a dry run', async () => {
    const run = await runChecks({ exerciseDir, workDir: fixture('runner', 'loop'), dryRun: true });
    assert.equal(run.results.length, 3);
    assert.ok(run.results.every((r) => r.status === 'not-run'));
  });
});
