/**
 * Fine-tuning in VS Code: the run form ("New Fine-Tuning Run…"), run dashboards, the run history
 * tree, run comparison, training-environment set-up and "Evaluate Adapter". extension.ts calls
 * `registerTrainingFeatures` from activate; everything disposable goes into context.subscriptions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { MedigenError } from '../../core/index';
import { defaultTrainConfig, type TrainConfig } from '../../models/train/index';
import { reusableConfig, setupTrainingEnvironment } from '../../models/train/index';
import type { RunSummary } from '../../models/train/index';
import { showComparison, type RunComparison } from './comparePanel';
import { DashboardPanel } from './dashboardPanel';
import type { EvaluationSummary } from './dashboardModel';
import { evaluateAdapter } from '../../models/train/index';
import { TrainFormPanel, showError } from './formPanel';
import { RUNS_VIEW, RunItem, RunsTreeProvider } from './history';
import { RunManager, type ActiveRun } from '../../models/train/index';
import { defaultVenv, evaluateLimit, generationThreads, ggufModel, maxNoteTokens, trainerScriptSetting, trainingFolder, trainingPython } from './settings';

/** Command ids contributed in package.json. */
export const TRAINING_COMMANDS = {
  newRun: 'medigenLab.newTrainingRun',
  openRun: 'medigenLab.openTrainingRun',
  cancelRun: 'medigenLab.cancelTrainingRun',
  resumeRun: 'medigenLab.resumeTrainingRun',
  compareRuns: 'medigenLab.compareTrainingRuns',
  evaluateAdapter: 'medigenLab.evaluateAdapter',
  setUpEnvironment: 'medigenLab.setUpTrainingEnvironment',
  refreshRuns: 'medigenLab.refreshTrainingRuns',
} as const;

/** What the training features expose (part of the extension's API, used by integration tests). */
export interface TrainingApi {
  manager: RunManager;
  history: RunsTreeProvider;
  /** The open run form, if any. */
  form(): TrainFormPanel | undefined;
  /** The open dashboard of a run, if any. */
  dashboard(dir: string): DashboardPanel | undefined;
}

/** A command argument naming a run: its folder, or a history tree item. */
type RunArg = string | RunItem | { run: RunSummary } | undefined;

