/**
 * Exercise checks through VS Code's Testing API: one TestController; each module a TestItem with
 * its exercises as children, and each exercise's checks as ITS children once known. A run
 * checkpoints the student's files and runs the checks in a separate process with the exercise's
 * time limit (Lab.runCheck → engine runChecks), so an endless loop cannot freeze VS Code.
 */
import * as vscode from 'vscode';
import { describeError } from '../../core/index';
import { afterForeground } from '../foreground';
import { isGradingCheck, slipsInFolder, type CheckResult, type SourceLocation } from '../../curriculum/engine/index';
import { progressKey, type ExerciseKey, type Lab, type LabCheckRun } from '../../curriculum/lab/index';
import type { LabService } from '../lab/service';
import type { CheckFailureView } from '../lesson/failures';
import type { RunInfo } from '../lesson/state';
import { failureView, readablePaths } from './feedback';
import { typeProblems } from './typeProblems';

/** The controller's id. */
export const CONTROLLER_ID = 'medigenLab.checks';

/** What one exercise's run ended as (the value `medigenLab.runCheck` returns). */
export interface ExerciseRunSummary {
  moduleId: string;
  exerciseId: string;
  /** The engine's status, or 'skipped' (cancelled before it ran) or 'untrusted' (checks are off). */
  status: LabCheckRun['status'] | 'skipped' | 'untrusted';
  passed: number;
  total: number;
  /** The checkpoint taken before the checks ran. */
  checkpoint?: string;
  /** The folder the checks ran against. */
  workDir?: string;
  results: { title: string; status: CheckResult['status']; message?: string; location?: SourceLocation }[];
  message?: string;
}

/** What the testing module gives the rest of the extension. */
export interface TestingModule extends RunInfo {
  controller: vscode.TestController;
  /** Fires when a run starts or ends (the lesson page shows a spinner). */
  onDidChange: vscode.Event<void>;
  /** Runs the checks of these exercises as a test run (shown in the Testing view). */
  runExercises(keys: ExerciseKey[], token?: vscode.CancellationToken): Promise<ExerciseRunSummary[]>;
}

const UNTRUSTED_MESSAGE =
  'Checks are off: VS Code does not trust this folder, and a check runs the code in your exercise files. ' +
  'To run checks, use "Workspaces: Manage Workspace Trust" (or the link in the lesson) and trust the folder, if you know where its files come from.';

function toLocation(loc: SourceLocation | undefined): vscode.Location | undefined {
  if (!loc) return undefined;
  return new vscode.Location(vscode.Uri.file(loc.file), new vscode.Position(Math.max(loc.line - 1, 0), Math.max(loc.column - 1, 0)));
}

function testMessage(r: Pick<CheckResult, 'message' | 'expected' | 'actual' | 'location'>, fallback: string): vscode.TestMessage {
  const text = r.message ?? fallback;
  const msg = r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(text, r.expected, r.actual) : new vscode.TestMessage(text);
  const location = toLocation(r.location);
  if (location) msg.location = location;
  return msg;
}

