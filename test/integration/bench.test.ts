/**
 * The extension's benchmark, measured inside the real VS Code (test/bench/extension.ts runs it
 * alone with --grep "extension benchmark", so the extension is not active yet and activation is
 * part of the first figure). Figures go to MEDIGEN_BENCH_RESULT (JSON) when set, and to the log.
 * In the full integration run it checks the same paths without timing targets.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { OpenLessonResult } from '../../extension/commands/index';
import { Lab } from '../../extension/lab/lab';
import type { ExerciseRunSummary } from '../../extension/testing/controller';

/** What the benchmark writes to MEDIGEN_BENCH_RESULT. */
export interface ExtensionBenchFigures {
  /** True when the extension was not active before the first command (activation measured). */
  activationIncluded: boolean;
  /** ms from "MediGen Lab: Open Lesson" to the lesson page's script reporting ready. */
  activationToLessonMs: number;
  /** The same time in phases: activate(), opening the lab (sandbox, modules, progress), creating and rendering the panel; pageItself: the part of renderLesson spent inside the page (document start → script ready). */
  phasesMs: { activate: number; openLab: number; renderLesson: number; pageItself: number };
  /** ms to open another lesson in a new panel afterwards (extension active, webview code warm). */
  warmLessonMs: number;
  /** ms of each "Run Check" round trip (save, checkpoint, checks in a separate process, results). */
  checkRoundTripsMs: number[];
  vscode: string;
}

const repoRoot = join(__dirname, '..', '..', '..');
const ex = { moduleId: 'meet-the-data', exerciseId: 'count-turns' };

describe('extension benchmark: activation → rendered lesson, and a check round trip', function () {
  this.timeout(180_000);
  let tmp: string;
  let sandbox: string;
  before(async () => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-bench-it-')));
    sandbox = join(tmp, 'sandbox');
    // A student who has used MediGen Lab before: the sandbox exists, the module is installed.
    const lab = await Lab.open({ sandboxRoot: sandbox, shippedModules: [join(repoRoot, 'curriculum', 'modules', 'meet-the-data')] });
    await lab.startExercise(ex);
    copyFileSync(join(repoRoot, 'curriculum', 'modules', 'meet-the-data', 'exercises', 'count-turns', 'solution', 'turns.ts'), lab.entryFile(ex));
    await vscode.workspace.getConfiguration('medigenLab').update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('measures both and checks what they did', async () => {
    const ext = vscode.extensions.getExtension('medigen-lab.medigen-lab')!;
    const activationIncluded = !ext.isActive;
    // The same work as a first "Open Lesson", timed in phases: activation, opening the lab, rendering.
    const t0 = performance.now();
    const api = (await ext.activate()) as { lessons: { lab: { get(): Promise<unknown> } } };
    const t1 = performance.now();
    await api.lessons.lab.get();
    const t2 = performance.now();
    const lesson = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'who-speaks' });
    const t3 = performance.now();
    const activationToLessonMs = t3 - t0;
    const phasesMs = { activate: t1 - t0, openLab: t2 - t1, renderLesson: t3 - t2, pageItself: lesson?.pageMs ?? -1 };
    assert.equal(lesson?.title, 'Who speaks, and how often?');
    // A second lesson in a new panel: the webview machinery is warm now.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const t4 = performance.now();
    await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'meet-the-data' });
    const warmLessonMs = performance.now() - t4;
    const checkRoundTripsMs: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', ex);
      checkRoundTripsMs.push(performance.now() - t);
      assert.equal(s?.status, 'passed');
    }
    const figures: ExtensionBenchFigures = { activationIncluded, activationToLessonMs, phasesMs, warmLessonMs, checkRoundTripsMs, vscode: vscode.version };
    console.log(`activation → rendered lesson: ${activationToLessonMs.toFixed(0)} ms${activationIncluded ? '' : ' (extension was already active)'}; check round trips: ${checkRoundTripsMs.map((x) => x.toFixed(0)).join(', ')} ms`);
    const out = process.env.MEDIGEN_BENCH_RESULT;
    if (out) writeFileSync(out, JSON.stringify(figures, null, 2));
  });
});
