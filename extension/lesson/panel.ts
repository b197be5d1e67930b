/**
 * The lesson panel: one webview beside the editor showing a lesson (sanitized Markdown, strict
 * CSP, fresh nonce per render) with a card per exercise (open / run check / next hint). One
 * panel at a time (createOrShow); a serializer brings it back after a reload.
 * The whole page (lesson text, cards with their state, style, script) goes out in one HTML string,
 * so VS Code paints the lesson as soon as it shows the webview (see html.ts); `show` resolves
 * when the page reports that first paint.
 */
import { dirname, join, sep } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/index';
import type { LabService } from '../lab/service';
import { lessonPageAssets } from './assets';
import { lessonPage, makeNonce } from './html';
import { parseLessonMessage, type PageTiming, type ToWebviewMessage } from './messages';
import type { LessonRenderCache } from './renderCache';
import { lessonViewState, type RunInfo } from './state';
import type { LessonViewState } from './messages';

/** The webview panel type (also the `onWebviewPanel:` activation event). */
export const LESSON_VIEW_TYPE = 'medigenLab.lesson';

/** What the panel needs from the rest of the extension. */
export interface LessonPanelDeps {
  extensionUri: vscode.Uri;
  lab: LabService;
  runs: RunInfo & { onDidChange: vscode.Event<void> };
  output: vscode.OutputChannel;
  /** Lessons and hints rendered in an earlier session (the first lesson then paints without marked). */
  renders: LessonRenderCache;
}

/** How long the last render took, from the extension's and the page's clocks (both ms since the epoch or ms). */
export interface LessonRenderTiming {
  /** Date.now() when the extension set the page's HTML. */
  htmlSetAt: number;
  /** The page's own timings (document start, script, load, painted), from its `ready` message. */
  page?: PageTiming;
  /** Date.now() when the extension got `ready` (the lesson is painted). */
  readyAt?: number;
  /** ms after the page's document start when the toolkit had upgraded the buttons. */
  hydratedMs?: number;
}

/** What the lesson panel shows now (for tests and other extensions: the webview's own state is out of reach). */
export interface LessonPageSnapshot {
  moduleId: string;
  lessonId: string;
  /** The panel's title, e.g. "Lesson: Meet the data". */
  title: string;
  /** The whole page as last rendered: lesson text, exercise cards, trust note. */
  html: string;
  /** The state last given to the page (the cards' statuses, whether checks can run). */
  state: LessonViewState;
  /** The page has reported that it is painted (its script runs). */
  ready: boolean;
}

/** The ids the webview keeps with vscode.setState (what the serializer gets back). */
interface PanelState {
  moduleId?: string;
  lessonId?: string;
}

export class LessonPanel {
  private static current: LessonPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private moduleId = '';
  private lessonId = '';
  private readyWaiters: (() => void)[] = [];
  private isReady = false;
  private disposed = false;
  /** Renders begun, so that a render overtaken by a later one shows nothing. */
  private renders = 0;
  /** For the last render: ms from the page's document start to the lesson being painted (measured in the page). */
  lastPageMs: number | undefined;
  /** For the last render: when the HTML was set, and the page's timings as they arrive. */
  lastTiming: LessonRenderTiming | undefined;
  private page: { html: string; state: LessonViewState } | undefined;

  /** The panel shown now, if any. */
  static get active(): LessonPanel | undefined {
    return LessonPanel.current;
  }

  /**
   * Shows `lessonId` of `moduleId` in the lesson panel (created beside the editor when needed)
   * and resolves once the page has rendered (its script said `ready`).
   */
  static async createOrShow(deps: LessonPanelDeps, moduleId: string, lessonId: string): Promise<LessonPanel> {
    const p = LessonPanel.prepare(deps);
    await p.show(moduleId, lessonId);
    return p;
  }

