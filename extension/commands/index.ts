/**
 * The MediGen Lab commands (category "MediGen Lab" in package.json). Each works from the tree,
 * the lesson page, the palette (with a quick pick) and from tests through
 * vscode.commands.executeCommand, and returns what it did (for tests and other extensions).
 */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeError, MedigenError } from '../../core/index';
import { progressKey, type ExerciseKey, type Lab, type LabUpdate } from '../../curriculum/lab/index';
import { buildLabTree, nextLesson } from '../../curriculum/lab/index';
import type { SubmitResult } from '../../curriculum/grading/index';
import { inForeground } from '../foreground';
import { LessonPanel, type LessonPanelDeps } from '../lesson/panel';
import type { ExerciseRunSummary, TestingModule } from '../testing/controller';
import { attemptRow, filesText } from './attempts';
import { saveStudentFiles } from './save';
import { isLessonKey, resolveExercise, resolveLesson, type LessonKey } from './pick';

/** Every command id MediGen Lab registers here. */
export const LAB_COMMANDS = {
  continueLearning: 'medigenLab.continue',
  openLesson: 'medigenLab.openLesson',
  startLesson: 'medigenLab.startLesson',
  startExercise: 'medigenLab.startExercise',
  openExercise: 'medigenLab.openExercise',
  runCheck: 'medigenLab.runCheck',
  showHint: 'medigenLab.showHint',
  resetExercise: 'medigenLab.resetExercise',
  restoreAttempt: 'medigenLab.restoreAttempt',
  installModule: 'medigenLab.installModule',
  updateModule: 'medigenLab.updateModule',
  submitModule: 'medigenLab.submitModule',
  openSandbox: 'medigenLab.openSandbox',
  showOutput: 'medigenLab.showOutput',
  refresh: 'medigenLab.refresh',
  openApiReference: 'medigenLab.openApiReference',
} as const;

/** VS Code's command that opens the Test Results panel with the last run's output. */
export const TEST_RESULTS_COMMAND = 'testing.showMostRecentOutput';

/** What `medigenLab.openLesson` / `continue` / `startLesson` return. */
export interface OpenLessonResult extends LessonKey {
  title: string;
  /** ms the page itself took, from its document start to the lesson being painted (measured in the webview). */
  pageMs?: number;
  /** Folders of the lesson's exercises in the sandbox (startLesson only). */
  exerciseDirs?: string[];
}

/** What `medigenLab.updateModule` returns. */
export interface UpdateModuleResult extends LabUpdate {
  /** Diff editors opened: old starter ↔ new starter of each kept file. */
  diffs: { left: string; right: string; file: string }[];
}

/** What `medigenLab.restoreAttempt` returns. */
export interface RestoreResult {
  /** The checkpoint brought back. */
  restored: string;
  /** The checkpoint with the files as they were just before (undo = restore it). */
  before?: string;
  /** The files the restore changed, relative to the exercise folder. */
  files: string[];
  /** The confirmation the student sees. */
  message: string;
}

/** Options a caller (a test) may give instead of answering dialogs. */
export interface QuietOptions {
  /** Ask "are you sure?" first. Defaults to true. */
  confirm?: boolean;
  /** Open vscode.diff editors for the instructor's changes. Defaults to asking. */
  openDiffs?: boolean;
}

export interface CommandsModuleDeps extends LessonPanelDeps {
  testing: TestingModule;
}

