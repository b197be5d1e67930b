import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateModule } from '../../../../curriculum/engine';
import { runCli } from '../../../helpers/cli';
import { copyToTemp, fixture, shippedModule, tempDir } from './helpers';

describe('curriculum validate', () => {
  it('passes the shipped "Meet the data" module: solutions pass, starters fail every check', async () => {
    const report = await validateModule(shippedModule());
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.exercises.length, 3);
    for (const e of report.exercises) {
      assert.equal(e.solution.status, 'passed', `${e.exercise.id}: ${JSON.stringify(e.solution.results)}`);
      assert.ok(e.solution.passed >= 4, `${e.exercise.id} has at least 4 checks`);
      assert.equal(e.starter.passed, 0, `${e.exercise.id}: no check passes on the starter`);
      assert.equal(e.starter.failed, e.solution.passed);
    }
  });

  it('finds a check that cannot fail and a reference solution that fails, and the CLI exits 1', async () => {
    const report = await validateModule(fixture('weak-check'));
    assert.equal(report.ok, false);
    const msgs = report.problems.map((p) => p.message);
    assert.equal(report.problems.length, 2, msgs.join('\n'));
    assert.ok(msgs.some((m) => /Check "note-length noteLength is a function" passes on the unedited starter: it is a check that cannot fail/.test(m)));
    assert.ok(msgs.some((m) => /reference solution fails check "note-length noteLength counts punctuation as words".*expected 2, got 3/.test(m)));
    const cli = await runCli(['curriculum', 'validate', fixture('weak-check')]);
    assert.equal(cli.code, 1);
    assert.match(cli.stdout, /2 problem\(s\)/);
    assert.match(cli.stdout, /What to do: Make the check test what the student must write/);
  });

  it('reports a reference solution that runs past the time limit', async () => {
    const tmp = tempDir();
    try {
      const dir = copyToTemp(fixture('weak-check'), tmp.dir, 'slow');
      const ex = join(dir, 'exercises', 'note-length');
      writeFileSync(join(ex, 'exercise.json'), JSON.stringify({ entry: 'note-length.ts', timeLimitMs: 500 }));
      const sol = join(ex, 'solution', 'note-length.ts');
      writeFileSync(sol, readFileSync(sol, 'utf8').replace('return note', 'for (;;) {}\n  return note'));
      const report = await validateModule(dir);
      assert.ok(report.problems.some((p) => /ran past the time limit on the reference solution/.test(p.message)), JSON.stringify(report.problems, null, 1));
    } finally {
      tmp.cleanup();
    }
  });

  it('`medigen curriculum new` scaffolds a module that `medigen curriculum validate` accepts', async () => {
    const tmp = tempDir();
    try {
      const dir = join(tmp.dir, 'triage-basics');
      const made = await runCli(['curriculum', 'new', dir, '--title', 'Triage basics']);
      assert.equal(made.code, 0, made.stderr);
      const manifest = JSON.parse(readFileSync(join(dir, 'medigen-module.json'), 'utf8'));
      assert.equal(manifest.id, 'triage-basics');
      assert.equal(manifest.title, 'Triage basics');
      const v = await runCli(['curriculum', 'validate', dir]);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.match(v.stdout, /note-length: solution passes 2\/2 checks, starter fails 2\/2/);
      assert.match(v.stdout, /The module is valid/);
      const again = await runCli(['curriculum', 'new', dir]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /is not empty/);
    } finally {
      tmp.cleanup();
    }
  });

  it('validate exits 1 with the JSON path on a broken manifest, and 2 without a folder', async () => {
    const r = await runCli(['curriculum', 'validate', fixture('broken-manifest'), '--json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.equal(json.ok, false);
    assert.ok(json.problems.some((p: { path?: string }) => p.path === '$.colour'));
    assert.equal((await runCli(['curriculum', 'validate'])).code, 2);
  });
});