/** Registers the training features. */
export function registerTrainingFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): TrainingApi {
  const manager = new RunManager();
  const history = new RunsTreeProvider(context.globalState, manager);
  const tree = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: history, canSelectMany: true });
  const deps = { extensionUri: context.extensionUri, output, manager };
  context.subscriptions.push(history, tree, { dispose: () => manager.cancelAll(10_000) });

  manager.on('ended', (dir, s) => {
    const name = basename(dir);
    output.appendLine(`Fine-tuning run ${name} ${s.status} at step ${s.step}.${s.error ? ` ${s.error.message} ${s.error.hint}` : ''}`);
    if (s.status === 'finished') {
      const evaluate = 'Evaluate Adapter';
      void vscode.window.showInformationMessage(`The fine-tuning run ${name} finished. Evaluate the adapter to compare it with the base model.`, evaluate).then((p) => p === evaluate && vscode.commands.executeCommand(TRAINING_COMMANDS.evaluateAdapter, dir));
    } else if (s.status === 'failed' && s.error) {
      void vscode.window.showErrorMessage(`The fine-tuning run ${name} failed: ${s.error.message.split('\n')[0]} ${s.error.hint}`);
    }
  });

  const settings = () => {
    const script = trainerScriptSetting();
    return { python: trainingPython(), ...(script ? { script } : {}) };
  };

  const onLaunched = async (run: ActiveRun) => {
    await history.remember(dirname(run.dir));
    await DashboardPanel.show(deps, run.dir);
  };

  const setUpEnvironment = async (): Promise<{ python: string } | undefined> => {
    const venv = defaultVenv();
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Setting up the training environment', cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let last = 0;
          return setupTrainingEnvironment({
            venv,
            signal: abort.signal,
            progress: {
              report(done, total, label) {
                const pct = total ? Math.round((done / total) * 100) : 0;
                progress.report({ message: label ?? '', increment: Math.max(0, pct - last) });
                last = Math.max(last, pct);
              },
            },
          });
        },
      );
      output.appendLine(`Training environment ready: ${result.python}`);
      void vscode.window.showInformationMessage(`The training environment is ready (${result.python}). MediGen Lab uses it for new runs.`);
      return result;
    } catch (err) {
      showError(err, { output });
      return undefined;
    }
  };

  const pickRun = async (arg: RunArg, placeHolder: string, filter: (r: RunSummary) => boolean = () => true): Promise<string | undefined> => {
    if (typeof arg === 'string') return resolve(arg);
    if (arg && typeof arg === 'object' && 'run' in arg) return arg.run.dir;
    const runs = history.runs().filter(filter);
    if (!runs.length) {
      void vscode.window.showInformationMessage('No fine-tuning runs match yet. Start one with "MediGen Lab: New Fine-Tuning Run…".');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: r.name, description: `${r.state.status} · step ${r.state.step}`, detail: r.dir, dir: r.dir })),
      { placeHolder, matchOnDetail: true },
    );
    return pick?.dir;
  };

  /** A run folder's config for a new run (its own name and resolved file paths removed). */
  const configFrom = (arg: unknown): TrainConfig => {
    if (arg && typeof arg === 'object' && !('run' in arg)) return arg as TrainConfig;
    const dir = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'run' in arg ? (arg as RunItem).run.dir : undefined;
    if (!dir) return defaultTrainConfig();
    const file = dir.endsWith('.json') ? dir : join(dir, 'config.json');
    if (!existsSync(file)) throw new MedigenError(`${file} does not exist.`, 'Pick a run from the Fine-Tuning Runs view, or a saved training config (.json).');
    return reusableConfig(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof reusableConfig>[0]);
  };

  const guarded =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (err) {
        showError(err, { output });
        return undefined;
      }
    };

  const cmd = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown));

  // "course" (the lessons' link): the form with the CPU course setting filled in (its model made when missing).
  cmd(TRAINING_COMMANDS.newRun, guarded(async (arg?: unknown) => {
    const form = await TrainFormPanel.createOrShow({ ...deps, onLaunched, setUpEnvironment }, arg === 'course' ? defaultTrainConfig() : configFrom(arg));
    if (arg === 'course') await form.useCourseSetting();
    return form;
  }));

  cmd(TRAINING_COMMANDS.openRun, guarded(async (arg?: RunArg) => {
    const dir = await pickRun(arg, 'Which run do you want to see?');
    return dir ? DashboardPanel.show(deps, dir) : undefined;
  }));

  cmd(TRAINING_COMMANDS.cancelRun, guarded(async (arg?: RunArg) => {
    const dir = await pickRun(arg, 'Which run do you want to stop?', (r) => !!manager.activeRun(r.dir));
    if (!dir) return false;
    if (!manager.cancel(dir)) {
      void vscode.window.showInformationMessage(`The run ${basename(dir)} is not running.`);
      return false;
    }
    output.appendLine(`Stopping the run ${basename(dir)}: the trainer saves a checkpoint first.`);
    DashboardPanel.of(dir)?.busy('Stopping: the trainer is saving a checkpoint…');
    return true;
  }));

  cmd(TRAINING_COMMANDS.resumeRun, guarded(async (arg?: RunArg) => {
    const dir = await pickRun(arg, 'Which run do you want to resume?', (r) => r.state.status === 'stopped' || r.state.status === 'failed');
    if (!dir) return undefined;
    manager.resume(dir, settings());
    output.appendLine(`Resuming the run ${basename(dir)} from its last checkpoint.`);
    await history.remember(dirname(dir));
    const panel = await DashboardPanel.show(deps, dir);
    panel.post();
    return panel;
  }));

  cmd(TRAINING_COMMANDS.compareRuns, guarded(async (a?: RunArg, b?: RunArg | RunArg[]): Promise<RunComparison | undefined> => {
    const runs = history.runs();
    // From the tree with two selected: (clicked item, [selected items]).
    const selected = Array.isArray(b) ? b : undefined;
    let dirs: string[] = [];
    if (selected && selected.length === 2) dirs = selected.map((x) => (typeof x === 'string' ? resolve(x) : (x as RunItem).run.dir));
    else if (typeof a === 'string' && typeof b === 'string') dirs = [resolve(a), resolve(b)];
    else {
      if (runs.length < 2) throw new MedigenError('Comparing needs two runs, and fewer are known.', 'Start another run with "MediGen Lab: New Fine-Tuning Run…", then compare.');
      const picks = await vscode.window.showQuickPick(
        runs.map((r) => ({ label: r.name, description: `${r.state.status} · step ${r.state.step}`, detail: r.dir, dir: r.dir })),
        { canPickMany: true, placeHolder: 'Pick the two runs to compare' },
      );
      if (!picks) return undefined;
      if (picks.length !== 2) throw new MedigenError(`Pick exactly two runs to compare (you picked ${picks.length}).`, 'Run "Compare Fine-Tuning Runs" again and tick two runs.');
      dirs = picks.map((p) => p.dir);
    }
    const [ra, rb] = dirs.map((d) => runs.find((r) => r.dir === d));
    if (!ra || !rb) throw new MedigenError(`Run ${!ra ? dirs[0] : dirs[1]} was not found.`, 'Pick runs listed in the Fine-Tuning Runs view.');
    return showComparison(context.extensionUri, ra, rb);
  }));

  cmd(TRAINING_COMMANDS.evaluateAdapter, guarded(async (arg?: RunArg): Promise<EvaluationSummary | undefined> => {
    const dir = await pickRun(arg, 'Which finished run\'s adapter do you want to evaluate?', (r) => r.state.status === 'finished');
    if (!dir) return undefined;
    const state = manager.state(dir);
    if (state.status !== 'finished' || !state.adapterDir) {
      throw new MedigenError(`The run ${basename(dir)} has not finished (${state.status}), so it has no adapter yet.`, 'Wait for it to finish (or resume it), then evaluate.');
    }
    const model = ggufModel();
    if (!model) {
      const open = 'Open Settings';
      void vscode.window
        .showErrorMessage('To evaluate the adapter, MediGen Lab needs the base model as a GGUF file: set "medigenLab.model" to it (the same model you fine-tuned, converted to GGUF).', open)
        .then((p) => p === open && vscode.commands.executeCommand('workbench.action.openSettings', 'medigenLab.model'));
      return undefined;
    }
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as TrainConfig;
    const dashboard = DashboardPanel.of(dir);
    const limit = evaluateLimit();
    const threads = generationThreads();
    const maxTokens = maxNoteTokens();
    dashboard?.busy('Evaluating the adapter: converting, generating notes with and without it, scoring…');
    try {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Evaluating the adapter of ${basename(dir)}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let last = 0;
          return evaluateAdapter({
            runDir: dir,
            adapterDir: resolve(dir, state.adapterDir!),
            baseModel: model,
            split: cfg.data.valid,
            ...(cfg.data.corpus ? { corpusDir: cfg.data.corpus } : {}),
            ...(limit ? { limit } : {}),
            ...(threads ? { threads } : {}),
            ...(maxTokens ? { maxTokens } : {}),
            signal: abort.signal,
            progress: {
              report(done, total, label) {
                const pct = Math.round((done / total) * 100);
                progress.report({ message: label ?? '', increment: Math.max(0, pct - last) });
                last = Math.max(last, pct);
              },
            },
          });
        },
      );
      const all = summary.rows.find((r) => r.group === 'ALL' && r.metric === 'rouge1');
      const text = all ? `ROUGE-1 on ${summary.encounters} notes: base ${(all.base * 100).toFixed(2)}, fine-tuned ${(all.finetuned * 100).toFixed(2)}.` : 'Scores are in the dashboard.';
      output.appendLine(`Evaluated the adapter of ${basename(dir)}. ${text}`);
      void vscode.window.showInformationMessage(`Evaluated the adapter of ${basename(dir)}. ${text}`);
      await DashboardPanel.show(deps, dir);
      return summary;
    } finally {
      dashboard?.busy(null);
      DashboardPanel.of(dir)?.post();
    }
  }));

  cmd(TRAINING_COMMANDS.setUpEnvironment, () => setUpEnvironment());
  cmd(TRAINING_COMMANDS.refreshRuns, () => history.refresh());

  output.appendLine(`Fine-tuning features ready (training folder: ${trainingFolder()}).`);
  return { manager, history, form: () => TrainFormPanel.active, dashboard: (dir) => DashboardPanel.of(dir) };
}

/** The webview page shell (strict CSP, nonce) and error display, shared with the review panel. */
export { makeNonce, webviewPage } from './html';
export { showError } from './formPanel';
