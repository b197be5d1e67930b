import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMessageLines, explainJsError, runChecks } from '../../../../curriculum/engine';
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

  it("keeps a check author's message whole, and Node's own assertion text to its first line", async () => {
    const tmp = tempDir();
    try {
      const ex = join(tmp.dir, 'exercise');
      mkdirSync(join(ex, 'checks'), { recursive: true });
      writeFileSync(join(ex, 'checks', 'msg.test.ts'), [
        "import assert from 'node:assert/strict';",
        "it('explains on a second line', () => assert.fail('The texts differ.\\nThe first difference is on line 3 of 8:\\n  expected:  [NAME 1]\\n  your text: [NAME 2]'));",
        "it('compares without words', () => assert.equal(1 + 1, 3));",
        "it('compares with words', () => assert.equal(1 + 1, 3, 'one and one make three here'));",
        "it('compares objects with words', () => assert.deepEqual({ a: 1 }, { a: 2 }, 'a should be 2'));",
        "it('asks whether something is true', () => assert.ok(1 > 2, 'one should be more than two'));",
      ].join('\n'));
      const run = await runChecks({ exerciseDir: ex, workDir: tmp.dir });
      const [fail, bare, worded, objects, ok] = run.results;
      // assert.fail compares nothing: no expected/actual (which would read "undefined").
      assert.equal(fail!.status, 'failed');
      assert.equal(fail!.expected, undefined);
      assert.equal(fail!.actual, undefined);
      assert.deepEqual(checkMessageLines(fail!), ['The texts differ.', 'The first difference is on line 3 of 8:', '  expected:  [NAME 1]', '  your text: [NAME 2]']);
      assert.equal(bare!.generatedMessage, true);
      assert.deepEqual([bare!.expected, bare!.actual], ['3', '2']);
      assert.deepEqual(checkMessageLines(bare!), ['Your code gave a different value than the check expected.']);
      assert.equal(worded!.generatedMessage, undefined);
      // Node appends the values to the author's words ("2 !== 3", a diff): they are shown beside it.
      assert.match(worded!.message!, /2 !== 3/);
      assert.deepEqual(checkMessageLines(worded!), ['one and one make three here']);
      assert.match(objects!.message!, /\+ actual - expected/);
      assert.deepEqual(checkMessageLines(objects!), ['a should be 2']);
      // assert.ok's values are only "true" and "false": the message says it.
      assert.deepEqual([ok!.status, ok!.expected, ok!.actual, checkMessageLines(ok!)], ['failed', undefined, undefined, ['one should be more than two']]);
      assert.deepEqual(checkMessageLines({ message: Array.from({ length: 9 }, (_, i) => `line ${i}`).join('\n') }).slice(-2), ['line 5', '…']);
      // A long deep-equal diff that Node shortened ("... Lines skipped") is cut from the words too.
      assert.deepEqual(checkMessageLines({ message: 'the list of 60\n+ actual - expected ... Lines skipped\n\n  [\n+   30,\n-   99,\n  ]', expected: '[…]', actual: '[…]' }), ['the list of 60']);
    } finally {
      tmp.cleanup();
    }
  });

  it('says a library function read a field of undefined when the marked line only calls it (a misspelled field passed in)', async () => {
    const tmp = tempDir();
    try {
      const ex = join(tmp.dir, 'exercise');
      mkdirSync(join(ex, 'checks'), { recursive: true });
      writeFileSync(join(ex, 'checks', 'index.test.ts'), [
        "import assert from 'node:assert/strict';",
        "import { pathToFileURL } from 'node:url';",
        "import { join } from 'node:path';",
        "it('indexes the dialogue', async () => {",
        "  const { indexed } = await import(pathToFileURL(join(process.env.MEDIGEN_EXERCISE_DIR!, 'code.ts')).href);",
        "  assert.ok(indexed({ dialogue: '[doctor] hi', note: '' }));",
        '});',
      ].join('\n'));
      const work = join(tmp.dir, 'work');
      mkdirSync(work);
      writeFileSync(join(work, 'code.ts'), "import { indexDialogue } from 'medigen-lab';\n\nexport function indexed(encounter: { dialogue: string }) {\n  return indexDialogue((encounter as unknown as { dialog: string }).dialog);\n}\n");
      const run = await runChecks({ exerciseDir: ex, workDir: work });
      const [r] = run.results;
      assert.equal(r!.status, 'failed', JSON.stringify(run, null, 1));
      assert.match(r!.message!, /Cannot read properties of undefined/);
      assert.equal(r!.location?.line, 4, JSON.stringify(r!.location));
      assert.match(explainJsError(r!.message!, r!.location)!, /^A function your code calls on the line marked in your file asked for \.\w+ of a value your code gave it, and that value is undefined.*encounter\.dialog instead of encounter\.dialogue/);
      // Without the line, or on a line that reads the field itself, the general words.
      assert.match(explainJsError(r!.message!)!, /^Your code asked for \./);
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
