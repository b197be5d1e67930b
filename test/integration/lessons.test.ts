/**
 * The lesson features in a REAL VS Code extension host: the Lessons tree, the sandbox, checks
 * through the Testing API, reset/restore, hints, module update with vscode.diff, the lesson
 * webview. Everything goes through the real commands (vscode.commands.executeCommand).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { medigenApi as api, until } from './support';
import type { OpenLessonResult, UpdateModuleResult } from '../../extension/commands/index';
import type { ExerciseRunSummary } from '../../extension/testing/controller';
import type { LabTreeNode } from '../../curriculum/lab/index';
import { readSubmission, type SubmitResult } from '../../curriculum/grading/index';

const repoRoot = join(__dirname, '..', '..', '..');
const shipped = join(repoRoot, 'curriculum', 'modules', 'meet-the-data');
const ex = { moduleId: 'meet-the-data', exerciseId: 'count-turns' };

function lessonTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('medigenLab.lesson'));
}

describe('MediGen Lab lessons in a real VS Code', function () {
  this.timeout(180_000);
  let tmp: string;
  let sandbox: string;
  before(async () => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-lessons-it-')));
    sandbox = join(tmp, 'sandbox');
    await vscode.workspace.getConfiguration('medigenLab').update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
  });
  // The setting stays (VS Code's user data is thrown away after the run): unsetting it would make
  // the open view move the lab to ~/MediGenLab on the test machine.
  // The lab records a check's result in git just after the check returns (not waited for): retry while it finishes.
  after(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

  it('shows the MediGen Lab view with "Meet the data" installed from the extension folder', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.medigenLab');
    const a = await api();
    const roots = await until('the lessons tree', () => {
      const r = a.lessons.tree.roots();
      return r.some((n) => n.kind === 'module') ? r : undefined;
    });
    const mod = roots.find((n): n is Extract<LabTreeNode, { kind: 'module' }> => n.kind === 'module')!;
    assert.equal(mod.label, 'Meet the data');
    assert.deepEqual(mod.children.map((l) => l.lessonId), ['meet-the-data', 'who-speaks', 'statistics-table']);
    const lab = await a.lessons.lab.get();
    assert.equal(lab.sandboxRoot, sandbox, 'the medigenLab.sandboxFolder setting is used');
    assert.equal(realpathSync(lab.installed().find((m) => m.id === 'meet-the-data')!.source), realpathSync(shipped));
    assert.deepEqual(roots.filter((n) => n.kind === 'module').map((n) => n.label), ['Meet the data', 'Cleaning dialogues', 'Writing instruction prompts', 'Scoring notes', 'Generating notes', 'Fine-tuning with QLoRA', 'Is this note safe?'], 'the shipped modules appear in course order');
  });

  it('"Start Lesson" creates the sandbox as a git repository with the starter files and opens the lesson webview', async () => {
    const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.startLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    assert.ok(r, 'startLesson returned nothing: see the MediGen Lab output');
    assert.deepEqual(r.exerciseDirs, [join(sandbox, 'meet-the-data', 'count-turns')]);
    assert.ok(existsSync(join(sandbox, '.git')));
    assert.ok(existsSync(join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts')));
    assert.equal(r.title, 'Who speaks, and how often?');
    const tab = await until('the lesson tab', () => lessonTabs()[0]);
    assert.equal(tab.label, 'Lesson: Who speaks, and how often?');
    const lab = await (await api()).lessons.lab.get();
    assert.equal(lab.progress.get('meet-the-data/count-turns').status, 'started');
  });

  it('"Open Exercise" opens the student file in the editor', async () => {
    const file = await vscode.commands.executeCommand<string>('medigenLab.openExercise', ex);
    assert.equal(file, join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
  });

  it('"Run Check" fails on the starter, with the failing line of the student file, through the Testing API', async () => {
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.ok(s, 'runCheck returned nothing: see the MediGen Lab output');
    assert.equal(s.status, 'failed');
    assert.equal(s.passed, 0);
    assert.ok(s.total >= 2);
    assert.ok(s.checkpoint === undefined || /^[0-9a-f]{7,40}$/.test(s.checkpoint));
    const located = s.results.find((r) => r.location);
    assert.equal(located?.location?.file, join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts'));
    const a = await api();
    const item = a.lessons.testing.controller.items.get('meet-the-data')?.children.get('meet-the-data/count-turns');
    assert.ok(item, 'the exercise is a TestItem');
    assert.equal(item.children.size, s.total, 'its checks became its children');
    const lab = await a.lessons.lab.get();
    assert.equal(lab.progress.get('meet-the-data/count-turns').status, 'failing');
    assert.ok(a.lessons.testing.failures('meet-the-data/count-turns').length > 0);
  });

  it('"Run Check" passes once the solution is in the sandbox, and the tree shows it done', async () => {
    // Typed into the open editor (unsaved): the check saves the student's files first.
    const doc = vscode.window.activeTextEditor!.document;
    const solution = readFileSync(join(shipped, 'exercises', 'count-turns', 'solution', 'turns.ts'), 'utf8');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), solution);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty);
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s.status, 'passed', JSON.stringify(s.results.filter((r) => r.status !== 'passed')));
    assert.equal(s.passed, s.total);
    assert.ok(s.checkpoint, 'the solution was checkpointed before the check');
    const a = await api();
    const done = await until('the tree to show the exercise done', () => {
      const mod = a.lessons.tree.roots().find((n) => n.kind === 'module');
      const exNode = mod?.kind === 'module' ? mod.children[1]!.children[0] : undefined;
      return exNode?.status === 'passed' ? exNode : undefined;
    });
    assert.match(done.description, /done · \d+ of \d+ checks pass/);
  });

  it('"Run Check" checks nothing when VS Code cannot save the typed code (the file changed on disk), and loses nothing', async () => {
    const doc = vscode.window.activeTextEditor!.document;
    const file = doc.uri.fsPath;
    const solved = readFileSync(file, 'utf8');
    const lab = await (await api()).lessons.lab.get();
    const attemptsBefore = (await lab.attempts(ex)).length;
    // Typed in the editor, while another program rewrote the file (another size, a newer time):
    // VS Code refuses to save over it, so the check would have run the code on disk.
    const typed = `${solved}\n// typed in the editor\n`;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount, 0), '\n// typed in the editor\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const outside = `${solved}\n// written by another program, a different size\n`;
    writeFileSync(file, outside);
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
    assert.equal(s, undefined, `no check may run on the file on disk: ${JSON.stringify(s && { status: s.status, passed: s.passed })}`);
    assert.equal(readFileSync(file, 'utf8'), outside, 'the other program\'s file is kept');
    assert.equal(doc.getText(), typed, 'what the student typed is still in the editor');
    assert.ok(doc.isDirty);
    assert.equal((await lab.attempts(ex)).length, attemptsBefore, 'no checkpoint was taken');
    // Back to the solution, saved, for the tests that follow.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    writeFileSync(file, solved);
    await until('the editor to show the file on disk again', () => doc.getText() === solved && !doc.isDirty);
  });

  it('stops a never-ending check when the run is cancelled, and VS Code stays responsive', async () => {
    const loop = { moduleId: 'meet-the-data', exerciseId: 'load-a-split' };
    const a = await api();
    const lab = await a.lessons.lab.get();
    await lab.startExercise(loop);
    writeFileSync(lab.entryFile(loop), `${readFileSync(lab.entryFile(loop), 'utf8')}\nwhile (true) {}\n`);
    const cts = new vscode.CancellationTokenSource();
    const running = a.lessons.testing.runExercises([loop], cts.token);
    await until('the check to start', () => a.lessons.testing.isRunning('meet-the-data/load-a-split'));
    const info = await vscode.commands.executeCommand<{ extension: string }>('medigenLab.showVersion');
    assert.ok(info.extension, 'commands still run while the check loops');
    cts.cancel();
    const [s] = await running;
    assert.equal(s!.status, 'aborted');
    assert.equal(a.lessons.testing.isRunning('meet-the-data/load-a-split'), false);
    await vscode.commands.executeCommand('medigenLab.resetExercise', loop, { confirm: false });
  });

  it('"Show Next Hint" gives the hints in order', async () => {
    const h1 = await vscode.commands.executeCommand<{ index: number; total: number; text: string }>('medigenLab.showHint', ex);
    const h2 = await vscode.commands.executeCommand<{ index: number; total: number; text: string }>('medigenLab.showHint', ex);
    assert.deepEqual([h1.index, h2.index], [0, 1]);
    assert.match(h1.text, /loop/);
  });

  it('"Reset Exercise" and "Restore Attempt" work from checkpoints without losing a file', async () => {
    const dir = join(sandbox, 'meet-the-data', 'count-turns');
    const solved = readFileSync(join(dir, 'turns.ts'), 'utf8');
    writeFileSync(join(dir, 'scratch.ts'), 'export const mine = 1;\n');
    const r = await vscode.commands.executeCommand<{ saved?: string }>('medigenLab.resetExercise', ex, { confirm: false });
    assert.ok(r?.saved);
    assert.equal(readFileSync(join(dir, 'turns.ts'), 'utf8'), readFileSync(join(shipped, 'exercises', 'count-turns', 'starter', 'turns.ts'), 'utf8'));
    assert.ok(!existsSync(join(dir, 'scratch.ts')));
    const back = await vscode.commands.executeCommand<{ restored: string }>('medigenLab.restoreAttempt', ex, r.saved);
    assert.equal(back?.restored, r.saved);
    assert.equal(readFileSync(join(dir, 'turns.ts'), 'utf8'), solved);
    assert.equal(readFileSync(join(dir, 'scratch.ts'), 'utf8'), 'export const mine = 1;\n');
  });

  it('"Update Module" keeps the student file and opens the instructor\'s change with vscode.diff', async () => {
    const src = join(tmp, 'course');
    cpSync(shipped, src, { recursive: true });
    const manifestFile = join(src, 'medigen-module.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, id: 'course-copy', title: 'Course copy', version: '1.0.0' }));
    const rec = await vscode.commands.executeCommand<{ id: string }>('medigenLab.installModule', src);
    assert.equal(rec?.id, 'course-copy');
    const mine = join(sandbox, 'course-copy', 'count-turns', 'turns.ts');
    const edited = `${readFileSync(mine, 'utf8')}\n// my work\n`;
    writeFileSync(mine, edited);
    const starter = join(src, 'exercises', 'count-turns', 'starter', 'turns.ts');
    writeFileSync(starter, `// Changed by the instructor\n${readFileSync(starter, 'utf8')}`);
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, id: 'course-copy', title: 'Course copy', version: '1.1.0' }));
    const res = await vscode.commands.executeCommand<UpdateModuleResult>('medigenLab.updateModule', 'course-copy', { openDiffs: true });
    assert.equal(res?.status, 'updated');
    assert.equal(readFileSync(mine, 'utf8'), edited, 'student work wins');
    assert.deepEqual(res.diffs.map((d) => d.file), ['count-turns/turns.ts']);
    const tab = await until('the diff editor', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputTextDiff, `active tab is ${tab.label}`);
    assert.equal(tab.input.original.fsPath, res.diffs[0]!.left);
    assert.equal(tab.input.modified.fsPath, res.diffs[0]!.right);
    assert.match(readFileSync(res.diffs[0]!.right, 'utf8'), /^\/\/ Changed by the instructor/);
  });

  it('"Open Lesson" renders the lesson webview (its script reports ready)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'meet-the-data' });
    assert.equal(r?.title, 'Meet the data');
    assert.equal(lessonTabs().length, 1);
    assert.equal(lessonTabs()[0]!.label, 'Lesson: Meet the data');
  });

  it('"Open Lesson" of a lesson that does not exist leaves no empty panel (the panel opens before the lab is read)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'no-such-lesson' });
    assert.equal(r, undefined, 'the command says why in an error message and returns nothing');
    await until('the empty panel to close', () => (lessonTabs().length === 0 ? true : undefined), 5000);
  });

  it('"Submit Module" packs the student\'s work into a .zip to hand in, which grading reads back', async () => {
    const out = join(tmp, 'meet-the-data-submission.zip');
    const r = await vscode.commands.executeCommand<SubmitResult>('medigenLab.submitModule', 'meet-the-data', out, { student: 'Ada Student' });
    assert.ok(r, 'submitModule returned nothing: see the MediGen Lab output');
    assert.equal(r.out, out);
    assert.ok(r.exercises['count-turns']?.includes('turns.ts'), JSON.stringify(r.exercises));
    const read = readSubmission(readFileSync(out));
    assert.deepEqual(read.problems, []);
    assert.equal(read.manifest?.student, 'Ada Student');
    assert.equal(read.manifest?.moduleId, 'meet-the-data');
    const sent = Buffer.from(read.files.get('count-turns')!.get('turns.ts')!).toString('utf8');
    assert.equal(sent, readFileSync(join(sandbox, 'meet-the-data', 'count-turns', 'turns.ts'), 'utf8'), 'the file handed in is the student\'s file');
  });
});