/** Registers the TestController and keeps its items in step with the installed modules. */
export function registerTestingModule(context: vscode.ExtensionContext, lab: LabService, output: vscode.OutputChannel): TestingModule {
  const controller = vscode.tests.createTestController(CONTROLLER_ID, 'MediGen Lab checks');
  const keys = new WeakMap<vscode.TestItem, ExerciseKey>();
  const running = new Set<string>();
  const lastFailures = new Map<string, CheckFailureView[]>();
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(controller, changed);

  const syncItems = (l: Lab) => {
    const seen = new Set<string>();
    for (const m of l.modules) {
      seen.add(m.id);
      let mod = controller.items.get(m.id);
      if (!mod) {
        mod = controller.createTestItem(m.id, m.title);
        controller.items.add(mod);
      }
      mod.label = m.title;
      const exIds = new Set<string>();
      for (const e of m.exercises) {
        const key = progressKey({ moduleId: m.id, exerciseId: e.id });
        exIds.add(key);
        let item = mod.children.get(key);
        const uri = vscode.Uri.file(l.entryFile({ moduleId: m.id, exerciseId: e.id }));
        if (!item || item.uri?.fsPath !== uri.fsPath) {
          item = controller.createTestItem(key, e.title, uri);
          mod.children.add(item);
        }
        item.description = `${m.lessons.find((x) => x.id === e.lessonId)?.title ?? ''}`;
        keys.set(item, { moduleId: m.id, exerciseId: e.id });
      }
      mod.children.forEach((c) => {
        if (!exIds.has(c.id)) mod.children.delete(c.id);
      });
    }
    controller.items.forEach((c) => {
      if (!seen.has(c.id)) controller.items.delete(c.id);
    });
  };
  // Only a lab that exists: listing tests must not create the sandbox (a command or the view does).
  // While a lesson is being opened, its page comes first (foreground.ts).
  const refresh = () =>
    lab.getIfCreated().then(
      async (l) => {
        if (!l) return;
        await afterForeground();
        syncItems(l);
      },
      (err) => output.appendLine(`Testing: ${describeError(err)}`),
    );
  controller.resolveHandler = async () => {
    await refresh();
  };
  controller.refreshHandler = async () => {
    await refresh();
  };
  context.subscriptions.push(lab.onDidChange(() => void refresh()));

  const exerciseItem = (k: ExerciseKey): vscode.TestItem | undefined => controller.items.get(k.moduleId)?.children.get(progressKey(k));

  async function runOne(l: Lab, run: vscode.TestRun, item: vscode.TestItem, k: ExerciseKey, token: vscode.CancellationToken): Promise<ExerciseRunSummary> {
    const key = progressKey(k);
    const base = { moduleId: k.moduleId, exerciseId: k.exerciseId };
    if (token.isCancellationRequested) {
      run.skipped(item);
      return { ...base, status: 'skipped', passed: 0, total: 0, results: [] };
    }
    if (!vscode.workspace.isTrusted) {
      run.errored(item, new vscode.TestMessage(UNTRUSTED_MESSAGE));
      return { ...base, status: 'untrusted', passed: 0, total: 0, results: [], message: UNTRUSTED_MESSAGE };
    }
    run.started(item);
    item.children.forEach((c) => run.enqueued(c));
    running.add(key);
    changed.fire();
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const started = Date.now();
    try {
      output.appendLine(`Checking ${key} (files in ${l.workDir(k)})...`);
      const res = await l.runCheck(k, { signal: abort.signal });
      // The checks are the exercise's children, known after the first run. Grading checks
      // (exercises/<id>/grading/) are never installed or run for a student; none is ever listed.
      for (const r of res.results) {
        if (isGradingCheck(r)) continue;
        const id = `${key}::${r.fullTitle}`;
        let child = item.children.get(id);
        if (!child) {
          child = controller.createTestItem(id, r.title, item.uri);
          item.children.add(child);
        }
        keys.set(child, k);
        run.started(child);
        if (r.status === 'passed') run.passed(child, r.durationMs);
        else if (r.status === 'not-run') run.skipped(child);
        else run.failed(child, testMessage({ ...r, ...(r.message ? { message: readablePaths(r.message, res.workDir) } : {}) }, `The check "${r.title}" did not pass.`), r.durationMs);
      }
      if (res.output.trim()) run.appendOutput(res.output.replace(/\r?\n/g, '\r\n'), undefined, item);
      const total = res.results.length;
      // The exercise item gets a state of its own only when it has no checks to show: VS Code counts
      // every item with a state as a test, so the Testing view would say 5 where the card says 4.
      if (res.status === 'aborted') run.skipped(item);
      else if (res.status === 'load-error') run.errored(item, testMessage({ message: `The checks could not start: ${readablePaths(res.loadError?.message ?? 'unknown reason', res.workDir)}`, location: res.loadError?.location }, ''));
      else if (!total) run.failed(item, new vscode.TestMessage(`No check ran.${res.status === 'timeout' ? ' The run was stopped: the code took too long.' : ''}`), Date.now() - started);
      const summaryLine = `${res.passed} of ${total} checks pass.${res.status === 'timeout' ? ' The run was stopped: the code took too long.' : ''}`;
      run.appendOutput(`${summaryLine}\r\n`, undefined, item);
      const failures: CheckFailureView[] = res.results.filter((r) => r.status === 'failed' || r.status === 'timeout').map((r) => failureView(r, res.workDir));
      if (res.status === 'load-error') failures.push({ title: 'The checks could not start', message: readablePaths((res.loadError?.message ?? '').split('\n')[0]!, res.workDir) });
      // Code that runs but cannot be what was meant (a single = in a comparison), shown before the
      // failures (it is often their cause), and on its own when the checks pass (the value it
      // changes may not be one they look at).
      // TypeScript's likely-bug errors (a misspelled field, a missing return) come first after a failure.
      if (res.status !== 'aborted') {
        const slips = slipsInFolder(res.workDir).map((s) => ({ title: `${s.file}, line ${s.line}`, message: s.code, plain: res.status === 'passed' ? `${s.advice} The checks pass, but this line is not what you meant.` : s.advice }));
        failures.unshift(...slips, ...(res.status === 'passed' ? [] : typeProblems(res.workDir)));
      }
      lastFailures.set(key, failures);
      output.appendLine(`${key}: ${res.status}, ${res.passed} of ${total} checks pass (${res.durationMs} ms)${res.checkpoint ? `; checkpoint ${res.checkpoint.slice(0, 8)}` : ''}.`);
      for (const f of failures) output.appendLine(`  ✗ ${f.title}: ${f.message}${f.expected !== undefined ? ` (expected ${f.expected}, got ${f.actual})` : ''}`);
      return {
        ...base,
        status: res.status,
        passed: res.passed,
        total,
        workDir: res.workDir,
        ...(res.checkpoint ? { checkpoint: res.checkpoint } : {}),
        results: res.results.map((r) => ({ title: r.title, status: r.status, ...(r.message ? { message: r.message } : {}), ...(r.location ? { location: r.location } : {}) })),
        ...(res.loadError ? { message: res.loadError.message } : {}),
      };
    } catch (err) {
      const text = describeError(err);
      run.errored(item, new vscode.TestMessage(text));
      output.appendLine(`${key}: could not run the checks: ${text}`);
      return { ...base, status: 'load-error', passed: 0, total: 0, results: [], message: text };
    } finally {
      sub.dispose();
      running.delete(key);
      changed.fire();
    }
  }

  async function execute(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<ExerciseRunSummary[]> {
    const run = controller.createTestRun(request, 'MediGen Lab checks', true);
    const out: ExerciseRunSummary[] = [];
    try {
      const l = await lab.get();
      syncItems(l);
      // Which exercises: the requested ones (a check or a module counts as its exercise(s)), else all.
      const chosen = new Map<string, { item: vscode.TestItem; key: ExerciseKey }>();
      const addExercise = (item: vscode.TestItem) => {
        const k = keys.get(item);
        if (!k) return;
        const ex = exerciseItem(k);
        if (ex) chosen.set(ex.id, { item: ex, key: k });
      };
      const roots = request.include ?? [...iterate(controller.items)];
      for (const item of roots) {
        if (keys.has(item)) addExercise(item);
        else item.children.forEach(addExercise); // a module
      }
      for (const ex of request.exclude ?? []) chosen.delete(ex.id);
      for (const { item } of chosen.values()) run.enqueued(item);
      for (const { item, key } of chosen.values()) out.push(await runOne(l, run, item, key, token));
    } catch (err) {
      run.appendOutput(`${describeError(err).replace(/\n/g, '\r\n')}\r\n`);
      output.appendLine(`Testing: ${describeError(err)}`);
    } finally {
      run.end();
    }
    return out;
  }

  controller.createRunProfile('Run checks', vscode.TestRunProfileKind.Run, (request, token) => execute(request, token).then(() => undefined), true);

  return {
    controller,
    onDidChange: changed.event,
    isRunning: (key) => running.has(key),
    failures: (key) => lastFailures.get(key) ?? [],
    async runExercises(list, token) {
      const l = await lab.get();
      syncItems(l);
      const items = list.map((k) => {
        l.exercise(k); // throws a MedigenError for an unknown exercise
        return exerciseItem(k)!;
      });
      const source = token ? undefined : new vscode.CancellationTokenSource();
      try {
        return await execute(new vscode.TestRunRequest(items), token ?? source!.token);
      } finally {
        source?.dispose();
      }
    },
  };
}

function* iterate(c: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const all: vscode.TestItem[] = [];
  c.forEach((i) => all.push(i));
  yield* all;
}
