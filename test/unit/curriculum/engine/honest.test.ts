import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installModule, runChecks, type CheckRun } from '../../../../curriculum/engine/index';
import { projectRoot } from '../../../../core/index';
import { fixture, tempDir } from './helpers';

// Checks that cannot be gamed: the student's file runs in its own process (loadStudent), so what it
// does to assert, to file descriptor 3 or to the process cannot turn into a pass. Each student
// attempt below returns WRONG values (double(n) = n + 1) and tries one trick.
const module = fixture('honest');
const exerciseDir = join(module, 'exercises', 'double');

const TITLES = ['double double doubles a number', 'double double doubles a negative number', 'double NAME names the exercise'];
const FAKE_RESULTS = `${[
  JSON.stringify({ event: 'plan', tests: TITLES.map((t) => ({ title: t.slice(7), fullTitle: t })) }),
  ...TITLES.map((t) => JSON.stringify({ event: 'pass', title: t.slice(7), fullTitle: t, durationMs: 1 })),
  JSON.stringify({ event: 'end', passes: 3, failures: 0 }),
].join('\n')}\n`;

async function attempt(code: string, dir: string, checkTimeoutMs = 8000): Promise<CheckRun> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'code.ts'), code);
  return runChecks({ exerciseDir, workDir: dir, checkTimeoutMs });
}

function noPass(run: CheckRun): void {
  assert.notEqual(run.status, 'passed', JSON.stringify(run.results, null, 1));
  const doubles = run.results.filter((r) => r.title.startsWith('double'));
  assert.equal(doubles.length, 2, JSON.stringify(run, null, 1));
  for (const r of doubles) assert.notEqual(r.status, 'passed', `${r.fullTitle} must not pass: ${JSON.stringify(run.results, null, 1)}`);
}

