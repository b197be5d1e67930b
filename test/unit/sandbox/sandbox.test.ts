import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressStore, SANDBOX_MARKER, Sandbox } from '../../../sandbox';

describe('sandbox: student work is checkpointed and never lost', () => {
  let dir: string;
  let starter: string;
  const ex = () => ({ moduleId: 'm1', exerciseId: 'count-turns', starterDir: starter });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-sandbox-'));
    starter = join(dir, 'starter');
    mkdirSync(join(starter, 'lib'), { recursive: true });
    writeFileSync(join(starter, 'exercise.ts'), 'export function countTurns() {\n  // TODO\n}\n');
    writeFileSync(join(starter, 'lib', 'util.ts'), 'export const x = 1;\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts an exercise from its starter files inside a git repository', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    assert.equal(readFileSync(join(folder, 'exercise.ts'), 'utf8'), readFileSync(join(starter, 'exercise.ts'), 'utf8'));
    assert.ok(existsSync(join(dir, 'ws', '.git')));
    assert.deepEqual(await sb.exerciseFiles(ex()), ['exercise.ts', join('lib', 'util.ts')]);
    const attempts = await sb.attempts(ex());
    assert.equal(attempts[0]!.reason, 'start');
  });

  it('keeps a file saved with Windows line endings (CRLF) byte for byte through a checkpoint and a restore', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    assert.equal(execFileSync('git', ['config', 'core.autocrlf'], { cwd: join(dir, 'ws'), encoding: 'utf8' }).trim(), 'false');
    const folder = await sb.startExercise(ex());
    const crlf = 'export function countTurns() {\r\n  return 1;\r\n}\r\n';
    writeFileSync(join(folder, 'exercise.ts'), crlf);
    await sb.checkpoint('check', 'check');
    const saved = (await sb.attempts(ex()))[0]!.hash;
    writeFileSync(join(folder, 'exercise.ts'), 'broken\n');
    await sb.restoreAttempt(ex(), saved);
    assert.equal(readFileSync(join(folder, 'exercise.ts'), 'utf8'), crlf);
  });

  it('opened on a folder that already has files: keeps its .gitignore byte for byte and never commits what was there', async () => {
    const ws = join(dir, 'ws');
    mkdirSync(join(ws, 'notes'), { recursive: true });
    const userIgnore = '# mine\n*.log\n';
    writeFileSync(join(ws, '.gitignore'), userIgnore);
    writeFileSync(join(ws, 'secret.env'), 'API_KEY=do-not-commit\n');
    writeFileSync(join(ws, 'notes', 'todo.md'), 'my notes\n');
    assert.deepEqual(await Sandbox.existingEntries(ws), ['notes', 'secret.env']);
    const sb = await Sandbox.open(ws);
    const folder = await sb.startExercise(ex());
    writeFileSync(join(folder, 'exercise.ts'), 'my attempt');
    writeFileSync(join(folder, 'helper.ts'), 'a new file of the student');
    assert.ok(await sb.checkpoint('check', 'check'));
    assert.equal(readFileSync(join(ws, '.gitignore'), 'utf8'), userIgnore);
    const tracked = execFileSync('git', ['ls-files'], { cwd: ws, encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(tracked, ['m1/count-turns/exercise.ts', 'm1/count-turns/helper.ts', 'm1/count-turns/lib/util.ts']);
    const everCommitted = execFileSync('git', ['log', '--all', '--name-only', '--format='], { cwd: ws, encoding: 'utf8' });
    assert.doesNotMatch(everCommitted, /secret\.env|todo\.md|\.gitignore/);
    assert.match(readFileSync(join(ws, '.git', 'info', 'exclude'), 'utf8'), /\.medigen\/runs\//, 'our ignore lines went to git\'s local exclude file');
    assert.equal(readFileSync(join(ws, 'secret.env'), 'utf8'), 'API_KEY=do-not-commit\n');
  });

  it('a fresh folder gets our .gitignore, committed with the sandbox', async () => {
    const ws = join(dir, 'fresh');
    assert.deepEqual(await Sandbox.existingEntries(ws), []);
    await Sandbox.open(ws);
    assert.equal(execFileSync('git', ['ls-files'], { cwd: ws, encoding: 'utf8' }).trim(), '.gitignore');
  });

  it('does not overwrite a student file when the exercise is started again', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    writeFileSync(join(folder, 'exercise.ts'), 'my work');
    await sb.startExercise(ex());
    assert.equal(readFileSync(join(folder, 'exercise.ts'), 'utf8'), 'my work');
  });

  it('resets to the starter and restores the earlier attempt without losing a file', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    writeFileSync(join(folder, 'exercise.ts'), 'attempt one');
    writeFileSync(join(folder, 'notes.md'), 'my own notes');
    const saved = await sb.resetExercise(ex());
    assert.ok(saved, 'the attempt was checkpointed before the reset');
    assert.match(readFileSync(join(folder, 'exercise.ts'), 'utf8'), /TODO/);
    assert.ok(!existsSync(join(folder, 'notes.md')));

    await sb.restoreAttempt(ex(), saved!);
    assert.equal(readFileSync(join(folder, 'exercise.ts'), 'utf8'), 'attempt one');
    assert.equal(readFileSync(join(folder, 'notes.md'), 'utf8'), 'my own notes');
    const reasons = (await sb.attempts(ex())).map((a) => a.reason);
    assert.deepEqual(reasons.slice(0, 3), ['restore', 'reset', 'reset'], 'restore after a clean reset adds one checkpoint; reset added two');
    assert.equal(await sb.fileAt(saved!, 'm1/count-turns/exercise.ts'), 'attempt one');
  });

  it('checkpoints only when something changed, and refuses an unknown attempt', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    assert.equal(await sb.checkpoint('Before check', 'check'), undefined);
    writeFileSync(join(folder, 'exercise.ts'), 'changed');
    assert.match((await sb.checkpoint('Before check', 'check'))!, /^[0-9a-f]+$/);
    await assert.rejects(sb.restoreAttempt(ex(), 'deadbeef'), /no saved attempt deadbeef/);
  });

  it('idle() resolves once the git work asked for (not waited for) has ended', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    writeFileSync(join(folder, 'exercise.ts'), 'attempt');
    let recorded = false;
    void sb.checkpoint('Check m1/count-turns', 'check').then((c) => sb.recordResult(ex(), c, { status: 'passed', passed: 1, total: 1 })).then(() => (recorded = true));
    await sb.idle();
    await new Promise((r) => setImmediate(r)); // the .then above runs after the queue
    assert.equal(recorded, true, 'the checkpoint and the result asked for after it are both done');
    assert.equal((await sb.attempts(ex()))[0]?.result?.status, 'passed');
  });

  it('lists each attempt with its check result and changed files; housekeeping commits stay out', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    writeFileSync(join(folder, 'exercise.ts'), 'attempt one');
    writeFileSync(join(folder, 'notes.md'), 'mine');
    const first = await sb.checkpoint('Check m1/count-turns', 'check');
    await sb.recordResult(ex(), first, { status: 'failed', passed: 1, total: 4 });
    // A second check with nothing changed: its result goes to the newest checkpoint of the exercise.
    await sb.recordResult(ex(), undefined, { status: 'failed', passed: 2, total: 4 });
    writeFileSync(join(folder, 'exercise.ts'), 'attempt two');
    const second = await sb.checkpoint('Check m1/count-turns', 'check');
    await sb.recordResult(ex(), second, { status: 'passed', passed: 4, total: 4 });
    writeFileSync(join(folder, 'tsconfig.json'), '{}');
    await sb.checkpoint('Editor settings for m1/count-turns', 'internal');
    const list = await sb.attempts(ex());
    assert.deepEqual(list.map((a) => [a.reason, a.result, a.files]), [
      ['check', { status: 'passed', passed: 4, total: 4 }, ['exercise.ts']],
      ['check', { status: 'failed', passed: 2, total: 4 }, ['exercise.ts', 'notes.md']],
      ['start', undefined, ['exercise.ts', 'lib/util.ts']],
    ]);
    assert.equal((await sb.attempts(ex(), { all: true })).length, 4, 'the editor-settings commit is there, only hidden');
  });

  it('keeps the progress file out of checkpoints (no uncommitted change after a check) and hides .medigen in the Explorer', async () => {
    const ws = join(dir, 'ws');
    const sb = await Sandbox.open(ws);
    await sb.startExercise(ex());
    const store = new ProgressStore(ws);
    await store.checkFinished('m1/count-turns', 1, 2);
    mkdirSync(join(ws, '.medigen', 'results', 'm1'), { recursive: true });
    writeFileSync(join(ws, '.medigen', 'results', 'm1', 'count-turns.json'), '{}');
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: ws, encoding: 'utf8' }), '', 'progress.json or the last results show as a change');
    assert.deepEqual(JSON.parse(readFileSync(join(ws, '.vscode', 'settings.json'), 'utf8'))['files.exclude'], { '.medigen': true, '.gitignore': true });
    // The marker VS Code activates MediGen Lab on (package.json workspaceContains) is there, never checkpointed.
    assert.deepEqual(JSON.parse(readFileSync(join(ws, SANDBOX_MARKER), 'utf8')), { medigenLab: 'sandbox', format: 1 });
    assert.equal(execFileSync('git', ['ls-files', SANDBOX_MARKER], { cwd: ws, encoding: 'utf8' }), '');
  });

  it('a sandbox of an older version stops checkpointing progress.json, keeping the file', async () => {
    const ws = join(dir, 'old');
    mkdirSync(join(ws, '.medigen'), { recursive: true });
    const git = (...a: string[]) => execFileSync('git', a, { cwd: ws, encoding: 'utf8' });
    git('init', '-q');
    git('config', 'user.name', 't');
    git('config', 'user.email', 't@t.invalid');
    writeFileSync(join(ws, '.gitignore'), 'node_modules/\n');
    writeFileSync(join(ws, '.medigen', 'progress.json'), '{"version":1,"exercises":{}}');
    git('add', '-A');
    git('commit', '-qm', 'old');
    await Sandbox.open(ws);
    assert.equal(git('ls-files', '.medigen').trim(), '');
    assert.ok(existsSync(join(ws, '.medigen', 'progress.json')));
    assert.ok(existsSync(join(ws, SANDBOX_MARKER)), 'an older sandbox gets the marker too (ignored through .git/info/exclude)');
    writeFileSync(join(ws, '.medigen', 'progress.json'), '{"version":1,"exercises":{"a/b":{}}}');
    mkdirSync(join(ws, '.medigen', 'results', 'a'), { recursive: true });
    writeFileSync(join(ws, '.medigen', 'results', 'a', 'b.json'), '{}');
    assert.equal(git('status', '--porcelain'), '', 'progress.json or the last results show as a change');
  });

  it('Reset names the checkpoint with the current files even when nothing changed since the last check', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    writeFileSync(join(folder, 'exercise.ts'), 'checked attempt');
    const checked = await sb.checkpoint('Check m1/count-turns', 'check');
    const saved = await sb.resetExercise(ex());
    assert.equal(saved, checked);
    assert.ok((await sb.attempts(ex())).some((a) => a.hash === saved), 'the checkpoint Reset names is in the list');
    const back = await sb.restoreAttempt(ex(), saved!);
    assert.deepEqual(back.files, ['exercise.ts']);
    assert.ok(back.before);
    assert.match(await sb.fileAt(back.before!, 'm1/count-turns/exercise.ts'), /TODO/, '"before" holds the files the restore replaced');
  });

  it('a checkpoint runs no git hook planted in the sandbox (a folder from someone else)', async () => {
    const sb = await Sandbox.open(join(dir, 'ws'));
    const folder = await sb.startExercise(ex());
    const marker = join(dir, 'hook-ran');
    const hook = `#!/bin/sh\necho ran > '${marker}'\n`;
    for (const name of ['pre-commit', 'commit-msg', 'post-commit']) writeFileSync(join(dir, 'ws', '.git', 'hooks', name), hook, { mode: 0o755 });
    writeFileSync(join(folder, 'exercise.ts'), 'changed');
    assert.match((await sb.checkpoint('Before check', 'check'))!, /^[0-9a-f]+$/);
    assert.equal(existsSync(marker), false, 'the hook did not run');
    // Control: plain git in the same repository does run it, so the assertion above can fail.
    writeFileSync(join(folder, 'exercise.ts'), 'changed again');
    execFileSync('git', ['-C', join(dir, 'ws'), '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'plain'], { stdio: 'ignore' });
    assert.equal(existsSync(marker), true, 'plain git ran the planted hook');
  });
});