/** Registers the commands. */
export function registerCommandsModule(context: vscode.ExtensionContext, deps: CommandsModuleDeps): void {
  const { lab: service, output, testing } = deps;
  const log = (line: string) => output.appendLine(line);

  /** `early` runs before the lab is open (it may be opening for the first time); what it returns runs if the command fails. */
  const register = <A extends unknown[], R>(id: string, fn: (lab: Lab, ...args: A) => Promise<R | undefined>, early?: (...args: A) => (() => void) | undefined) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: A) => {
        let undoEarly: (() => void) | undefined;
        try {
          undoEarly = early?.(...args);
          // The extension host sends its calls to the window from a timer (its protocol writer
          // flushes in a setTimeout), so the panel made by `early` would reach the window only
          // after the lab had opened and the lesson rendered, all synchronous work. One timer turn
          // sends it first: VS Code then builds the webview while the lab opens (npm run bench).
          if (undoEarly) {
            await new Promise((r) => setTimeout(r, 0));
            // The Testing view's update waits for the lesson to be on screen (foreground.ts).
            return await inForeground(service.get().then((lab) => fn(lab, ...args)));
          }
          return await fn(await service.get(), ...args);
        } catch (err) {
          undoEarly?.();
          const text = describeError(err);
          output.appendLine(`${id}: ${text}`);
          // Also in VS Code's extension host log (Developer: Show Logs), where a bug report finds it.
          console.error(`MediGen Lab: ${id}: ${text}`);
          const hint = err instanceof MedigenError ? err.hint : 'See the "MediGen Lab" output for details.';
          void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err), { detail: hint } as vscode.MessageOptions, 'Show Output').then((p) => p && output.show());
          return undefined;
        }
      }),
    );

  const openLesson = async (lab: Lab, k: LessonKey): Promise<OpenLessonResult> => {
    const { lesson } = lab.lesson(k.moduleId, k.lessonId);
    const panel = await LessonPanel.createOrShow(deps, k.moduleId, k.lessonId);
    return { ...k, title: lesson.title, ...(panel.lastPageMs !== undefined ? { pageMs: panel.lastPageMs } : {}) };
  };

  const openExerciseFile = async (lab: Lab, k: ExerciseKey): Promise<string> => {
    if (lab.progress.get(progressKey(k)).status === 'not-started' || !lab.sandbox.hasExercise({ ...k, starterDir: '' })) await lab.startExercise(k);
    const file = lab.entryFile(k);
    // Keep the lesson in sight: the file goes to the other editor column.
    const lessonColumn = LessonPanel.active?.panel.viewColumn;
    await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: lessonColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One, preview: false });
    return file;
  };

  /**
   * After a failed check: the lesson card lists each failing check with what it expected and what
   * the code gave; "Show the lesson" brings the card into view, "Test Results" opens VS Code's
   * Test Results panel (testing.showMostRecentOutput: the panel that exists in every VS Code with
   * the Testing view, checked in test/integration/feedback.test.ts).
   */
  const showFailureToast = async (lab: Lab, k: ExerciseKey, summary: ExerciseRunSummary) => {
    const text = summary.status === 'load-error' ? `The checks could not start: ${summary.message?.split('\n')[0] ?? 'see the lesson'}.` : `${summary.passed} of ${summary.total} checks pass.`;
    const lessonBtn = 'Show the lesson';
    const resultsBtn = 'Test Results';
    const pick = await vscode.window.showWarningMessage(`${text} The lesson card shows what each failing check expected and what your code gave; red marks in your file show where.`, lessonBtn, resultsBtn);
    if (pick === lessonBtn) await LessonPanel.createOrShow(deps, k.moduleId, lab.exercise(k).lesson.id);
    else if (pick === resultsBtn) await vscode.commands.executeCommand(TEST_RESULTS_COMMAND);
  };

  // Continue always opens a lesson (or says there is none): its panel can open ahead too.
  const anyPanelAhead = () => {
    const panel = LessonPanel.prepare(deps);
    return () => panel.disposeIfEmpty();
  };

  register(
    LAB_COMMANDS.continueLearning,
    async (lab) => {
      const next = nextLesson(buildLabTree(lab.modules, (key) => lab.progress.get(key)));
      if (!next) throw new MedigenError('No module is installed, so there is no lesson to continue.', 'Run "MediGen Lab: Install Module" with a module folder or git URL from your instructor.');
      return openLesson(lab, next);
    },
    anyPanelAhead,
  );

  /**
   * For a command given its lesson (a tree click, a link): the panel opens at once, so VS Code
   * creates the webview while the lab opens and the lesson renders. Closed again if the command fails.
   */
  const panelAhead = (arg?: unknown) => (isLessonKey(arg) ? anyPanelAhead() : undefined);

  register(
    LAB_COMMANDS.openLesson,
    async (lab, arg?: unknown) => {
      const k = await resolveLesson(lab, arg, 'Which lesson do you want to read?');
      return k && openLesson(lab, k);
    },
    panelAhead,
  );

  register(
    LAB_COMMANDS.startLesson,
    async (lab, arg?: unknown) => {
      const k = await resolveLesson(lab, arg, 'Which lesson do you want to start?');
      if (!k) return undefined;
      const exerciseDirs = await lab.startLesson(k.moduleId, k.lessonId);
      output.appendLine(`Started lesson ${k.moduleId}#${k.lessonId}: ${exerciseDirs.join(', ')}`);
      return { ...(await openLesson(lab, k)), exerciseDirs };
    },
    panelAhead,
  );

  register(LAB_COMMANDS.startExercise, async (lab, arg?: unknown) => {
    const k = await resolveExercise(lab, arg, 'Which exercise do you want to start?');
    return k && lab.startExercise(k);
  });

  register(LAB_COMMANDS.openExercise, async (lab, arg?: unknown) => {
    const k = await resolveExercise(lab, arg, 'Which exercise do you want to open?');
    // A check is likely soon: its process starts now (only where the folder is trusted to run code).
    if (k && vscode.workspace.isTrusted) lab.warmUpChecks();
    return k && openExerciseFile(lab, k);
  });

  register(LAB_COMMANDS.runCheck, async (lab, arg?: unknown): Promise<ExerciseRunSummary | undefined> => {
    const k = await resolveExercise(lab, arg, 'Which exercise do you want to check?');
    if (!k) return undefined;
    await saveStudentFiles(lab.workDir(k), 'check', log);
    const [summary] = await testing.runExercises([k]);
    if (summary) {
      if (summary.status === 'passed') void vscode.window.showInformationMessage(`All ${summary.total} checks pass. Well done! Your work is saved as a checkpoint.`);
      else if (summary.status === 'untrusted') void vscode.window.showWarningMessage(summary.message ?? 'Checks are off in an untrusted folder.', 'Manage Workspace Trust').then((p) => p && vscode.commands.executeCommand('workbench.trust.manage'));
      else if (summary.status !== 'skipped' && summary.status !== 'aborted') void showFailureToast(lab, k, summary);
    }
    return summary;
  });

  register(LAB_COMMANDS.showHint, async (lab, arg?: unknown) => {
    const k = await resolveExercise(lab, arg, 'Which exercise do you want a hint for?');
    if (!k) return undefined;
    const hint = await lab.nextHint(k);
    const { lesson } = lab.exercise(k);
    const panel = LessonPanel.active;
    if (!panel || panel.lesson.moduleId !== k.moduleId || panel.lesson.lessonId !== lesson.id) await LessonPanel.createOrShow(deps, k.moduleId, lesson.id);
    else await panel.postState();
    return hint;
  });

  register(LAB_COMMANDS.resetExercise, async (lab, arg?: unknown, opts: QuietOptions = {}) => {
    const k = await resolveExercise(lab, arg, 'Which exercise do you want to start over?');
    if (!k) return undefined;
    if (opts.confirm ?? true) {
      const yes = 'Start over';
      const pick = await vscode.window.showWarningMessage(`Put the starter files of "${lab.exercise(k).exercise.title}" back?`, { modal: true, detail: 'Your current files are saved as a checkpoint first: "MediGen Lab: Restore Attempt" brings them back.' }, yes);
      if (pick !== yes) return undefined;
    }
    await saveStudentFiles(lab.workDir(k), 'reset', log);
    const saved = await lab.resetExercise(k);
    void vscode.window.showInformationMessage(`The exercise has its starter files again.${saved ? ` Your previous files are saved as checkpoint ${saved.slice(0, 8)}: "MediGen Lab: Restore Attempt" lists it.` : ''}`);
    return { saved };
  });

  register(LAB_COMMANDS.restoreAttempt, async (lab, arg?: unknown, hash?: string, opts: { quiet?: boolean } = {}): Promise<RestoreResult | undefined> => {
    const k = await resolveExercise(lab, arg, 'Which exercise do you want to restore?');
    if (!k) return undefined;
    const attempts = await lab.attempts(k);
    let chosen = hash;
    if (!chosen) {
      if (!attempts.length) throw new MedigenError('This exercise has no saved attempts yet.', 'Attempts are saved each time you run a check, start over or restore.');
      const pick = await vscode.window.showQuickPick(
        attempts.map((a) => attemptRow(a)),
        { placeHolder: 'Which saved attempt do you want back? (what you have now is saved first)', matchOnDescription: true, matchOnDetail: true },
      );
      chosen = pick?.hash;
    }
    if (!chosen) return undefined;
    const attempt = attempts.find((a) => a.hash === chosen || a.hash.startsWith(chosen!));
    await saveStudentFiles(lab.workDir(k), 'restore', log);
    const { before, files } = await lab.restoreAttempt(k, chosen);
    const title = lab.exercise(k).exercise.title;
    const which = attempt ? `${attemptRow(attempt).label.replace(/^\$\([\w-]+\) /, '')}, saved ${attemptRow(attempt).description}` : `checkpoint ${chosen.slice(0, 8)}`;
    const message = `Restored "${title}" to: ${which}. ${files.length ? `Files brought back: ${filesText(files)}.` : 'Your files were already the same.'}${before ? ` What you had just before is saved as checkpoint ${before.slice(0, 8)}: "Undo" (or Restore Attempt, "Your files before a restore") brings it back.` : ''}`;
    output.appendLine(message);
    if (!opts.quiet) {
      const undo = 'Undo';
      void vscode.window.showInformationMessage(message, ...(before ? [undo] : [])).then((p) => p === undo && before && vscode.commands.executeCommand(LAB_COMMANDS.restoreAttempt, k, before));
    }
    return { restored: chosen, before, files, message };
  });

  register(LAB_COMMANDS.installModule, async (lab, source?: string) => {
    const src = source ?? (await vscode.window.showInputBox({ prompt: 'A module folder or git URL (from your instructor)', placeHolder: 'https://github.com/…/module.git or /path/to/module', ignoreFocusOut: true }));
    if (!src) return undefined;
    const rec = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Installing ${src}…`, cancellable: true }, (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return lab.installModule(src, { signal: abort.signal });
    });
    void vscode.window.showInformationMessage(`Installed "${rec.title}" ${rec.version}. Its lessons are in the MediGen Lab view.`);
    return rec;
  });

  // Packs the student's work of one module into a .zip to hand in (the library does it; see `medigen curriculum submit`).
  register(LAB_COMMANDS.submitModule, async (lab, arg?: unknown, out?: string, opts: { student?: string; force?: boolean } = {}): Promise<SubmitResult | undefined> => {
    let moduleId = typeof arg === 'string' ? arg : typeof (arg as { moduleId?: unknown })?.moduleId === 'string' ? (arg as { moduleId: string }).moduleId : undefined;
    if (!moduleId) moduleId = (await vscode.window.showQuickPick(lab.installed().map((m) => ({ label: m.title, description: `${m.id} ${m.version}`, id: m.id })), { placeHolder: 'Which module do you hand in?' }))?.id;
    if (!moduleId) return undefined;
    let force = opts.force ?? false;
    if (!out) {
      const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(homedir(), `${moduleId}-submission.zip`)), filters: { 'Submission archive': ['zip'] }, saveLabel: 'Save submission' });
      if (!uri) return undefined;
      out = uri.fsPath;
      force = true; // the save dialog has already asked before replacing a file
    }
    const student = opts.student ?? (await vscode.window.showInputBox({ prompt: 'Your name, as your instructor should see it', value: userInfo().username, ignoreFocusOut: true }));
    if (student === undefined) return undefined;
    // Grading (and its zip library, whose tables take ~6 ms to build) loads with the first submit, not at activation.
    const { submitModule } = await import('../../curriculum/grading/index');
    const r = submitModule({ moduleId, out, student, sandboxRoot: lab.sandboxRoot, modulesDir: lab.modulesDir, force });
    output.appendLine(`Submitted ${r.moduleId} ${r.moduleVersion} to ${r.out}: ${Object.entries(r.exercises).map(([id, f]) => `${id} (${f.length} file(s))`).join(', ')}.`);
    void vscode.window.showInformationMessage(`Saved your work on "${r.moduleId}" in ${r.out}${r.notStarted.length ? ` (not started: ${r.notStarted.join(', ')})` : ''}. Hand this file in as your instructor asks.`);
    return r;
  });

  register(LAB_COMMANDS.updateModule, async (lab, arg?: unknown, opts: QuietOptions = {}): Promise<UpdateModuleResult | undefined> => {
    let moduleId = typeof arg === 'string' ? arg : typeof (arg as { moduleId?: unknown })?.moduleId === 'string' ? (arg as { moduleId: string }).moduleId : undefined;
    if (!moduleId) moduleId = (await vscode.window.showQuickPick(lab.installed().map((m) => ({ label: m.title, description: `${m.id} ${m.version}`, id: m.id })), { placeHolder: 'Which module do you want to update?' }))?.id;
    if (!moduleId) return undefined;
    const id = moduleId;
    const res = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating ${id}…` }, () => lab.updateModule(id));
    const diffs = res.keptFiles.map((f) => {
      const old = lab.installed().find((m) => m.id === id)!;
      const exDir = lab.module(id).exercises.find((e) => e.id === f.exerciseId)!;
      const rel = exDir.starterDir.slice(old.dir.length + 1);
      return { left: join(res.previousDir, rel, f.file), right: join(exDir.starterDir, f.file), file: `${f.exerciseId}/${f.file}` };
    });
    output.appendLine(`Update of ${id}: ${res.status} (${res.before.version} → ${res.after.version}); replaced ${res.updatedFiles.length}, added ${res.addedFiles.length}, kept ${res.keptFiles.length} of your edited file(s).`);
    let open = opts.openDiffs;
    if (open === undefined && diffs.length) {
      const show = 'Show the changes';
      open = (await vscode.window.showInformationMessage(`"${id}" is now version ${res.after.version}. You had edited ${diffs.length} file(s) the instructor also changed: your files were kept. Compare the instructor's changes?`, show)) === show;
    } else if (res.status !== 'updated') void vscode.window.showInformationMessage(`"${id}" is already up to date (version ${res.after.version}).`);
    if (open) {
      for (const d of diffs) await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(d.left), vscode.Uri.file(d.right), `${d.file}: instructor's change (${res.before.version} ↔ ${res.after.version})`);
    }
    return { ...res, diffs };
  });

  register(LAB_COMMANDS.openSandbox, async (lab) => {
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(lab.sandboxRoot), { forceNewWindow: false });
    return lab.sandboxRoot;
  });

  register(LAB_COMMANDS.refresh, async (lab) => {
    await lab.reload();
    return lab.modules.map((m) => m.id);
  });

  context.subscriptions.push(vscode.commands.registerCommand(LAB_COMMANDS.showOutput, () => output.show()));

  // The medigen-lab reference page, generated from the code at setup/packaging (dist/api/medigen-lab.md).
  context.subscriptions.push(
    vscode.commands.registerCommand(LAB_COMMANDS.openApiReference, async (): Promise<string | undefined> => {
      const page = vscode.Uri.joinPath(context.extensionUri, 'dist', 'api', 'medigen-lab.md');
      try {
        await vscode.workspace.fs.stat(page);
      } catch {
        void vscode.window.showErrorMessage(`The medigen-lab reference page (${page.fsPath}) is not there.`, { detail: 'It is written by `npm run docs` (part of `npm run setup`) in a checkout of MediGen Lab, and ships in the .vsix. Run it, then try again.' } as vscode.MessageOptions);
        return undefined;
      }
      await vscode.commands.executeCommand('markdown.showPreview', page);
      return page.fsPath;
    }),
  );
}