  /**
   * The lesson panel, shown: the open one, or a new one beside the editor, empty until `show`.
   * Called before the lab is open, so VS Code creates the webview (its frames, its service worker:
   * most of the time to a painted lesson) while the extension opens the lab and renders the page.
   */
  static prepare(deps: LessonPanelDeps): LessonPanel {
    const p = LessonPanel.current;
    if (p) {
      p.panel.reveal(p.panel.viewColumn, false);
      return p;
    }
    // The final options from the start: changing them later makes VS Code reload the page.
    const panel = vscode.window.createWebviewPanel(LESSON_VIEW_TYPE, 'Lesson', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, LessonPanel.webviewOptions(deps, deps.lab.modulesDir()));
    return new LessonPanel(panel, deps);
  }

  /**
   * Scripts on; files only from dist/webviews and the lab's modules folder (lesson images). The
   * page is kept while another editor covers it: without that, a lesson shown again after, say, a
   * diff editor had covered it took ~30 s to load in code-server (measured in
   * test/integration/cleaningPrompts.test.ts), and the student's scroll position was lost.
   */
  private static webviewOptions(deps: LessonPanelDeps, modulesDir: string, moduleDir?: string): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    // A module loaded from outside the lab's modules folder (none are today) gets its own folder as a root.
    const own = moduleDir && !moduleDir.startsWith(modulesDir + sep) ? [vscode.Uri.file(moduleDir)] : [];
    return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webviews'), vscode.Uri.file(modulesDir), ...own] };
  }

  /** Closes a panel that `prepare` opened for a lesson that could not be shown (nothing was rendered in it). */
  disposeIfEmpty(): void {
    if (!this.page) this.panel.dispose();
  }

  /** Registers the serializer that reopens the lesson panel after VS Code reloads. */
  static registerSerializer(deps: LessonPanelDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(LESSON_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const s = (state ?? {}) as PanelState;
        const p = new LessonPanel(panel, deps);
        // Not waiting for the page's "ready": VS Code only shows the revived page after this returns.
        if (s.moduleId && s.lessonId) await p.render(s.moduleId, s.lessonId).catch((err) => p.showError(err));
        else p.showError(new Error('The lesson to show was not saved.'));
      },
    });
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: LessonPanelDeps,
  ) {
    LessonPanel.current?.dispose();
    LessonPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'extension', 'media', 'lesson.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      deps.lab.onDidChange(() => void this.postState()),
      deps.runs.onDidChange(() => void this.postState()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.show(this.moduleId, this.lessonId)),
    );
  }

  /** The lesson shown now. */
  get lesson(): { moduleId: string; lessonId: string } {
    return { moduleId: this.moduleId, lessonId: this.lessonId };
  }

  /** What the page shows now, or undefined before the first render. */
  snapshot(): LessonPageSnapshot | undefined {
    if (!this.page) return undefined;
    return { moduleId: this.moduleId, lessonId: this.lessonId, title: this.panel.title, html: this.page.html, state: this.page.state, ready: this.isReady };
  }

  /** Renders a lesson (fresh nonce) and waits until the page is ready. */
  async show(moduleId: string, lessonId: string): Promise<void> {
    await (await this.render(moduleId, lessonId)).ready;
  }

  /** Renders a lesson (fresh nonce); resolves once the HTML is set, with a promise of the page being ready. */
  private async render(moduleId: string, lessonId: string): Promise<{ ready: Promise<void> }> {
    const seq = ++this.renders;
    const lab = await this.deps.lab.get();
    const { module, lesson } = lab.lesson(moduleId, lessonId);
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews');
    const trusted = vscode.workspace.isTrusted;
    // The cards are drawn with their state now: no message round trip before the first paint.
    const render = this.deps.renders.render;
    const state = await lessonViewState(lab, moduleId, lesson, this.deps.runs, trusted, render);
    const lessonDir = dirname(lesson.file);
    const html = await lessonPage({
      moduleId,
      lessonId,
      title: lesson.title,
      markdown: lesson.markdown,
      exercises: state.exercises,
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      ...lessonPageAssets(media.fsPath),
      toolkitUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'lessonToolkit.js')).toString(),
      resolveImage: (src) => webview.asWebviewUri(vscode.Uri.file(join(lessonDir, src))).toString(),
      trusted,
      render,
    });
    // A lesson asked for later (a second click while this one rendered) is the one to show.
    if (seq !== this.renders) return { ready: Promise.resolve() };
    this.moduleId = moduleId;
    this.lessonId = lessonId;
    const options = LessonPanel.webviewOptions(this.deps, lab.modulesDir, module.dir);
    const roots = (o: vscode.WebviewOptions) => (o.localResourceRoots ?? []).map(String).join('\n');
    if (roots(webview.options) !== roots(options) || !webview.options.enableScripts) webview.options = options;
    this.panel.title = `Lesson: ${lesson.title}`;
    const ready = this.whenReady();
    this.page = { html, state };
    webview.html = html;
    this.lastTiming = { htmlSetAt: Date.now() };
    return { ready };
  }

  private whenReady(): Promise<void> {
    this.isReady = false;
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private showError(err: unknown): void {
    this.panel.webview.options = { enableScripts: false, localResourceRoots: [] };
    const text = describeError(err).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
    this.panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>MediGen Lab could not show this lesson.</p><pre>${text}</pre><p>Open it again from the MediGen Lab view.</p></body></html>`;
  }

  /** Sends the current state (statuses, hints, running checks) to the page. */
  async postState(): Promise<void> {
    if (!this.isReady || !this.moduleId) return;
    try {
      const lab = await this.deps.lab.get();
      const { lesson } = lab.lesson(this.moduleId, this.lessonId);
      const msg: ToWebviewMessage = { type: 'state', state: await lessonViewState(lab, this.moduleId, lesson, this.deps.runs, vscode.workspace.isTrusted, this.deps.renders.render) };
      if (this.page) this.page.state = msg.state;
      await this.panel.webview.postMessage(msg);
    } catch (err) {
      this.deps.output.appendLine(`Lesson panel: ${describeError(err)}`);
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseLessonMessage(raw);
    if (!m) {
      this.deps.output.appendLine(`Lesson panel: ignored an unexpected message ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    const ex = 'exerciseId' in m ? { moduleId: this.moduleId, exerciseId: m.exerciseId } : undefined;
    switch (m.type) {
      case 'ready':
        this.isReady = true;
        if (m.pageMs !== undefined) this.lastPageMs = m.pageMs;
        if (this.lastTiming) Object.assign(this.lastTiming, { readyAt: Date.now() }, m.timing ? { page: m.timing } : {});
        for (const w of this.readyWaiters.splice(0)) w();
        // In case something changed since the HTML was built (a check finished meanwhile).
        await this.postState();
        return;
      case 'hydrated':
        if (this.lastTiming) this.lastTiming.hydratedMs = m.pageMs;
        // The page is done: the process the next check runs in starts a moment later, off the
        // paint's path (only where the folder is trusted to run code).
        if (vscode.workspace.isTrusted) setTimeout(() => void this.deps.lab.get().then((lab) => lab.warmUpChecks()).catch(() => undefined), 1000);
        return;
      case 'openExercise':
        await vscode.commands.executeCommand('medigenLab.openExercise', ex);
        return;
      case 'runCheck':
        await vscode.commands.executeCommand('medigenLab.runCheck', ex);
        return;
      case 'nextHint':
        await vscode.commands.executeCommand('medigenLab.showHint', ex);
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'runCommand':
        // parseLessonMessage let only medigenLab.* commands through.
        await vscode.commands.executeCommand(m.command, ...m.args);
        return;
      case 'openLink': {
        const open = 'Open in browser';
        const pick = await vscode.window.showInformationMessage(`The lesson links to ${m.href}. Open it in your web browser?`, open);
        if (pick === open) await vscode.env.openExternal(vscode.Uri.parse(m.href));
        return;
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (LessonPanel.current === this) LessonPanel.current = undefined;
    for (const w of this.readyWaiters.splice(0)) w();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