describe('progress store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-progress-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('changes only through actions, notifies, and persists across restarts', async () => {
    const store = new ProgressStore(dir);
    const seen: string[] = [];
    store.onDidChange((s) => seen.push(s.exercises['m/e']!.status));
    await store.exerciseStarted('m/e');
    await store.checkFinished('m/e', 1, 3);
    assert.equal(await store.hintShown('m/e', 2), 0);
    assert.equal(await store.hintShown('m/e', 2), 1);
    assert.equal(await store.hintShown('m/e', 2), 1, 'stays on the last hint');
    await store.checkFinished('m/e', 3, 3);
    assert.deepEqual(seen, ['started', 'failing', 'failing', 'failing', 'failing', 'passed']);

    const again = new ProgressStore(dir);
    assert.equal(again.get('m/e').status, 'passed');
    assert.equal(again.get('m/e').checks, 2);
    assert.equal(again.get('m/e').lastResult, '3 of 3 checks pass');
    assert.equal(again.get('m/other').status, 'not-started');
  });

  it('keeps a damaged progress file aside instead of crashing', async () => {
    mkdirSync(join(dir, '.medigen'));
    writeFileSync(join(dir, '.medigen', 'progress.json'), '{not json');
    const store = new ProgressStore(dir);
    assert.equal(store.get('m/e').status, 'not-started');
    await new Promise((r) => setTimeout(r, 50));
    const { readdirSync } = await import('node:fs');
    assert.ok(readdirSync(join(dir, '.medigen')).some((f) => f.startsWith('progress.json.damaged-')));
  });
});
