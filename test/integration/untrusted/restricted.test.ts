/**
 * MediGen Lab in a folder the student has NOT trusted, in a real VS Code in Restricted Mode
 * (scripts/vscode/runTests.ts --untrusted: workspace trust on, no trust prompt, nothing trusted).
 * Issue 3: lessons can be read, but no student code or check runs, and the view says why.
 * The sandbox lives inside the untrusted folder (as when the student opens the sandbox folder);
 * its exercise file writes a marker file when executed, and the marker must never appear.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, medigenApi as api, until } from '../support';
import type { OpenLessonResult } from '../../../extension/commands/index';
import type { ExerciseRunSummary } from '../../../extension/testing/controller';
import type { TrainFormPanel } from '../../../extension/training/formPanel';

const ex = { moduleId: 'meet-the-data', exerciseId: 'count-turns' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The page's visible text: tags dropped, entities decoded, whitespace collapsed. */
function pageText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('MediGen Lab in an untrusted folder (Restricted Mode) of a real VS Code', function () {
  this.timeout(180_000);
  let workspace: string;
  let sandbox: string;
  let tmp: string;
  let marker: string;
  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'VS Code opened no folder');
    workspace = realpathSync(folder.uri.fsPath);
    sandbox = join(workspace, 'lab');
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-untrusted-it-')));
    marker = join(tmp, 'student-code-ran.txt');
    // A user setting (restricted settings from the folder itself are ignored in Restricted Mode).
    await vscode.workspace.getConfiguration('medigenLab').update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs in Restricted Mode: workspace trust is on and this folder is NOT trusted', () => {
    // If this fails, every other test here proves nothing: the runtime opened a trusted window.
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is trusted: runTests.ts --untrusted did not give Restricted Mode');
    assert.equal(vscode.workspace.getConfiguration('security.workspace.trust').get('enabled'), true);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.equal(ext?.packageJSON.capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  it('the Lessons tree says checks are off and why, and links to the trust editor', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.medigenLab');
    const a = await api();
    const roots = await until('the lessons tree', () => {
      const r = a.lessons.tree.roots();
      return r.some((n) => n.kind === 'module') ? r : undefined;
    });
    const notice = roots[0]!;
    assert.equal(notice.kind, 'notice');
    assert.ok(notice.kind === 'notice');
    assert.equal(notice.id, 'notice:untrusted');
    assert.match(notice.label, /^Checks are off: this folder is not trusted$/);
    assert.match(notice.tooltip, /runs no code and no checks in a folder VS Code does not trust/);
    assert.match(notice.tooltip, /Manage Workspace Trust.*"Trust"/);
    assert.equal(notice.command, 'workbench.trust.manage');
    const mod = roots.find((n) => n.kind === 'module');
    assert.ok(mod?.kind === 'module');
    const exercise = mod.children[1]!.children[0]!;
    assert.equal(exercise.id, 'meet-the-data/count-turns');
    assert.match(exercise.tooltip, /Checks are off: this folder is not trusted, and a check runs your code/);
    // The inline "Run Check" button of exercise items only shows in a trusted folder.
    const menu = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[]).find((m) => m.command === 'medigenLab.runCheck');
    assert.match(menu!.when, /isWorkspaceTrusted/);
  });

  it('"Start Lesson" copies the exercise and opens the lesson: its text is readable, checks are off', async () => {
    const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.startLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    assert.ok(r, 'startLesson returned nothing: see the MediGen Lab output');
    assert.equal(r.title, 'Who speaks, and how often?');
    assert.deepEqual(r.exerciseDirs, [join(sandbox, 'meet-the-data', 'count-turns')]);
    const page = (await api()).lessonPage();
    assert.ok(page, 'no lesson panel');
    assert.equal(page.ready, true, 'the lesson page never reported that it was painted');
    assert.equal(page.title, 'Lesson: Who speaks, and how often?');
    // The lesson's own words are on the page.
    const lab = await (await api()).lessons.lab.get();
    const markdown = lab.lesson('meet-the-data', 'who-speaks').lesson.markdown;
    const firstParagraph = markdown.split(/\n\s*\n/).find((p) => /^[A-Za-z]/.test(p.trim()))!;
    const words = firstParagraph.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().slice(0, 80);
    assert.ok(words.length > 40, `no paragraph found in ${markdown.slice(0, 200)}`);
    const text = pageText(page.html);
    // (Compared without spaces: emphasis tags around a word become spaces in `text`.)
    assert.ok(text.replace(/\s/g, '').includes(words.replace(/\s/g, '')), `the page does not show "${words}"`);
    assert.ok(text.includes('What a dialogue looks like'), 'the lesson headings are missing');
    // Checks are off, the page says why and what to do, and its "Run Check" button is disabled.
    assert.equal(page.state.trusted, false);
    assert.match(page.html, /<div class="trust-note">/, 'the trust note is hidden');
    assert.match(text, /Checks are off\. This folder is not trusted, so MediGen Lab runs no code here\. You can read the lesson and the hints\. To run checks, trust this folder/);
    assert.match(page.html, /data-action="runCheck" class="needs-trust" disabled>/);
    assert.match(page.html, /<body[^>]* data-trusted="false"/);
  });

  it('"Show Next Hint" still works: hints are for reading', async () => {
    const h = await vscode.commands.executeCommand<{ index: number; text: string }>('medigenLab.showHint', ex);
    assert.equal(h?.index, 0);
    assert.ok(h.text.length > 10);
    const page = await until('the hint on the lesson page', async () => {
      const p = (await api()).lessonPage();
      return p?.state.exercises[0]?.hintsHtml.length === 1 ? p : undefined;
    });
    assert.equal(page.state.trusted, false);
  });

  it('"Run Check" runs no student code, saves no checkpoint, and tells the student why and what to do', async () => {
    const a = await api();
    const lab = await a.lessons.lab.get();
    const file = lab.entryFile(ex);
    assert.equal(file, join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts'));
    // The exercise file writes the marker as soon as anything executes it (the check imports it).
    writeFileSync(file, `import { writeFileSync as markRan } from 'node:fs';\nmarkRan(${JSON.stringify(marker)}, 'student code ran');\n${readFileSync(file, 'utf8')}`);
    const attemptsBefore = (await lab.attempts(ex)).length;
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.ok(s, 'runCheck returned nothing: see the MediGen Lab output');
    assert.equal(s.status, 'untrusted');
    assert.deepEqual([s.passed, s.total, s.results.length, s.checkpoint], [0, 0, 0, undefined]);
    // The message the student gets (the warning notification shows this text).
    assert.match(s.message ?? '', /Checks are off: VS Code does not trust this folder, and a check runs the code in your exercise files\./);
    assert.match(s.message ?? '', /"Workspaces: Manage Workspace Trust".*trust the folder/);
    await sleep(1500); // a check process, had one started, would have written the marker by now
    assert.equal(existsSync(marker), false, 'the student code ran in an untrusted folder');
    assert.equal((await lab.attempts(ex)).length, attemptsBefore, 'a checkpoint was saved');
    assert.equal(lab.progress.get('meet-the-data/count-turns').status, 'started', 'the exercise was marked as checked');
  });

  it('the Testing API\'s run ("Run checks", as the Test Explorer starts it) runs nothing either', async () => {
    const a = await api();
    const keys = [ex, { moduleId: 'meet-the-data', exerciseId: 'load-a-split' }];
    const summaries = await a.lessons.testing.runExercises(keys);
    assert.deepEqual(summaries.map((x) => [x.exerciseId, x.status]), [['count-turns', 'untrusted'], ['load-a-split', 'untrusted']]);
    await sleep(1000);
    assert.equal(existsSync(marker), false, 'the student code ran in an untrusted folder');
  });

  it('the fine-tuning form does not run a Python program found in the untrusted folder', async () => {
    // A folder's own ".medigen/train-venv" used to be the default training environment.
    const venvBin = join(workspace, '.medigen', 'train-venv', 'bin');
    mkdirSync(venvBin, { recursive: true });
    const pyMarker = join(tmp, 'folder-python-ran.txt');
    const fakePython = join(venvBin, 'python');
    writeFileSync(fakePython, `#!/bin/sh\necho ran > ${JSON.stringify(pyMarker)}\nexit 1\n`);
    chmodSync(fakePython, 0o755);
    const a = await api(); // active first: a command that activates the extension returns a copy, not the panel
    await vscode.commands.executeCommand<TrainFormPanel>('medigenLab.newTrainingRun');
    const form = a.training.form();
    assert.ok(form, 'the run form did not open: see the MediGen Lab output');
    const env = await form.checkEnvironment();
    assert.ok(!env.python.includes(workspace), `the environment check used ${env.python}`);
    await sleep(500);
    assert.equal(existsSync(pyMarker), false, 'a Python program from the untrusted folder ran');
    form.dispose();
    // Control: the planted program does write its marker when run.
    const { execFileSync } = await import('node:child_process');
    assert.throws(() => execFileSync(fakePython));
    assert.equal(existsSync(pyMarker), true, 'the planted python never writes its marker: the test above proves nothing');
  });

  it('control: the same exercise file, given to the check engine directly, DOES write the marker', async () => {
    // Proves the marker above would have appeared had the extension run the check.
    const lab = await (await api()).lessons.lab.get();
    const run = await lab.runCheck(ex);
    assert.equal(run.status, 'failed', 'the starter fails its checks');
    assert.equal(readFileSync(marker, 'utf8'), 'student code ran');
  });
});
