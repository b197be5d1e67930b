import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { projectRoot } from '../../../../core/index';
import { installModule, listFiles } from '../../../../curriculum/engine/index';
import { Lab, labModulesDir, shippedModuleDirs } from '../../../../curriculum/lab/index';

const shipped = join(projectRoot(), 'curriculum', 'modules', 'meet-the-data');
const ex = { moduleId: 'meet-the-data', exerciseId: 'count-turns' };

describe('Lab: the sandbox and the curriculum engine in one place (plain Node)', function () {
  this.timeout(120_000);
  let tmp: string;
  let lab: Lab;
  const savedModulesDir = process.env.MEDIGEN_MODULES_DIR;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'medigen-lab-test-'));
    process.env.MEDIGEN_MODULES_DIR = join(tmp, 'modules');
    lab = await Lab.open({ sandboxRoot: join(tmp, 'sandbox') });
  });
  after(() => {
    if (savedModulesDir === undefined) delete process.env.MEDIGEN_MODULES_DIR;
    else process.env.MEDIGEN_MODULES_DIR = savedModulesDir;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the course modules and installs them on first use outside the sandbox, in course order; only starters go into the sandbox', async () => {
    const course = ['meet-the-data', 'cleaning-dialogues', 'instruction-prompts', 'scoring-notes', 'generating-notes', 'fine-tuning', 'is-this-note-safe'];
    assert.deepEqual(shippedModuleDirs(), course.map((id) => join(projectRoot(), 'curriculum', 'modules', id)));
    assert.equal(shippedModuleDirs()[0], shipped);
    assert.deepEqual(lab.modules.map((m) => m.id), course, 'modules are listed in course order, not by id');
    const rec = lab.installed().find((m) => m.id === 'meet-the-data');
    assert.equal(lab.modulesDir, labModulesDir(join(tmp, 'sandbox')));
    assert.ok(lab.modulesDir.startsWith(join(tmp, 'modules')), lab.modulesDir);
    assert.equal(rec!.dir, join(lab.modulesDir, 'meet-the-data', 'module'));
    assert.equal(rec!.workDir, join(tmp, 'sandbox', 'meet-the-data'));
    assert.ok(existsSync(join(lab.workDir(ex), 'turns.ts')));
    assert.ok(!existsSync(join(lab.modulesDir, 'meet-the-data', 'work')), 'the engine must not keep a second work folder');
    // Grading checks (count-turns has one in the shipped module) are never installed.
    assert.ok(existsSync(join(shipped, 'exercises', 'count-turns', 'grading')));
    assert.ok(!existsSync(join(rec!.dir, 'exercises', 'count-turns', 'grading')), 'grading/ is not installed');
    // Nothing of the module but starter files is in the student's workspace: no solution, check or wrong answer.
    const inSandbox = listFiles(lab.sandboxRoot).filter((f) => !f.startsWith('.git/'));
    assert.ok(!existsSync(join(tmp, 'sandbox', '.medigen', 'modules')));
    assert.deepEqual(inSandbox.filter((f) => /solution|checks|wrong|WHY\.md|\.test\.ts|medigen-module\.json/.test(f)), [], inSandbox.join('\n'));
    const tracked = await simpleGit(lab.sandboxRoot).raw(['ls-files']);
    assert.match(tracked, /meet-the-data\/count-turns\/turns\.ts/);
    // Opening again does not install twice.
    const again = await Lab.open({ sandboxRoot: lab.sandboxRoot });
    assert.equal(again.installed().length, course.length);
    assert.deepEqual(again.modules.map((m) => m.id), course);
  });

  it('starts an exercise: starter + tsconfig mapping medigen-lab, checkpointed, progress "started"', async () => {
    const dir = await lab.startExercise(ex);
    assert.equal(dir, join(lab.sandboxRoot, 'meet-the-data', 'count-turns'));
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
    assert.ok(tsconfig.compilerOptions.paths['medigen-lab']);
    assert.equal(lab.progress.get('meet-the-data/count-turns').status, 'started');
    assert.equal(lab.exerciseOfFile(join(dir, 'turns.ts'))?.exerciseId, 'count-turns');
    assert.equal(lab.exerciseOfFile(join(tmp, 'elsewhere.ts')), undefined);
  });

  it('runs the checks against the sandbox: fail on the starter, pass on the solution, checkpoint first', async () => {
    let changes = 0;
    const sub = lab.onDidChange(() => changes++);
    const failing = await lab.runCheck(ex);
    assert.equal(failing.status, 'failed');
    assert.equal(failing.workDir, lab.workDir(ex));
    assert.ok(failing.results.length >= 2);
    assert.equal(failing.passed, 0);
    const located = failing.results.find((r) => r.location);
    assert.equal(located?.location?.file, join(lab.workDir(ex), 'turns.ts'));
    assert.equal(lab.progress.get('meet-the-data/count-turns').status, 'failing');

    cpSync(join(shipped, 'exercises', 'count-turns', 'solution', 'turns.ts'), join(lab.workDir(ex), 'turns.ts'));
    const passing = await lab.runCheck(ex);
    assert.equal(passing.status, 'passed', JSON.stringify(passing.results.filter((r) => r.status !== 'passed')));
    assert.deepEqual(passing.results.filter((r) => !r.file?.includes('/checks/')), [], 'only public checks run for a student');
    assert.ok(passing.checkpoint, 'the solution was checkpointed before the check');
    assert.equal(await lab.sandbox.fileAt(passing.checkpoint!, 'meet-the-data/count-turns/turns.ts'), readFileSync(join(lab.workDir(ex), 'turns.ts'), 'utf8'));
    const p = lab.progress.get('meet-the-data/count-turns');
    assert.equal(p.status, 'passed');
    assert.equal(p.checks, 2);
    assert.ok(changes >= 2, 'views were told about the progress');
    sub.dispose();
    // The restore list knows how each attempt did, and nothing is left uncommitted by the check.
    const [newest, older] = await lab.attempts(ex);
    assert.deepEqual([newest!.hash, newest!.result], [passing.checkpoint, { status: 'passed', passed: passing.passed, total: passing.results.length }]);
    assert.deepEqual(older!.result, { status: 'failed', passed: 0, total: failing.results.length });
    assert.equal(await simpleGit(lab.sandboxRoot).raw(['status', '--porcelain']), '');
  });

  it('stops a check whose student code never ends (separate process, time limit)', async () => {
    const loop = { moduleId: 'meet-the-data', exerciseId: 'load-a-split' };
    await lab.startExercise(loop);
    const file = lab.entryFile(loop);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nwhile (true) {}\n`);
    const run = await lab.runCheck(loop);
    assert.ok(run.status === 'timeout' || run.status === 'failed', run.status);
    assert.ok(run.results.some((r) => r.status === 'timeout'), JSON.stringify(run.results.map((r) => r.status)));
    await lab.resetExercise(loop);
  });

  it('gives hints in order and remembers how many were shown', async () => {
    const total = lab.exercise(ex).exercise.hints.length;
    const first = await lab.nextHint(ex);
    const second = await lab.nextHint(ex);
    assert.deepEqual([first.index, second.index], [0, 1]);
    assert.equal(first.total, total);
    assert.deepEqual(lab.shownHints(ex), lab.exercise(ex).exercise.hints.slice(0, 2));
  });

  it('resets to the starter and restores the attempt without losing a file', async () => {
    const file = lab.entryFile(ex);
    const solved = readFileSync(file, 'utf8');
    writeFileSync(join(lab.workDir(ex), 'notes.md'), 'my notes\n');
    const saved = await lab.resetExercise(ex);
    assert.ok(saved);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(join(shipped, 'exercises', 'count-turns', 'starter', 'turns.ts'), 'utf8'));
    assert.ok(existsSync(join(lab.workDir(ex), 'tsconfig.json')), 'the editor mapping comes back after a reset');
    assert.equal(lab.progress.get('meet-the-data/count-turns').status, 'started');
    const attempts = await lab.attempts(ex);
    assert.ok(attempts.some((a) => a.hash === saved));
    assert.ok(!attempts.some((a) => /^(Editor settings|Install module)/.test(a.message) && !a.result), 'housekeeping commits are not attempts (unless a check ran on them)');
    await lab.restoreAttempt(ex, saved!);
    assert.equal(readFileSync(file, 'utf8'), solved);
    assert.equal(readFileSync(join(lab.workDir(ex), 'notes.md'), 'utf8'), 'my notes\n');
  });

  it('updates a module: checkpoint, student edits kept, the instructor change returned with the old starter', async () => {
    const src = join(tmp, 'course');
    cpSync(shipped, src, { recursive: true });
    const manifestFile = join(src, 'medigen-module.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, id: 'course-copy', version: '1.0.0' }));
    await lab.installModule(src);
    const k = { moduleId: 'course-copy', exerciseId: 'count-turns' };
    const edited = `${readFileSync(lab.entryFile(k), 'utf8')}\n// my own work\n`;
    writeFileSync(lab.entryFile(k), edited);
    const untouched = { moduleId: 'course-copy', exerciseId: 'corpus-table' };
    // The instructor changes two starters and publishes 1.1.0.
    for (const [dir, f] of [['count-turns', 'turns.ts'], ['corpus-table', 'table.ts']]) {
      const p = join(src, 'exercises', dir!, 'starter', f!);
      writeFileSync(p, `// Updated by the instructor\n${readFileSync(p, 'utf8')}`);
    }
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, id: 'course-copy', version: '1.1.0' }));
    const res = await lab.updateModule('course-copy');
    assert.equal(res.status, 'updated');
    assert.equal(res.after.version, '1.1.0');
    assert.equal(readFileSync(lab.entryFile(k), 'utf8'), edited, 'student work wins');
    assert.match(readFileSync(lab.entryFile(untouched), 'utf8'), /^\/\/ Updated by the instructor/, 'an unedited file gets the new starter');
    assert.deepEqual(res.keptFiles.map((f) => `${f.exerciseId}/${f.file}`), ['count-turns/turns.ts']);
    assert.match(res.keptFiles[0]!.diff, /\+\/\/ Updated by the instructor/);
    assert.doesNotMatch(readFileSync(join(res.previousDir, 'exercises', 'count-turns', 'starter', 'turns.ts'), 'utf8'), /Updated by the instructor/);
    const attempts = await lab.attempts(k);
    assert.ok(attempts.some((a) => a.reason === 'update' && /Before updating/.test(a.message)), 'checkpointed before the update');
    assert.deepEqual(lab.modules.map((m) => m.id), ['meet-the-data', 'cleaning-dialogues', 'instruction-prompts', 'scoring-notes', 'generating-notes', 'fine-tuning', 'is-this-note-safe', 'course-copy'], 'a module installed by the student comes after the shipped course');
  });
  it('moves modules an older version installed inside the sandbox out of it, keeping the student\'s files', async () => {
    const sb = join(tmp, 'old-sandbox');
    const oldDir = join(sb, '.medigen', 'modules');
    await installModule({ source: shipped, modulesDir: oldDir, workRoot: sb });
    writeFileSync(join(sb, 'meet-the-data', 'count-turns', 'turns.ts'), '// my work\n');
    const opened = await Lab.open({ sandboxRoot: sb });
    assert.ok(!existsSync(oldDir), 'the copy with the solutions is gone from the sandbox');
    assert.equal(opened.installed().find((m) => m.id === 'meet-the-data')?.dir, join(labModulesDir(sb), 'meet-the-data', 'module'));
    assert.equal(readFileSync(join(sb, 'meet-the-data', 'count-turns', 'turns.ts'), 'utf8'), '// my work\n');
  });

  it('refuses a modules folder inside the sandbox', async () => {
    await assert.rejects(Lab.open({ sandboxRoot: join(tmp, 'sandbox'), modulesDir: join(tmp, 'sandbox', 'mods') }), /is inside the sandbox/);
  });
});
