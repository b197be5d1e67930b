/**
 * Read-only documents on the `medigen-note:` scheme: generated notes (updated while the text
 * streams in), their reference notes (for the diff), prompts, and the dialogues notes were
 * generated from (where faithfulness evidence points). VS Code re-reads a document's
 * text from this provider each time `onDidChange` fires for it.
 */
import * as vscode from 'vscode';
import type { NoteScoreSummary } from '../../models/generation/index';
import type { EditorSentence } from '../../models/safety/index';

/** The URI scheme of MediGen Lab's generated documents. */
export const NOTE_SCHEME = 'medigen-note';

/** What a `medigen-note:` document holds. */
export type NoteDocKind = 'note' | 'reference' | 'prompt' | 'dialogue';

/** A finished note traced against its dialogue (models/safety): each sentence, supported or not, with its evidence turns. */
export interface NoteTrace {
  /** The `medigen-note:` document holding the dialogue exactly as the note was generated from it. */
  dialogue: vscode.Uri;
  sentences: EditorSentence[];
}

/** One document's state. */
export interface NoteDoc {
  uri: vscode.Uri;
  kind: NoteDocKind;
  text: string;
  /** True while a note's text is still streaming in. */
  generating: boolean;
  /** The reference note's document, when the dialogue has one. */
  reference?: vscode.Uri;
  /** Scores against the reference, once the note is finished. */
  scores?: NoteScoreSummary;
  /** Faithfulness against the dialogue, once the note is finished. */
  trace?: NoteTrace;
}

/** How often a streaming document is refreshed, at most. */
const REFRESH_MS = 80;

/** The content provider and store of every `medigen-note:` document. */
export class NoteDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, NoteDoc>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly stateChanged = new vscode.EventEmitter<NoteDoc>();
  private counter = 0;
  /** Fires when a document's text changes (throttled while streaming). */
  readonly onDidChange = this.changed.event;
  /** Fires when a document starts or stops generating or gets scores. */
  readonly onDidChangeState = this.stateChanged.event;

  /** A new, empty document; `title` becomes the editor tab's name. */
  create(kind: NoteDocKind, title: string, text = ''): NoteDoc {
    const safe = title.replace(/[\\/:*?"<>|#?]+/g, ' ').replace(/\s+/g, ' ').trim() || kind;
    const uri = vscode.Uri.from({ scheme: NOTE_SCHEME, path: `/${++this.counter}/${safe}.txt` });
    const doc: NoteDoc = { uri, kind, text, generating: false };
    this.docs.set(uri.toString(), doc);
    return doc;
  }

  /** The document for a URI (a Uri or its string form). */
  get(uri: vscode.Uri | string): NoteDoc | undefined {
    return this.docs.get(typeof uri === 'string' ? uri : uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const doc = this.docs.get(uri.toString());
    return doc ? doc.text : 'This MediGen Lab document is gone (VS Code was restarted). Generate the note again.';
  }

  /** Marks a note as streaming (or finished) and tells listeners; a streaming note has no trace. */
  setGenerating(doc: NoteDoc, generating: boolean): void {
    doc.generating = generating;
    if (generating) doc.trace = undefined;
    this.stateChanged.fire(doc);
  }

  /** Stores a finished note's faithfulness trace and tells listeners (the diagnostics). */
  setTrace(doc: NoteDoc, trace: NoteTrace): void {
    doc.trace = trace;
    this.stateChanged.fire(doc);
  }

  /** Adds streamed text; the editor is refreshed at most every 80 ms. */
  append(doc: NoteDoc, text: string): void {
    doc.text += text;
    const key = doc.uri.toString();
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.changed.fire(doc.uri);
      }, REFRESH_MS),
    );
  }

  /** Replaces a document's text and refreshes it now. */
  setText(doc: NoteDoc, text: string): void {
    doc.text = text;
    this.flush(doc);
  }

  /** Refreshes a document now (after the last chunk). */
  flush(doc: NoteDoc): void {
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.changed.fire(doc.uri);
  }

  /** Stores a finished note's scores and tells listeners (the CodeLens provider). */
  setScores(doc: NoteDoc, scores: NoteScoreSummary): void {
    doc.scores = scores;
    this.stateChanged.fire(doc);
  }

  /**
   * Waits until the open editor document shows the stored text (VS Code reads it asynchronously
   * after a change event), or `timeoutMs` passes. Defaults to 5 s. Resolves with whether it matched.
   */
  async settled(doc: NoteDoc, timeoutMs = 5000): Promise<boolean> {
    const open = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri.toString());
    if (!open() || open()!.getText() === doc.text) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(ok);
      };
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === doc.uri.toString() && e.document.getText() === doc.text) done(true);
      });
      const timer = setTimeout(() => done(open()?.getText() === doc.text), timeoutMs);
      this.changed.fire(doc.uri);
    });
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.changed.dispose();
    this.stateChanged.dispose();
  }
}
