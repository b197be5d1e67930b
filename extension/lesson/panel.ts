/**
 * The lesson panel: one webview beside the editor showing a lesson (sanitized Markdown, strict
 * CSP, fresh nonce per render) with a card per exercise (open / run check / next hint). One
 * panel at a time (createOrShow); a serializer brings it back after a reload.
 */
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { LabService } from '../lab/service';
import { lessonPage, makeNonce } from './html';
import { parseLessonMessage, type ToWebviewMessage } from './messages';
import { lessonViewState, type RunInfo } from './state';

/** The webview panel type (also the `onWebviewPanel:` activation event). */
export const LESSON_VIEW_TYPE = 'medigenLab.lesson';

/** What the panel needs from the rest of the extension. */
export interface LessonPanelDeps {
  extensionUri: vscode.Uri;
  lab: LabService;
  runs: RunInfo & { onDidChange: vscode.Event<void> };
  output: vscode.OutputChannel;
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
  /** For the last render: ms from the page's document start to its script saying ready (measured in the page). */
  lastPageMs: number | undefined;

  /** The panel shown now, if any. */
  static get active(): LessonPanel | undefined {
    return LessonPanel.current;
  }

  /**
   * Shows `lessonId` of `moduleId` in the lesson panel (created beside the editor when needed)
   * and resolves once the page has rendered (its script said `ready`).
   */
  static async createOrShow(deps: LessonPanelDeps, moduleId: string, lessonId: string): Promise<LessonPanel> {
    let p = LessonPanel.current;
    if (p) p.panel.reveal(p.panel.viewColumn, false);
    else {
      const panel = vscode.window.createWebviewPanel(LESSON_VIEW_TYPE, 'Lesson', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [] });
      p = new LessonPanel(panel, deps);
    }
    await p.show(moduleId, lessonId);
    return p;
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

  /** Renders a lesson (fresh nonce) and waits until the page is ready. */
  async show(moduleId: string, lessonId: string): Promise<void> {
    await (await this.render(moduleId, lessonId)).ready;
  }

  /** Renders a lesson (fresh nonce); resolves once the HTML is set, with a promise of the page being ready. */
  private async render(moduleId: string, lessonId: string): Promise<{ ready: Promise<void> }> {
    const lab = await this.deps.lab.get();
    const { module, lesson } = lab.lesson(moduleId, lessonId);
    this.moduleId = moduleId;
    this.lessonId = lessonId;
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews');
    webview.options = { enableScripts: true, localResourceRoots: [media, vscode.Uri.file(module.dir)] };
    this.panel.title = `Lesson: ${lesson.title}`;
    const ready = this.whenReady();
    webview.html = lessonPage({
      moduleId,
      lessonId,
      title: lesson.title,
      markdown: lesson.markdown,
      exercises: lesson.exercises.map((e) => ({ id: e.id, title: e.title })),
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'lesson.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'lesson.css')).toString(),
      resolveImage: (src) => webview.asWebviewUri(vscode.Uri.file(join(dirname(lesson.file), src))).toString(),
      trusted: vscode.workspace.isTrusted,
    });
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
      const msg: ToWebviewMessage = { type: 'state', state: lessonViewState(lab, this.moduleId, lesson, this.deps.runs, vscode.workspace.isTrusted) };
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
        await this.postState();
        for (const w of this.readyWaiters.splice(0)) w();
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
