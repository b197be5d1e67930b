/**
 * The pieces of grading on real files, without running checks: points per check, the
 * submission archive (damaged, hostile), submit's refusals, and what students and the report
 * never show.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { projectRoot } from '../../../../core/index';
import { installModule, loadModule, readSchema, scoreExercise, validateAgainstSchema, type CheckResult } from '../../../../curriculum/engine/index';
import { feedbackMarkdown, gradesCsv, readSubmission, reportHtml, studentMessage, submitModule, type ClassGrades } from '../../../../curriculum/grading/index';

const moduleDir = join(projectRoot(), 'test', 'fixtures', 'curriculum', 'class', 'module');

const result = (title: string, status: CheckResult['status'], file = '/m/exercises/add/checks/add.test.ts', message?: string): CheckResult => ({ title, fullTitle: `add ${title}`, status, file, ...(message ? { message } : {}) });

describe('grading: points, archives, feedback and report', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-grading-unit-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('scores checks with exercise.json points (unlisted = 1); the public score leaves grading checks out', async () => {
    const loaded = await loadModule(moduleDir, { loadChecks: false });
    assert.ok(loaded.ok);
    const add = loaded.module.exercises.find((e) => e.id === 'add')!;
    assert.deepEqual(add.points, { 'adds two small numbers': 2, 'adds large numbers': 3 });
    const results = [result('adds two small numbers', 'passed'), result('adds negative numbers', 'failed'), result('adds large numbers', 'passed', '/m/exercises/add/grading/add.test.ts')];
    const all = scoreExercise(add.points, results);
    assert.deepEqual([all.points, all.max], [5, 6]);
    assert.deepEqual(all.checks.map((c) => [c.title, c.points, c.max, c.grading]), [['adds two small numbers', 2, 2, false], ['adds negative numbers', 0, 1, false], ['adds large numbers', 3, 3, true]]);
    const pub = scoreExercise(add.points, results, { publicOnly: true });
    assert.deepEqual([pub.points, pub.max], [2, 3]);
    assert.deepEqual([scoreExercise({ a: 0.1, b: 0.2 }, [result('a', 'passed'), result('b', 'passed')]).points], [0.3]);
    assert.deepEqual(scoreExercise({}, [result('x', 'timeout'), result('y', 'not-run')]), { points: 0, max: 2, checks: scoreExercise({}, [result('x', 'timeout'), result('y', 'not-run')]).checks });
  });

  it('the exercise schema takes points as numbers of at least 0 and names a bad one', () => {
    const schema = readSchema('exercise.schema.json');
    assert.deepEqual(validateAgainstSchema({ points: { 'adds two small numbers': 2, other: 0.5 } }, schema), []);
    const errs = validateAgainstSchema({ points: { 'adds two small numbers': -1, other: 'two' } }, schema);
    assert.deepEqual(errs.map((e) => [e.path, e.kind]), [['$.points["adds two small numbers"]', 'bad-value'], ['$.points["other"]', 'wrong-type']]);
  });

  it('reads a damaged or hostile archive as far as it goes, without writing anything', () => {
    const notZip = readSubmission(strToU8('hello'));
    assert.equal(notZip.files.size, 0);
    assert.match(notZip.problems[0]!, /not a readable \.zip archive/);
    const hostile = readSubmission(zipSync({ 'exercises/add/add.ts': strToU8('export const x = 1;'), 'exercises/add/../../x.ts': strToU8('x'), '/etc/passwd': strToU8('x'), 'notes.txt': strToU8('hi') }));
    assert.deepEqual([...hostile.files.get('add')!.keys()], ['add.ts']);
    assert.equal(hostile.manifest, undefined);
    assert.equal(hostile.problems.length, 4, hostile.problems.join('\n'));
    assert.match(hostile.problems.join('\n'), /has no submission\.json/);
    assert.match(hostile.problems.join('\n'), /"exercises\/add\/\.\.\/\.\.\/x\.ts" is not an exercise file/);
  });

  it('submit packs the student\'s files, progress and module version; refuses an --out among its inputs and an existing file without force', async () => {
    const modulesDir = join(tmp, 'modules');
    const workRoot = join(tmp, 'sandbox');
    await installModule({ source: moduleDir, modulesDir, workRoot });
    cpSync(join(moduleDir, 'exercises', 'add', 'solution', 'add.ts'), join(workRoot, 'class-demo', 'add', 'add.ts'));
    mkdirSync(join(workRoot, 'class-demo', 'add', 'data'));
    writeFileSync(join(workRoot, 'class-demo', 'add', 'data', 'notes.md'), 'my notes');
    const out = join(tmp, 'ana.zip');
    const r = submitModule({ moduleId: 'class-demo', out, sandboxRoot: workRoot, modulesDir, student: 'Ana' });
    assert.deepEqual(r.exercises, { add: ['add.ts', 'data/notes.md'], shout: ['shout.ts'] }, 'tsconfig.json (ours) is left out; sub-folders are kept');
    const back = readSubmission(readFileSync(out));
    assert.deepEqual(back.problems, []);
    assert.equal(back.manifest!.moduleVersion, '1.0.0');
    assert.equal(back.manifest!.student, 'Ana');
    assert.equal(new TextDecoder().decode(back.files.get('add')!.get('add.ts')), readFileSync(join(moduleDir, 'exercises', 'add', 'solution', 'add.ts'), 'utf8'));
    assert.throws(() => submitModule({ moduleId: 'class-demo', out, sandboxRoot: workRoot, modulesDir }), /already exists; it was not replaced/);
    const before = readFileSync(out);
    submitModule({ moduleId: 'class-demo', out, sandboxRoot: workRoot, modulesDir, force: true });
    assert.ok(existsSync(out) && unzipSync(readFileSync(out))['submission.json'] && before.length > 0);
    assert.throws(() => submitModule({ moduleId: 'class-demo', out: join(workRoot, 'class-demo', 'add', 'me.zip'), sandboxRoot: workRoot, modulesDir }), /inside your work folder/);
    assert.throws(() => submitModule({ moduleId: 'no-such-module', out: join(tmp, 'x.zip'), sandboxRoot: workRoot, modulesDir }), (e: Error & { hint?: string }) => /No module "no-such-module"/.test(e.message) && /class-demo/.test(e.hint ?? ''));
  });

  it('feedback and report never show a grading check\'s code, and escape what students wrote', () => {
    const leaked = studentMessage({ title: 'adds large numbers', fullTitle: 'x', status: 'failed', points: 0, max: 3, grading: true, message: 'The expression evaluated to a falsy value:\n\n  assert.ok((await student.add(SECRET, 1)) === SECRET + 1)\n' });
    assert.equal(leaked, 'The condition this check tests was not met.');
    assert.equal(studentMessage({ title: 't', fullTitle: 't', status: 'failed', points: 0, max: 1, grading: false, message: 'add(2, 3) should be 5\n    at Context.<anonymous> (/home/x/exercises/add/grading/add.test.ts:9:5)' }), 'add(2, 3) should be 5');
    const evil = '<script>alert(1)</script>';
    const grades: ClassGrades = {
      module: { id: 'class-demo', title: 'Class demo', version: '1.0.0' },
      exercises: [{ id: 'add', title: 'Add', max: 1, checks: [{ title: 'adds', fullTitle: 'add adds', max: 1, grading: false }] }],
      students: [{ student: '=HYPERLINK("x")', name: evil, source: '/x', exercises: [{ exerciseId: 'add', status: 'graded', points: 0, max: 1, checks: [{ title: 'adds', fullTitle: 'add adds', status: 'failed', points: 0, max: 1, grading: false, message: evil }] }], total: 0, max: 1, notes: [] }],
      skipped: [],
      warnings: [],
      jobs: 1,
      durationMs: 1000,
    };
    const html = reportHtml(grades);
    assert.ok(!html.includes(evil) && html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(gradesCsv(grades).split('\n')[1]!, /^"'=HYPERLINK\(""x""\)"/, 'a name a spreadsheet would run as a formula is quoted with an apostrophe');
    assert.ok(!feedbackMarkdown(grades, grades.students[0]!).includes('<script>'));
  });
});
