/**
 * A run's dashboard: loss curves (training and validation), learning rate, tokens/s, GPU memory,
 * time left, log tail and status, live while the trainer runs (RunManager events) or replayed
 * from the run folder afterwards. Cancel, Resume, Evaluate Adapter and "New Run from This Config"
 * buttons; errors shown with their category and what to do. One panel per run.
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunState } from '../../models/train/index';
import { dashboardView, type DashboardView } from './dashboardModel';
import { readEvaluation } from '../../models/train/index';
import { makeNonce, webviewPage } from './html';
import { parseDashboardMessage, type ToDashboardMessage } from './messages';
import type { RunManager } from '../../models/train/index';

/** The webview panel type of run dashboards. */
export const DASHBOARD_VIEW_TYPE = 'medigenLab.trainingDashboard';

/** What a dashboard needs from the rest of the training features. */
export interface DashboardDeps {
  extensionUri: vscode.Uri;
  output: vscode.OutputChannel;
  manager: RunManager;
}

/** Redraws at most this often while steps stream in. */
const REDRAW_MS = 150;

export class DashboardPanel {
  private static readonly panels = new Map<string, DashboardPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private ready!: Promise<void>;
  private markReady!: () => void;
  private timer: NodeJS.Timeout | undefined;
  private renderWaiters: { test: (r: { step: number; status: string }) => boolean; resolve: () => void }[] = [];
  private disposed = false;
  /** What the page showed at its last redraw. */
  rendered: { step: number; status: string } = { step: -1, status: '' };

  /** The open dashboard of a run, if any. */
  static of(dir: string): DashboardPanel | undefined {
    return DashboardPanel.panels.get(dir);
  }

  /** Opens (or reveals) the dashboard of the run in `dir` and waits until it is drawn. */
  static async show(deps: DashboardDeps, dir: string): Promise<DashboardPanel> {
    let d = DashboardPanel.panels.get(dir);
    if (d) d.panel.reveal(undefined, false);
    else {
      const media = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webviews');
      const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, `Run: ${basename(dir)}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
      d = new DashboardPanel(panel, deps, dir);
      DashboardPanel.panels.set(dir, d);
      d.render();
    }
    await d.ready;
    return d;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDeps,
    readonly dir: string,
  ) {
    this.ready = new Promise((r) => (this.markReady = r));
    const onState = (d: string) => d === this.dir && this.schedule();
    const onEnded = (d: string) => d === this.dir && this.post();
    deps.manager.on('state', onState);
    deps.manager.on('ended', onEnded);
    this.disposables.push(
      { dispose: () => deps.manager.off('state', onState) },
      { dispose: () => deps.manager.off('ended', onEnded) },
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => void this.receive(raw)),
    );
  }

  private render(): void {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews');
    webview.html = webviewPage({
      title: `Run ${basename(this.dir)}`,
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.css')).toString(),
      body: '<main id="app"><p>Loading the run…</p></main>',
    });
  }

  /** The run's state now (live while it runs, else replayed from its folder). */
  state(): RunState {
    return this.deps.manager.state(this.dir);
  }

  /** What the dashboard shows now. */
  view(): DashboardView {
    const active = !!this.deps.manager.activeRun(this.dir);
    const evaluation = readEvaluation(this.dir);
    return dashboardView({ name: basename(this.dir), dir: this.dir }, this.state(), { active, ...(evaluation ? { evaluation } : {}) });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.post();
    }, REDRAW_MS);
  }

  /** Sends the current view to the page. */
  post(): void {
    if (this.disposed) return;
    const m: ToDashboardMessage = { type: 'state', view: this.view() };
    void this.panel.webview.postMessage(m);
  }

  /** Shows or clears a "working…" line (e.g. while the adapter is evaluated). */
  busy(text: string | null): void {
    const m: ToDashboardMessage = { type: 'busy', text };
    void this.panel.webview.postMessage(m);
  }

  /** Resolves once the page has drawn a state that passes `test` (e.g. step ≥ 3). */
  whenRendered(test: (r: { step: number; status: string }) => boolean): Promise<void> {
    if (test(this.rendered)) return Promise.resolve();
    return new Promise((resolve) => this.renderWaiters.push({ test, resolve }));
  }

  /** Handles one message from the page (public so tests can act as its buttons do). */
  async receive(raw: unknown): Promise<void> {
    const m = parseDashboardMessage(raw);
    if (!m) {
      this.deps.output.appendLine(`Run dashboard: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.post();
        this.markReady();
        return;
      case 'rendered':
        this.rendered = { step: m.step, status: m.status };
        this.renderWaiters = this.renderWaiters.filter((w) => (w.test(this.rendered) ? (w.resolve(), false) : true));
        return;
      case 'cancel':
        await vscode.commands.executeCommand('medigenLab.cancelTrainingRun', this.dir);
        return;
      case 'resume':
        await vscode.commands.executeCommand('medigenLab.resumeTrainingRun', this.dir);
        return;
      case 'evaluate':
        await vscode.commands.executeCommand('medigenLab.evaluateAdapter', this.dir);
        return;
      case 'newFromConfig':
        await vscode.commands.executeCommand('medigenLab.newTrainingRun', this.dir);
        return;
      case 'setupEnvironment':
        await vscode.commands.executeCommand('medigenLab.setUpTrainingEnvironment');
        return;
      case 'openLog':
        await vscode.window.showTextDocument(vscode.Uri.file(join(this.dir, 'trainer.log')), { preview: true });
        return;
      case 'openFolder':
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(join(this.dir, 'config.json')));
        return;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (DashboardPanel.panels.get(this.dir) === this) DashboardPanel.panels.delete(this.dir);
    this.markReady?.();
    for (const w of this.renderWaiters.splice(0)) w.resolve();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
