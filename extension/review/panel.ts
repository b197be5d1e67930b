/**
 * The review panel: one note at a time beside its dialogue, with faithfulness highlights, rating
 * buttons, error marks, an editable note, previous/next and progress. Every change is saved to the
 * reviewer's file at once (models/review: atomic save). One panel at a time.
 */
import * as vscode from 'vscode';
import { describeError } from '../../core/index';
import type { FaithfulnessTracer, ReviewSession } from '../../models/review/index';
import { makeNonce, webviewPage } from '../training/index';
import { parseReviewMessage, type ReviewView, type ToReviewMessage } from './messages';
import { reviewView } from './view';

/** The webview panel type of the review panel. */
export const REVIEW_VIEW_TYPE = 'medigenLab.review';

/** What the panel needs from the extension. */
export interface ReviewPanelDeps {
  extensionUri: vscode.Uri;
  output: vscode.OutputChannel;
}

/** What the page showed at its last redraw. */
export interface ReviewRendered {
  index: number;
  rating: string | null;
  unsupported: number;
}

export class ReviewPanel {
  /** The open review panel, if any. */
  static current: ReviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready!: Promise<void>;
  private markReady!: () => void;
  private waiters: { test: (r: ReviewRendered) => boolean; resolve: () => void }[] = [];
  private disposed = false;
  /** The note shown now (0-based). */
  index: number;
  rendered: ReviewRendered = { index: -1, rating: null, unsupported: -1 };

  /** Opens the review panel on `session` (replacing an open one) and waits until the page is up. */
  static async show(deps: ReviewPanelDeps, session: ReviewSession, tracer: FaithfulnessTracer): Promise<ReviewPanel> {
    ReviewPanel.current?.dispose();
    const media = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webviews');
    const panel = vscode.window.createWebviewPanel(REVIEW_VIEW_TYPE, `Review: ${session.review.reviewer}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
    const p = new ReviewPanel(panel, deps, session, tracer);
    ReviewPanel.current = p;
    p.render();
    await p.ready;
    return p;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ReviewPanelDeps,
    readonly session: ReviewSession,
    private readonly tracer: FaithfulnessTracer,
  ) {
    this.index = session.firstUnrated();
    this.ready = new Promise((r) => (this.markReady = r));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => void this.receive(raw)),
    );
  }

  private render(): void {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews');
    webview.html = webviewPage({
      title: 'Review notes',
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'review.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'review.css')).toString(),
      body: '<main id="app"><p>Loading the notes…</p></main>',
    });
  }

  private send(m: ToReviewMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(m);
  }

  /** What the page shows for note `i` (the current note by default). */
  viewOf(i = this.index): ReviewView {
    return reviewView(this.session, i, this.tracer);
  }

  /** Sends the current note to the page. */
  post(): void {
    this.send({ type: 'state', view: this.viewOf() });
  }

  /** Resolves once the page has drawn something that passes `test`. */
  whenRendered(test: (r: ReviewRendered) => boolean): Promise<void> {
    if (test(this.rendered)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Saves a change to the note shown, telling the page (or the error) afterwards. */
  private save(fn: () => void, redraw: boolean): void {
    try {
      fn();
      if (redraw) this.post();
      else this.send({ type: 'saved', at: this.session.review.updatedAt, rated: this.session.progress().rated });
    } catch (err) {
      const text = describeError(err);
      this.deps.output.appendLine(`Review: ${text}`);
      this.send({ type: 'error', text });
      void vscode.window.showErrorMessage(text);
    }
  }

  /** Handles one message from the page (public so tests can act as its buttons do). */
  async receive(raw: unknown): Promise<void> {
    const m = parseReviewMessage(raw);
    if (!m) {
      this.deps.output.appendLine(`Review: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const i = this.index;
    switch (m.type) {
      case 'ready':
        this.save(() => this.session.update(i, { opened: true }), true);
        this.markReady();
        return;
      case 'rendered':
        this.rendered = { index: m.index, rating: m.rating, unsupported: m.unsupported };
        this.waiters = this.waiters.filter((w) => (w.test(this.rendered) ? (w.resolve(), false) : true));
        return;
      case 'rate':
        return this.save(() => this.session.update(i, { rating: m.rating }), true);
      case 'marks':
        return this.save(() => this.session.update(i, { errors: m.marks }), true);
      case 'edit':
        return this.save(() => this.session.update(i, { editedNote: m.text }), false);
      case 'resetEdit':
        return this.save(() => this.session.update(i, { editedNote: null }), true);
      case 'go':
        if (m.index >= this.session.items.length) return;
        this.index = m.index;
        return this.save(() => this.session.update(m.index, { opened: true }), true);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ReviewPanel.current === this) ReviewPanel.current = undefined;
    this.markReady?.();
    for (const w of this.waiters.splice(0)) w.resolve();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