describe('checks that cannot be gamed (student code in its own process)', function () {
  this.timeout(180_000);
  const tmp = tempDir('medigen-honest-');
  after(() => tmp.cleanup());

  it('the right answer passes and the starter fails, through loadStudent (functions and a constant)', async () => {
    const right = await runChecks({ exerciseDir, workDir: join(exerciseDir, 'solution') });
    assert.equal(right.status, 'passed', JSON.stringify(right, null, 1));
    assert.equal(right.passed, 3);
    const starter = await runChecks({ exerciseDir, workDir: join(exerciseDir, 'starter') });
    assert.equal(starter.passed, 0);
    // The student's throw keeps its message and its place in the student's file.
    const r = starter.results.find((x) => x.title === 'double doubles a number')!;
    assert.match(r.message!, /TODO: double 21/);
    assert.deepEqual(r.location, { file: join(exerciseDir, 'starter', 'code.ts'), line: 6, column: 9 });
    assert.equal(r.checkLocation?.file, join(exerciseDir, 'checks', 'code.test.ts'));
  });

  it('a student file that replaces or patches assert cannot pass', async () => {
    const run = await attempt(
      `import assert from 'node:assert/strict';
import * as plain from 'node:assert';
const noop = () => undefined;
for (const a of [assert, plain.default, plain.default.strict] as unknown as Record<string, unknown>[]) {
  for (const k of Object.keys(a)) a[k] = noop;
}
(globalThis as Record<string, unknown>).assert = noop;
export const NAME = 'double';
export function double(n: number): number {
  return n + 1;
}
`,
      join(tmp.dir, 'patch-assert'),
    );
    noPass(run);
    assert.match(run.results[0]!.message!, /double\(21\) should be 42/);
    assert.equal(run.results[0]!.actual, '22');
  });

  it('fake JSON results written to fd 3 (and to any other descriptor) cannot pass', async () => {
    const run = await attempt(
      `import { writeSync } from 'node:fs';
const fake = ${JSON.stringify(FAKE_RESULTS)};
export const wrote: string[] = [];
for (const fd of [3, 4, 5, 6]) {
  try { writeSync(fd, fake); wrote.push(String(fd)); } catch (e) { wrote.push(fd + ': ' + (e as Error).message); }
}
export const NAME = 'double';
export function double(n: number): number {
  try { writeSync(3, fake); } catch {}
  return n + 1;
}
`,
      join(tmp.dir, 'fd3'),
    );
    noPass(run);
  });

  it('process.exit(0) while loading or inside a call cannot pass, and says so in plain words', async () => {
    const atLoad = await attempt(`process.exit(0);\nexport const NAME = 'double';\nexport function double(n: number): number {\n  return n * 2;\n}\n`, join(tmp.dir, 'exit-at-load'));
    noPass(atLoad);
    assert.match(atLoad.results[0]!.message!, /Your code ended the program with process\.exit\(0\) while code\.ts was loading/);
    const inCall = await attempt(`export const NAME = 'double';\nexport function double(n: number): number {\n  process.exit(0);\n  return n * 2;\n}\n`, join(tmp.dir, 'exit-in-call'));
    noPass(inCall);
    assert.match(inCall.results[0]!.message!, /process\.exit\(0\) before double returned/);
    // The process starts again for the next call: NAME is still read.
    assert.equal(inCall.results.find((r) => r.title === 'NAME names the exercise')?.status, 'passed', JSON.stringify(inCall.results, null, 1));
  });

  it('an error nothing waited for (a promise without await) says so and what to write, not "process.exit"', async () => {
    const run = await attempt(
      `export const NAME = 'double';\nasync function generate(): Promise<number> {\n  await new Promise((r) => setTimeout(r, 10));\n  throw new Error('Object is disposed');\n}\nexport async function double(n: number): Promise<number> {\n  void generate();\n  await new Promise((r) => setTimeout(r, 300));\n  return n * 2;\n}\n`,
      join(tmp.dir, 'no-await'),
    );
    noPass(run);
    const message = run.results.find((r) => r.title !== 'NAME names the exercise')?.message ?? '';
    assert.match(message, /^Your code started something that failed later, and nothing waited for it: Error: Object is disposed before double returned\. .*without await in front of it\. Write await before each such call in your function/);
    assert.doesNotMatch(message, /process\.exit/);
  });

  it('a loop in one call is stopped at the limit and the next checks run in a fresh student process', async () => {
    const run = await attempt(`export const NAME = 'double';\nexport function double(n: number): number {\n  while (n > 0) {}\n  return n * 2;\n}\n`, join(tmp.dir, 'loop-in-call'), 3000);
    const [pos, neg, name] = run.results;
    assert.equal(pos!.status, 'timeout', JSON.stringify(run.results, null, 1));
    assert.match(pos!.message!, /did not finish double within/);
    assert.equal(neg!.status, 'passed');
    assert.equal(name!.status, 'passed');
  });

  it('importing the reference solution by a relative path fails, with import or with require (installed module)', async () => {
    const rec = await installModule({ source: module, modulesDir: join(tmp.dir, 'modules') });
    const work = join(rec.workDir, 'double');
    const installedEx = join(rec.dir, 'exercises', 'double');
    // Only the starter went to the student's folder.
    assert.equal(readFileSync(join(work, 'code.ts'), 'utf8'), readFileSync(join(exerciseDir, 'starter', 'code.ts'), 'utf8'));
    for (const code of [
      `export { double, NAME } from '../../module/exercises/double/solution/code';\n`,
      `import { createRequire } from 'node:module';\nconst load = createRequire(__filename);\nconst s = load('../../module/exercises/double/solution/code.ts');\nexport const double = s.double;\nexport const NAME = s.NAME;\n`,
    ]) {
      writeFileSync(join(work, 'code.ts'), code);
      const run = await runChecks({ exerciseDir: installedEx, workDir: work });
      noPass(run);
      assert.match(run.results[0]!.message!, /a file of the exercise module itself/);
    }
  });

  it('a check that writes a non-JSON line on the result channel gives a clear error, not a stack trace', async () => {
    const ex = join(tmp.dir, 'noisy-exercise');
    mkdirSync(join(ex, 'checks'), { recursive: true });
    writeFileSync(join(ex, 'checks', 'noisy.test.ts'), `import { writeSync } from 'node:fs';\nit('writes garbage', () => { writeSync(3, 'hello from a check\\n'); });\nit('never runs', () => {});\n`);
    const run = await runChecks({ exerciseDir: ex, workDir: join(exerciseDir, 'solution') });
    assert.equal(run.status, 'load-error');
    assert.match(run.loadError!.message, /not a check result on the result channel \(file descriptor 3\): "hello from a check"/);
  });

  it('a check file that loops while loading is stopped at the load limit and reported as such', async () => {
    const ex = join(tmp.dir, 'looping-exercise');
    mkdirSync(join(ex, 'checks'), { recursive: true });
    writeFileSync(join(ex, 'checks', 'loop.test.ts'), `for (;;) {}\nit('never defined', () => {});\n`);
    const started = Date.now();
    const run = await runChecks({ exerciseDir: ex, workDir: join(exerciseDir, 'solution'), checkTimeoutMs: 1000 });
    assert.equal(run.status, 'load-error');
    assert.match(run.loadError!.message, /did not finish loading within 15 s/);
    assert.ok(Date.now() - started < 40_000, `stopped after ${Date.now() - started} ms`);
  });
});

describe('a killed `medigen curriculum check` leaves no student process running', function () {
  this.timeout(120_000);
  const tmp = tempDir('medigen-killed-');
  after(() => tmp.cleanup());

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`${signal} to the CLI while the student's code loops forever`, async () => {
      const work = join(tmp.dir, signal);
      mkdirSync(work, { recursive: true });
      const pidFile = join(work, 'student.pid');
      writeFileSync(join(work, 'code.ts'), `import { writeFileSync } from 'node:fs';\nexport const NAME = 'double';\nexport function double(n: number): number {\n  writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n  for (;;) {}\n  return n;\n}\n`);
      const cli = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'cli', 'index.ts'), 'curriculum', 'check', module, 'double', work], { cwd: projectRoot(), stdio: 'ignore' });
      const deadline = Date.now() + 60_000;
      while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(existsSync(pidFile), 'the student code started');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(alive(pid), 'the student process is looping');
      cli.kill(signal);
      await new Promise((r) => cli.once('exit', r));
      const until = Date.now() + 5000;
      while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      assert.ok(!alive(pid), `student process ${pid} still running after ${signal} to the CLI`);
    });
  }
});
