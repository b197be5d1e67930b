/**
 * End to end: a class of five students works in real sandboxes (the lab), hands in with
 * `medigen curriculum submit`, and the instructor grades the archives with `medigen curriculum
 * grade` (real check processes, public + grading checks, points from exercise.json): right,
 * partial, wrong, hanging, a damaged archive, one from another module version, one that is not
 * a zip at all.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { projectRoot } from '../../../core/index';
import { parseCsv } from '../../../datasets/index';
import { buildLabTree, Lab } from '../../../curriculum/lab/index';
import { lessonViewState } from '../../../extension/lesson/state';
import { readSubmission } from '../../../curriculum/grading/index';
import { runCli } from '../../helpers/cli';

const fixture = join(projectRoot(), 'test', 'fixtures', 'curriculum', 'class');
const moduleDir = join(fixture, 'module');
const exercises = ['add', 'shout'] as const;

/** Where each student's files come from: the solution, or test/fixtures/curriculum/class/students/<variant>/<exercise>/. */
function filesOf(variant: string, ex: string): string {
  const own = join(fixture, 'students', variant, ex);
  return existsSync(own) ? own : join(moduleDir, 'exercises', ex, 'solution');
}

describe('medigen curriculum submit + grade: a class end to end', function () {
  this.timeout(600_000);
  let tmp: string;
  let inbox: string;
  let out: { code: number; stdout: string; stderr: string };
  let rows: Map<string, Record<string, string>>;
  let partialLab: { score?: { points: number; max: number }; tree: string; card: string };

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-grade-test-'));
    inbox = join(tmp, 'inbox');
    mkdirSync(inbox);
    for (const variant of ['right', 'partial', 'wrong', 'hanging']) {
      const sandboxRoot = join(tmp, `sandbox-${variant}`);
      const modulesDir = join(tmp, `modules-${variant}`);
      const lab = await Lab.open({ sandboxRoot, modulesDir, shippedModules: [moduleDir] });
      for (const ex of exercises) {
        const k = { moduleId: 'class-demo', exerciseId: ex };
        const work = await lab.startExercise(k);
        cpSync(filesOf(variant, ex), work, { recursive: true });
      }
      if (variant === 'partial') {
        // The student checks their work once: the lab keeps the public score for the card and the tree.
        await lab.runCheck({ moduleId: 'class-demo', exerciseId: 'add' });
        const p = lab.progress.get('class-demo/add');
        const tree = buildLabTree(lab.modules, (key) => lab.progress.get(key));
        const node = tree.flatMap((n) => (n.kind === 'module' ? n.children : [])).flatMap((l) => l.children).find((e) => e.exerciseId === 'add')!;
        const card = (await lessonViewState(lab, 'class-demo', lab.modules[0]!.lessons[0]!, { isRunning: () => false, failures: () => [] }, true)).exercises.find((e) => e.id === 'add')!;
        partialLab = { ...(p.score ? { score: p.score } : {}), tree: node.description, card: card.lastResult ?? '' };
      }
      const r = await runCli(['curriculum', 'submit', 'class-demo', '--out', join(inbox, `${variant}.zip`), '--sandbox', sandboxRoot, '--modules', modulesDir, '--name', `Student ${variant}`]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
    }
    const right = unzipSync(readFileSync(join(inbox, 'right.zip')));
    // Damaged: submission.json unreadable, shout's files lost, an entry that tries to leave the folder.
    const damaged: Record<string, Uint8Array> = { ...right, 'submission.json': strToU8('{ "format": "medigen-lab-sub'), 'exercises/add/../../../evil.ts': strToU8('export {}') };
    for (const k of Object.keys(damaged)) if (k.startsWith('exercises/shout/')) delete damaged[k];
    writeFileSync(join(inbox, 'damaged.zip'), zipSync(damaged));
    const manifest = JSON.parse(strFromU8(right['submission.json']!)) as { moduleVersion: string };
    writeFileSync(join(inbox, 'old-version.zip'), zipSync({ ...right, 'submission.json': strToU8(JSON.stringify({ ...manifest, moduleVersion: '0.9.0' })) }));
    writeFileSync(join(inbox, 'not-a-zip.zip'), readFileSync(join(inbox, 'right.zip')).subarray(0, 40));
    writeFileSync(join(inbox, 'README.txt'), 'collected on Monday');

    out = await runCli(['curriculum', 'grade', moduleDir, inbox, '--out', join(tmp, 'grades.csv'), '--html', join(tmp, 'report.html'), '--feedback', join(tmp, 'feedback'), '--jobs', '2', '--time-limit', '4']);
    const table = parseCsv(readFileSync(join(tmp, 'grades.csv')));
    rows = new Map(table.rows.map((r) => [r.cells[0]!, Object.fromEntries(table.header.map((h, k) => [h, r.cells[k] ?? '']))]));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the lab shows the public score on the card and in the tree (exercise.json points, grading checks left out)', () => {
    assert.deepEqual(partialLab.score, { points: 2, max: 3 }, '"adds two small numbers" is worth 2 and passes; "adds negative numbers" (1) fails; the grading check does not count');
    assert.match(partialLab.tree, /1 of 2 checks pass, 2\/3 points/);
    assert.match(partialLab.card, /1 of 2 checks pass, 2\/3 points/);
    // submit packed that progress and the last public results with the files.
    const sub = readSubmission(readFileSync(join(inbox, 'partial.zip')));
    assert.deepEqual(sub.problems, []);
    assert.equal(sub.manifest!.moduleVersion, '1.0.0');
    assert.equal(sub.manifest!.exercises.add!.progress!.status, 'failing');
    assert.deepEqual(sub.manifest!.exercises.add!.lastResults!.score, { points: 2, max: 3 });
    assert.deepEqual(sub.manifest!.exercises.add!.lastResults!.results.map((r) => [r.title, r.status]), [['adds two small numbers', 'passed'], ['adds negative numbers', 'failed']]);
    assert.equal(sub.manifest!.exercises.shout!.lastResults, undefined, 'shout was never checked');
    assert.deepEqual(sub.manifest!.exercises.shout!.files, ['shout.ts']);
  });

  it('grades every archive into one CSV row: points per exercise, total and max', () => {
    assert.equal(out.code, 0, out.stderr + out.stdout);
    const points = (s: string) => { const r = rows.get(s)!; return [r.add, r.shout, r.total, r.max]; };
    assert.deepEqual([...rows.keys()].sort(), ['damaged', 'hanging', 'not-a-zip', 'old-version', 'partial', 'right', 'wrong']);
    assert.deepEqual(points('right'), ['6', '3', '9', '9']);
    assert.deepEqual(points('partial'), ['5', '1', '6', '9'], 'add: small (2) + large (3), not negatives; shout: upper-case only');
    assert.deepEqual(points('wrong'), ['0', '0', '0', '9']);
    assert.deepEqual(points('hanging'), ['0', '3', '3', '9']);
    assert.deepEqual(points('damaged'), ['6', '0', '6', '9']);
    assert.deepEqual(points('old-version'), ['6', '3', '9', '9']);
    assert.deepEqual(points('not-a-zip'), ['0', '0', '0', '9']);
    assert.equal(rows.get('right')!.name, 'Student right');
    assert.equal(rows.get('right')!.module_version, '1.0.0');
  });

  it('reports the hanging, damaged, other-version and unreadable submissions instead of crashing', () => {
    assert.match(rows.get('hanging')!.notes!, /add: Timed out/);
    assert.match(rows.get('damaged')!.notes!, /submission\.json is not valid JSON/);
    assert.match(rows.get('damaged')!.notes!, /evil\.ts.*left out/);
    assert.match(rows.get('damaged')!.notes!, /shout: No files were submitted/);
    assert.match(rows.get('old-version')!.notes!, /Made for version 0\.9\.0 of the module; graded against version 1\.0\.0/);
    assert.match(rows.get('not-a-zip')!.notes!, /not a readable \.zip archive/);
    assert.equal(rows.get('right')!.notes, '');
    assert.match(out.stdout, /skipped README\.txt: not a \.zip archive or a student folder/);
    assert.ok(!existsSync(join(tmp, 'evil.ts')) && !existsSync(join(tmpdir(), 'evil.ts')), 'an entry with .. must not be written outside the work folder');
  });

  it('writes feedback per student: what passed and failed in words, never the grading checks\' source', () => {
    const partial = readFileSync(join(tmp, 'feedback', 'partial.md'), 'utf8');
    assert.match(partial, /feedback for Student partial/);
    assert.match(partial, /Total: 6\/9 points/);
    assert.match(partial, /✓ adds large numbers \(3\/3 points\)/);
    assert.match(partial, /✗ adds negative numbers — failed \(0\/1 point\)\n {2}add\(-2, -3\) should be -5/);
    const wrong = readFileSync(join(tmp, 'feedback', 'wrong.md'), 'utf8');
    assert.match(wrong, /✗ adds large numbers — failed \(0\/3 points\) \(a grading check\)\n {2}The condition this check tests was not met\./);
    const source = readFileSync(join(moduleDir, 'exercises', 'add', 'grading', 'add.test.ts'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 12);
    for (const name of ['right', 'partial', 'wrong', 'hanging', 'damaged', 'old-version', 'not-a-zip']) {
      const text = readFileSync(join(tmp, 'feedback', `${name}.md`), 'utf8');
      for (const line of source) assert.ok(!text.includes(line), `${name}.md shows grading source: ${line}`);
      assert.ok(!/SECRET_GRADING_VALUE|grading[\\/]|\.test\.ts|node:internal/.test(text), `${name}.md mentions grading files:\n${text}`);
    }
    assert.match(readFileSync(join(tmp, 'feedback', 'hanging.md'), 'utf8'), /timed out/i);
  });

  it('writes a self-contained HTML report: pass rate per exercise, common failures, who is stuck where', () => {
    const html = readFileSync(join(tmp, 'report.html'), 'utf8');
    assert.ok(!/<script|https?:\/\/|src=|<link/i.test(html), 'no script, no network');
    assert.match(html, /Add two numbers<br><small>add<\/small><\/td><td class="num">3 of 7 \(43%\)/);
    assert.match(html, /<td class="num">2<\/td><td>add<\/td><td>adds negative numbers<\/td><td>add\(-2, -3\) should be -5<\/td><td><small>partial, wrong<\/small>/);
    assert.match(html, /<th class="who">hanging <small>\(Student hanging\)<\/small><\/th><td class="cell timeout"/);
    assert.match(html, /Skipped: README\.txt/);
  });

  it('refuses to overwrite the CSV without --force and an output inside the submissions', async () => {
    const again = await runCli(['curriculum', 'grade', moduleDir, inbox, '--out', join(tmp, 'grades.csv')]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /grades\.csv already exists; it was not replaced[\s\S]*--force/);
    const inside = await runCli(['curriculum', 'grade', moduleDir, inbox, '--out', join(inbox, 'grades.csv')]);
    assert.equal(inside.code, 1);
    assert.match(inside.stderr, /inside .*inbox, which is an input/);
  });
});
