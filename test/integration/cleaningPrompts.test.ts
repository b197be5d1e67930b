/**
 * The course after "Meet the data" in a REAL VS Code: "Cleaning dialogues" and "Writing
 * instruction prompts" install with the extension and follow "Meet the data" in the tree; a
 * student walks one exercise of each from the lesson to a passing check; the cleaning lesson's
 * Preview Cleaning link runs the command, which shows the dialogue before/after in a diff editor.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { medigenApi as api, until } from './support';
import { loadSplit, preprocessText, sampleCorpusDir, STEP_NAMES, type StepName } from '../../datasets/index';
import type { PreviewCleaningResult } from '../../extension/cleaning/preview';
import type { OpenLessonResult } from '../../extension/commands/index';
import type { ExerciseRunSummary } from '../../extension/testing/controller';

const repoRoot = join(__dirname, '..', '..', '..');
const modules = join(repoRoot, 'curriculum', 'modules');

/** Start the lesson, open the exercise, fail on the starter, type the solution, pass. */
async function walk(moduleId: string, lessonId: string, exerciseId: string, file: string, sandbox: string): Promise<void> {
  const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.startLesson', { moduleId, lessonId });
  assert.ok(r, 'startLesson returned nothing: see the MediGen Lab output');
  assert.deepEqual(r.exerciseDirs, [join(sandbox, moduleId, exerciseId)]);
  const page = await until('the lesson page', () => (api().then((a) => a.lessonPage())));
  assert.equal(page.lessonId, lessonId);
  assert.match(page.html, new RegExp(`exercise:${exerciseId}|${exerciseId}`), 'the lesson links its exercise');
  const ex = { moduleId, exerciseId };
  const opened = await vscode.commands.executeCommand<string>('medigenLab.openExercise', ex);
  assert.equal(opened, join(sandbox, moduleId, exerciseId, file));
  assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, opened);
  const failing = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
  assert.equal(failing?.status, 'failed', 'the starter must fail its checks');
  assert.equal(failing.passed, 0);
  // The student types the solution into the open editor (unsaved): the check saves it first.
  // The student's file (by its path: a failed check's peek or toast may hold the focus now).
  const doc = await vscode.workspace.openTextDocument(opened);
  const solution = readFileSync(join(modules, moduleId, 'exercises', exerciseId, 'solution', file), 'utf8');
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), solution);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(doc.isDirty, 'the solution is typed in, not saved yet');
  const passing = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
  assert.equal(readFileSync(opened, 'utf8'), solution, '"Run Check" saved the typed solution before checking');
  assert.equal(passing?.status, 'passed', JSON.stringify(passing?.results.filter((x) => x.status !== 'passed')));
  assert.equal(passing.passed, passing.total);
  const lab = await (await api()).lessons.lab.get();
  assert.equal(lab.progress.get(`${moduleId}/${exerciseId}`).status, 'passed');
}

describe('The course after "Meet the data" in a real VS Code', function () {
  this.timeout(300_000);
  let tmp: string;
  let sandbox: string;
  before(async () => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-course-it-')));
    sandbox = join(tmp, 'sandbox');
    await vscode.workspace.getConfiguration('medigenLab').update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
  });
  // The lab records a check's result in git just after the check returns (not waited for): retry while it finishes.
  after(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

  it('installs the cleaning and prompts modules with the extension, right after Meet the data in the Lessons tree', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.medigenLab');
    const a = await api();
    const titles = await until('the three modules in the tree', () => {
      const t = a.lessons.tree.roots().flatMap((n) => (n.kind === 'module' ? [n.label] : []));
      return t.length >= 3 ? t : undefined;
    });
    assert.deepEqual(titles.slice(0, 3), ['Meet the data', 'Cleaning dialogues', 'Writing instruction prompts']);
  });

  it('the cleaning lesson links Preview Cleaning, which shows a dialogue before/after the chosen steps in a diff editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.openLesson', { moduleId: 'cleaning-dialogues', lessonId: 'why-clean' });
    assert.equal(r?.title, 'Why transcripts need cleaning');
    const page = await until('the lesson page', () => api().then((a) => a.lessonPage()));
    assert.match(page.html, /class="command-link" data-command="medigenLab\.previewCleaning"/, 'the lesson keeps its Preview Cleaning command link');
    const encounter = loadSplit('train', sampleCorpusDir()).encounters[0]!;
    const steps: StepName[] = ['normalizeSpeakerTags', 'fixAsrPunctuationSpacing', 'dropEmptyLines'];
    const shown = await vscode.commands.executeCommand<PreviewCleaningResult>('medigenLab.previewCleaning', { encounterId: encounter.encounterId, steps });
    assert.ok(shown, 'previewCleaning returned nothing: see the MediGen Lab output');
    assert.equal(shown.before, encounter.dialogue);
    assert.equal(shown.after, preprocessText(encounter.dialogue, Object.fromEntries(STEP_NAMES.map((n) => [n, steps.includes(n)]))));
    assert.notEqual(shown.after, shown.before, 'the sample dialogue has ASR spacing to repair');
    assert.deepEqual(shown.effects.map((e) => e.step), ['fixAsrPunctuationSpacing', 'normalizeSpeakerTags', 'dropEmptyLines'], 'steps run in pipeline order');
    const tab = await until('the diff editor', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputTextDiff ? t : undefined;
    });
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), shown.left);
    assert.equal(input.modified.toString(), shown.right);
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), shown.before);
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), shown.after);
  });

  it('a student walks "Clean a dialogue step by step" from the lesson to a passing check', async () => {
    await walk('cleaning-dialogues', 'why-clean', 'clean-step-by-step', 'clean.ts', sandbox);
  });

  it('a student walks "Write a template that asks for the four sections" from the lesson to a passing check', async () => {
    await walk('instruction-prompts', 'instruction-format', 'four-sections-template', 'template.ts', sandbox);
  });
});
