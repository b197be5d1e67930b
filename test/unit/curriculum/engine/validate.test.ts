import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { installModule, loadModule, validateModule } from '../../../../curriculum/engine';
import { runCli } from '../../../helpers/cli';
import { copyToTemp, fixture, shippedModule, tempDir } from './helpers';

describe('curriculum validate', () => {
  it('passes every shipped module under curriculum/modules/ in both editions: solutions pass, starters and every wrong answer fail, the student edition works without solutions', async function () {
    this.timeout(1_800_000);
    const root = join(projectRoot(), 'curriculum', 'modules');
    const dirs = readdirSync(root).map((d) => join(root, d)).filter((d) => existsSync(join(d, 'medigen-module.json')));
    assert.ok(dirs.includes(shippedModule()));
    for (const dir of dirs) {
      const report = await validateModule(dir);
      assert.deepEqual(report.problems, [], dir);
      assert.equal(report.ok, true);
      assert.deepEqual(report.warnings.map((w) => w.message), [], `${dir}: every check catches at least one wrong answer`);
      if (dir === shippedModule()) assert.ok(report.exercises.some((e) => e.solution.results.some((r) => e.exercise.gradingFiles.includes(r.file!) && r.status === 'passed')), 'meet-the-data ships a grading check');
      for (const e of report.exercises) {
        assert.equal(e.solution.status, 'passed', `${e.exercise.id}: ${JSON.stringify(e.solution.results)}`);
        assert.ok(e.solution.passed >= 3, `${e.exercise.id} has at least 3 checks`);
        assert.equal(e.starter.passed, 0, `${e.exercise.id}: no check passes on the starter`);
        assert.equal(e.starter.failed, e.solution.passed);
        assert.ok(e.wrong.length >= 3, `${e.exercise.id} has at least 3 wrong answers`);
        for (const w of e.wrong) assert.ok(w.run.failed > 0 && w.run.status === 'failed', `${e.exercise.id}/wrong/${w.answer.name} fails at least one check: ${JSON.stringify(w.run.results.map((r) => r.status))}`);
        const se = e.studentEdition;
        assert.ok(se, `${e.exercise.id}: the student edition was written`);
        assert.equal(se.solution.status, 'passed', `${e.exercise.id}: the student edition's public checks pass on the solution`);
        assert.equal(se.solution.passed, e.solution.results.filter((r) => e.exercise.checkFiles.includes(r.file!)).length);
        assert.equal(se.starter.passed, 0, `${e.exercise.id}: no public check passes on the student edition's starter`);
      }
    }
  });

  it('finds a check that cannot fail and a reference solution that fails, and the CLI exits 1', async () => {
    const report = await validateModule(fixture('weak-check'));
    assert.equal(report.ok, false);
    const msgs = report.problems.map((p) => p.message);
    assert.equal(report.problems.length, 3, msgs.join('\n'));
    assert.ok(msgs.some((m) => /Exercise "note-length" has 0 wrong answer\(s\); at least 3 are needed/.test(m)));
    assert.ok(msgs.some((m) => /Check "note-length noteLength is a function" passes on the unedited starter: it is a check that cannot fail/.test(m)));
    assert.ok(msgs.some((m) => /reference solution fails check "note-length noteLength counts punctuation as words".*expected 2, got 3/.test(m)));
    const cli = await runCli(['curriculum', 'validate', fixture('weak-check')]);
    assert.equal(cli.code, 1);
    assert.match(cli.stdout, /3 problem\(s\)/);
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

  it('`medigen curriculum new` scaffolds a module that `medigen curriculum validate` accepts (both editions)', async function () {
    this.timeout(600_000); // seven check runs: solution, starter, three wrong answers, and the student edition's two
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
      assert.match(v.stdout, /note-length: solution passes 3\/3 checks, starter fails 3\/3, 3 of 3 wrong answers caught/);
      assert.match(v.stdout, /wrong\/splits-on-spaces-only: fails \d of 3 checks/);
      assert.match(v.stdout, /✓ student edition: public checks pass 3\/3 on the solution, fail 3\/3 on the starter/);
      assert.doesNotMatch(v.stdout, /warning/);
      assert.doesNotMatch(readFileSync(join(dir, 'exercises', 'note-length', 'checks', 'note-length.test.ts'), 'utf8'), /import[^\n]*solution/);
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

  it('fails a module whose wrong answer passes every check or that has fewer than three, and warns of a check that catches nothing', async function () {
    this.timeout(600_000);
    const tmp = tempDir();
    try {
      const dir = copyToTemp(fixture('honest'), tmp.dir, 'honest');
      const ex = join(dir, 'exercises', 'double');
      // As shipped: valid, but no wrong answer gets NAME wrong, so that check catches nothing.
      const good = await validateModule(dir);
      assert.deepEqual(good.problems, []);
      // Its lesson does not say what the student will be able to do: a warning too.
      assert.deepEqual(good.warnings.map((w) => w.message), ['Lesson "Doubling" does not say what the student will be able to do after it.', 'Check "double NAME names the exercise" of exercise "double" fails on none of its 3 wrong answers: a check that catches nothing.']);

      // A "wrong" answer that is right in every way the checks look at, and only two wrong answers.
      rmSync(join(ex, 'wrong', 'squares'), { recursive: true });
      rmSync(join(ex, 'wrong', 'adds-two'), { recursive: true });
      mkdirSync(join(ex, 'wrong', 'shifts-left'));
      writeFileSync(join(ex, 'wrong', 'shifts-left', 'code.ts'), "export const NAME = 'double';\nexport function double(n: number): number {\n  return n << 1;\n}\n");
      writeFileSync(join(ex, 'wrong', 'shifts-left', 'WHY.md'), 'Shifts the bits left, which breaks for numbers past 2^31.\n');
      const cli = await runCli(['curriculum', 'validate', dir, '--json']);
      assert.equal(cli.code, 1);
      const bad = JSON.parse(cli.stdout) as { ok: boolean; problems: { message: string; file: string }[]; exercises: { wrong: { name: string; status: string }[] }[] };
      assert.equal(bad.ok, false);
      const msgs = bad.problems.map((p) => p.message);
      assert.equal(msgs.length, 2, msgs.join('\n'));
      assert.ok(msgs.some((m) => /The wrong answer "shifts-left" of exercise "double" passes every check, so the checks cannot tell it from a right answer \(Shifts the bits left/.test(m)), msgs.join('\n'));
      assert.ok(msgs.some((m) => /Exercise "double" has 2 wrong answer\(s\); at least 3 are needed/.test(m)), msgs.join('\n'));
      assert.equal(bad.problems.find((p) => /shifts-left/.test(p.message))!.file, join(ex, 'wrong', 'shifts-left', 'WHY.md'));
      assert.deepEqual(bad.exercises[0]!.wrong.map((w) => [w.name, w.status]), [['forgets-the-sign', 'failed'], ['shifts-left', 'passed']]);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a wrong answer without WHY.md or with other files than the starter (loadModule)', async () => {
    const tmp = tempDir();
    try {
      const dir = copyToTemp(fixture('honest'), tmp.dir, 'honest');
      const wrong = join(dir, 'exercises', 'double', 'wrong');
      rmSync(join(wrong, 'squares', 'WHY.md'));
      writeFileSync(join(wrong, 'adds-two', 'extra.ts'), 'export {};\n');
      const r = await loadModule(dir, { loadChecks: false });
      assert.equal(r.ok, false);
      const msgs = r.problems.map((p) => p.message);
      assert.ok(msgs.some((m) => /wrong\/squares has no WHY\.md/.test(m)), msgs.join('\n'));
      assert.ok(msgs.some((m) => /wrong\/adds-two\/extra\.ts has no counterpart in starter/.test(m)), msgs.join('\n'));
    } finally {
      tmp.cleanup();
    }
  });

  it('validate and install refuse a symbolic link that leaves the module folder, naming it', async () => {
    const tmp = tempDir();
    try {
      const secret = join(tmp.dir, 'secret.env');
      writeFileSync(secret, 'TOKEN=do-not-copy\n');
      const dir = copyToTemp(fixture('honest'), tmp.dir, 'honest');
      const starter = join(dir, 'exercises', 'double', 'starter', 'notes.txt');
      symlinkSync(secret, starter);
      symlinkSync(join(tmp.dir, 'nowhere'), join(dir, 'lessons', 'dangling.md'));
      const report = await validateModule(dir);
      assert.equal(report.ok, false);
      const msgs = report.problems.map((p) => p.message);
      assert.ok(msgs.some((m) => m.startsWith(`exercises/double/starter/notes.txt is a symbolic link to ${secret}, outside the module folder`)), msgs.join('\n'));
      assert.ok(msgs.some((m) => /lessons\/dangling\.md is a symbolic link to .*nowhere, which does not exist/.test(m)), msgs.join('\n'));
      const cli = await runCli(['curriculum', 'validate', dir]);
      assert.equal(cli.code, 1);
      assert.match(cli.stdout, /notes\.txt is a symbolic link/);
      const modules = join(tmp.dir, 'modules');
      await assert.rejects(installModule({ source: dir, modulesDir: modules }), /exercises\/double\/starter\/notes\.txt is a symbolic link to .*secret\.env, outside the module folder/);
      assert.ok(!existsSync(join(modules, 'honest')), 'nothing was installed');
      // A link that stays inside the module is fine.
      rmSync(starter);
      rmSync(join(dir, 'lessons', 'dangling.md'));
      symlinkSync(join(dir, 'exercises', 'double', 'hints.md'), join(dir, 'lessons', 'hints-link.md'));
      assert.equal((await loadModule(dir, { loadChecks: false })).ok, true);
    } finally {
      tmp.cleanup();
    }
  });
});
