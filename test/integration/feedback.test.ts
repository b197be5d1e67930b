/**
 * Feedback where the student looks, in a REAL VS Code (issue 16, points 4 and 5): what the lesson
 * card shows for a failed deep-equal check, that the Testing view counts the same checks as the
 * card, that the failure toast's Test Results command exists, and what the restore list shows
 * (each attempt with time, result and changed files; the checkpoint Reset names; a confirmed
 * restore with its undo). Real commands, real checks in a separate process, real git.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { medigenApi as api, until } from './support';
import { TEST_RESULTS_COMMAND, type RestoreResult } from '../../extension/commands/index';
import { attemptRow } from '../../extension/commands/attempts';
import type { ExerciseRunSummary } from '../../extension/testing/controller';

const repoRoot = join(__dirname, '..', '..', '..');
const shipped = join(repoRoot, 'curriculum', 'modules', 'meet-the-data');
const ex = { moduleId: 'meet-the-data', exerciseId: 'count-turns' };
const solution = readFileSync(join(shipped, 'exercises', 'count-turns', 'solution', 'turns.ts'), 'utf8');
// A near miss: speaker names are not lowercased, so two checks get objects with the wrong keys.
const nearMiss = solution.replace('tag[1]!.toLowerCase()', 'tag[1]!');

describe('Check feedback and the restore list in a real VS Code', function () {
  this.timeout(240_000);
  let tmp: string;
  let sandbox: string;
  let file: string;
  /** Items VS Code was given a final state for, per test run (what the Testing view counts). */
  const stated: string[][] = [];

  before(async () => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-feedback-it-')));
    sandbox = join(tmp, 'sandbox');
    await vscode.workspace.getConfiguration('medigenLab').update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
    const r = await vscode.commands.executeCommand<{ exerciseDirs?: string[] }>('medigenLab.startLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    assert.ok(r?.exerciseDirs, 'startLesson returned nothing: see the MediGen Lab output');
    file = join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts');
    // Watch what the controller tells VS Code (the real TestRun objects, only observed).
    const controller = (await api()).lessons.testing.controller;
    const create = controller.createTestRun.bind(controller);
    controller.createTestRun = (...args: Parameters<typeof create>) => {
      const run = create(...args);
      const ids: string[] = [];
      stated.push(ids);
      for (const m of ['passed', 'failed', 'errored', 'skipped'] as const) {
        const orig = run[m].bind(run) as (item: vscode.TestItem, ...rest: unknown[]) => void;
        (run as unknown as Record<string, unknown>)[m] = (item: vscode.TestItem, ...rest: unknown[]) => {
          ids.push(item.id);
          orig(item, ...rest);
        };
      }
      return run;
    };
  });
  // The lab records a check's result in git just after the check returns (not waited for): retry while it finishes.
  after(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

  it('the card shows what a failed deep-equal check expected and what the code gave; the Testing view counts the same checks', async () => {
    writeFileSync(file, nearMiss);
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s?.status, 'failed', JSON.stringify(s));
    assert.equal(s.passed, s.total - 2, JSON.stringify(s.results.filter((r) => r.status !== 'passed')));
    // Counted alike: one state per check, none for the exercise item itself.
    const ids = stated.at(-1)!;
    assert.equal(ids.length, s.total, `states given: ${ids.join(', ')}`);
    assert.ok(!ids.includes('meet-the-data/count-turns'), 'the exercise item got a state of its own (counted as one more test)');
    const a = await api();
    const failures = a.lessons.testing.failures('meet-the-data/count-turns');
    assert.equal(failures.length, 2);
    const failure = failures.find((f) => f.title.startsWith('countTurns treats [Doctor] and [doctor]'));
    assert.equal(failure?.message, 'countTurns should lowercase speaker names and accept spaces or tabs before the tag.');
    assert.equal(failure?.expected, '{ doctor: 3, patient: 2 }');
    assert.equal(failure?.actual, '{ Doctor: 1, PATIENT: 1, Patient: 1, doctor: 2 }');
    // What the page draws (its HTML comes from the same state): reopen the lesson and read it.
    await vscode.commands.executeCommand('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    const page = await until('the lesson page', () => a.lessonPage());
    assert.equal(page.state.exercises[0]!.failures.length, 2);
    assert.match(page.html, /<dt>Expected<\/dt><dd><code>\{ doctor: 3, patient: 2 \}<\/code><\/dd><dt>Your code gave<\/dt><dd><code>\{ Doctor: 1, PATIENT: 1, Patient: 1, doctor: 2 \}<\/code>/);
    assert.doesNotMatch(page.html, /Expected values to be strictly/);
    assert.doesNotMatch(page.html, new RegExp(tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'a temporary path on the card');
  });

  it('the toast\'s "Test Results" runs a command this VS Code has, and it opens without an error', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(TEST_RESULTS_COMMAND), `${TEST_RESULTS_COMMAND} is not a command of VS Code ${vscode.version}`);
    await vscode.commands.executeCommand(TEST_RESULTS_COMMAND);
  });

  it('a mistake JavaScript itself reports ("tagg is not defined") gets a plain-words line on the card', async () => {
    writeFileSync(file, solution.replace('tag[1]!.toLowerCase()', 'tagg[1]!.toLowerCase()'));
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s?.status, 'failed', JSON.stringify(s));
    const a = await api();
    const failures = a.lessons.testing.failures('meet-the-data/count-turns');
    // (What TypeScript reports about the same line, "Cannot find name 'tagg'", may come first: the test below.)
    const checks = failures.filter((f) => !/^turns\.ts, line \d+$/.test(f.title));
    assert.ok(checks.length > 0 && checks.every((f) => /tagg is not defined/.test(f.message)), JSON.stringify(failures));
    await vscode.commands.executeCommand('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    const page = await until('the lesson page', () => a.lessonPage());
    assert.match(page.html, /tagg is not defined<p class="plain">Your code uses the name tagg, but nothing called tagg exists where it is used\. Check its spelling/);
  });

  it('what TypeScript already sees (a misspelled method, with its "did you mean") comes first on the card after a failed check', async () => {
    writeFileSync(file, solution.replace('tag[1]!.toLowerCase()', 'tag[1]!.toLowercase()'));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc, { preview: false });
    // VS Code's own TypeScript service reads the open file (it starts with the first .ts file: time allowed).
    await until("TypeScript's diagnostic for toLowercase", () => vscode.languages.getDiagnostics(doc.uri).find((d) => /toLowercase/.test(d.message)), 120_000);
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s?.status, 'failed', JSON.stringify(s));
    const a = await api();
    const failures = a.lessons.testing.failures('meet-the-data/count-turns');
    const first = failures[0]!;
    assert.match(first.title, /^turns\.ts, line \d+$/, JSON.stringify(failures));
    assert.match(first.message, /Property 'toLowercase' does not exist on type 'string'\. Did you mean 'toLowerCase'\?/);
    assert.match(first.plain ?? '', /^TypeScript, which reads your code as you type \(the red underline in the editor\), sees a mistake on this line/);
    assert.ok(failures.slice(1).some((f) => /toLowercase is not a function/.test(f.message)), 'the checks\' own failures follow');
    await vscode.commands.executeCommand('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    const page = await until('the lesson page', () => a.lessonPage());
    assert.match(page.html, /<strong>turns\.ts, line \d+<\/strong>: Property &#39;toLowercase&#39; does not exist on type &#39;string&#39;\. Did you mean &#39;toLowerCase&#39;\?<p class="plain">TypeScript, which reads your code/);
  });

  it('a single = where a comparison was meant gets its line on the card, with what to write instead', async () => {
    const from = 'counts[speaker] = (counts[speaker] ?? 0) + 1;';
    assert.ok(solution.includes(from), `the solution no longer has ${from}`);
    writeFileSync(file, solution.replace(from, `if (counts[speaker] = undefined) counts[speaker] = 0;\n    ${from}`));
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s?.status, 'failed', JSON.stringify(s));
    const a = await api();
    const failures = a.lessons.testing.failures('meet-the-data/count-turns');
    const slip = failures[0];
    assert.ok(slip && /^turns\.ts, line \d+$/.test(slip.title), `the slip should come first, before the failures it causes: ${JSON.stringify(failures)}`);
    assert.equal(slip.message, 'if (counts[speaker] = undefined)');
    assert.match(slip.plain ?? '', /^A single = puts a new value into counts\[speaker\]; it does not compare\..* write ===/);
    await vscode.commands.executeCommand('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    const page = await until('the lesson page', () => a.lessonPage());
    assert.match(page.html, /<strong>turns\.ts, line \d+<\/strong>: if \(counts\[speaker\] = undefined\)<p class="plain">A single = puts a new value into counts\[speaker\]/);
  });

  it('the restore list shows each attempt with its result and changed files, including the checkpoint Reset names', async () => {
    writeFileSync(file, solution);
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s?.status, 'passed');
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: sandbox, encoding: 'utf8' }), '', 'a check left an uncommitted change (the progress file?)');
    const reset = await vscode.commands.executeCommand<{ saved?: string }>('medigenLab.resetExercise', ex, { confirm: false });
    assert.ok(reset?.saved);
    const lab = await (await api()).lessons.lab.get();
    const rows = (await lab.attempts(ex)).map((c) => attemptRow(c));
    const named = rows.find((r) => r.hash === reset.saved);
    assert.ok(named, `the checkpoint Reset named (${reset.saved}) is not in the list:\n${rows.map((r) => r.label).join('\n')}`);
    assert.equal(named.label, `$(pass) Check: passed, ${s.total} of ${s.total} checks`);
    assert.equal(named.detail, `Changed: turns.ts · checkpoint ${reset.saved.slice(0, 8)}`);
    assert.ok(rows.some((r) => r.label === `$(error) Check: failed, ${s.total - 2} of ${s.total} checks pass`), rows.map((r) => r.label).join('\n'));
    assert.ok(!rows.some((r) => /Install module|Editor settings/.test(r.label)), 'internal entries in the list');
    assert.ok(rows.every((r) => /\d/.test(r.description)), 'every row has a time');

    // Picked from the real quick pick: the newest entry is the starter after the reset, the next one the named checkpoint.
    const picking = vscode.commands.executeCommand<RestoreResult>('medigenLab.restoreAttempt', ex, undefined, { quiet: true });
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const back = await picking;
    assert.equal(back?.restored, reset.saved);
    assert.equal(readFileSync(file, 'utf8'), solution);
    assert.deepEqual(back.files, ['turns.ts']);
    assert.match(back.message, new RegExp(`^Restored "${lab.exercise(ex).exercise.title}" to: Check: passed, ${s.total} of ${s.total} checks, saved .+\\. Files brought back: turns\\.ts\\. What you had just before is saved as checkpoint [0-9a-f]{8}: "Undo"`));
    // Undo = restoring the checkpoint it names.
    const undo = await vscode.commands.executeCommand<RestoreResult>('medigenLab.restoreAttempt', ex, back.before, { quiet: true });
    assert.equal(undo?.restored, back.before);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(join(shipped, 'exercises', 'count-turns', 'starter', 'turns.ts'), 'utf8'));
  });
});
