/**
 * Faithfulness in the editor: a finished note's sentences that the dialogue does not support are
 * underlined (diagnostics, with the closest dialogue turns as related locations and a quick fix
 * that shows them), and hovering any sentence shows its evidence turns with a link that opens
 * them in the dialogue. The tracing itself is models/safety's `traceForEditor`.
 */
import * as vscode from 'vscode';
import { MedigenError, describeError } from '../../core/index';
import type { Encounter } from '../../datasets/index';
import { describeTurn, traceForEditor, type EditorSentence, type EvidenceTurn } from '../../models/safety/index';
import { NOTE_SCHEME, type NoteDoc, type NoteDocuments } from './documents';

/** The command that opens a sentence's evidence turns in the dialogue. */
export const SHOW_EVIDENCE_COMMAND = 'medigenLab.showEvidence';
/** The `source` of MediGen Lab's faithfulness diagnostics. */
export const FAITHFULNESS_SOURCE = 'MediGen Lab faithfulness';

/** What `medigenLab.showEvidence` returns. */
export interface ShowEvidenceResult {
  /** The dialogue document shown. */
  dialogue: string;
  sentence: string;
  supported: boolean;
  /** Evidence turn indices and the 0-based dialogue lines selected. */
  turns: number[];
  lines: number[];
}

/**
 * Traces a finished note against the dialogue it came from and stores the trace on the note; the
 * dialogue is kept as a `medigen-note:` document so evidence always points at the text used.
 */
export function traceNote(documents: NoteDocuments, doc: NoteDoc, source: string | Encounter, label: string): void {
  const dialogue = typeof source === 'string' ? source : source.dialogue;
  const dialogueDoc = documents.create('dialogue', `Dialogue for ${label}`, dialogue);
  documents.setTrace(doc, { dialogue: dialogueDoc.uri, sentences: traceForEditor(source, doc.text) });
}

function turnRange(dialogueText: string, t: EvidenceTurn): vscode.Range {
  const lines = dialogueText.split(/\r?\n/);
  const last = Math.min(t.line + t.lines - 1, lines.length - 1);
  return new vscode.Range(t.line, 0, last, lines[last]?.length ?? 0);
}

const range = (s: EditorSentence) => new vscode.Range(s.from.line, s.from.character, s.to.line, s.to.character);

function showLink(doc: NoteDoc, index: number): string {
  return `command:${SHOW_EVIDENCE_COMMAND}?${encodeURIComponent(JSON.stringify([doc.uri.toString(), index]))}`;
}

/** Diagnostics, hovers and the quick fix for `medigen-note:` notes, redrawn when a note's trace changes. */
export class NoteFaithfulness implements vscode.HoverProvider, vscode.CodeActionProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('medigen-faithfulness');
  private readonly subs: vscode.Disposable[];

  constructor(private readonly documents: NoteDocuments) {
    this.subs = [
      documents.onDidChangeState((doc) => this.update(doc)),
      vscode.languages.registerHoverProvider({ scheme: NOTE_SCHEME }, this),
      vscode.languages.registerCodeActionsProvider({ scheme: NOTE_SCHEME }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.commands.registerCommand(SHOW_EVIDENCE_COMMAND, (uri?: string, index?: number) => this.run(uri, index)),
    ];
  }

  private dialogueText(doc: NoteDoc): string {
    return (doc.trace && this.documents.get(doc.trace.dialogue)?.text) ?? '';
  }

  /** One warning per unsupported sentence, with its closest turns as related locations. */
  private update(doc: NoteDoc): void {
    if (doc.kind !== 'note') return;
    if (!doc.trace) {
      this.diagnostics.delete(doc.uri);
      return;
    }
    const { dialogue } = doc.trace;
    const text = this.dialogueText(doc);
    const list = doc.trace.sentences.filter((s) => !s.supported).map((s) => {
      const d = new vscode.Diagnostic(range(s), s.message, vscode.DiagnosticSeverity.Warning);
      d.source = FAITHFULNESS_SOURCE;
      d.code = 'unsupported';
      d.relatedInformation = s.evidence.map((t) => new vscode.DiagnosticRelatedInformation(new vscode.Location(dialogue, turnRange(text, t)), describeTurn(t)));
      return d;
    });
    this.diagnostics.set(doc.uri, list);
  }

  private sentenceAt(doc: NoteDoc, offset: number): number {
    return doc.trace?.sentences.findIndex((s) => offset >= s.start && offset <= s.end) ?? -1;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const doc = this.documents.get(document.uri);
    const index = doc ? this.sentenceAt(doc, document.offsetAt(position)) : -1;
    if (!doc || index < 0) return undefined;
    const s = doc.trace!.sentences[index]!;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [SHOW_EVIDENCE_COMMAND] };
    md.appendMarkdown(`**${s.supported ? 'Supported by the dialogue' : 'Not supported by the dialogue'}**\n\n`);
    md.appendText(s.message);
    for (const t of s.evidence) md.appendMarkdown('\n\n').appendText(`• ${describeTurn(t, 160)}`);
    if (s.evidence.length) md.appendMarkdown(`\n\n[Show ${s.evidence.length > 1 ? 'these turns' : 'this turn'} in the dialogue](${showLink(doc, index)})`);
    return new vscode.Hover(md, range(s));
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const doc = this.documents.get(document.uri);
    if (!doc?.trace) return [];
    return context.diagnostics
      .filter((d) => d.source === FAITHFULNESS_SOURCE)
      .map((d) => {
        const index = this.sentenceAt(doc, document.offsetAt(d.range.start));
        const action = new vscode.CodeAction('Show the closest turns in the dialogue', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.command = { command: SHOW_EVIDENCE_COMMAND, title: action.title, arguments: [doc.uri.toString(), index] };
        return action;
      });
  }

  private async run(uri?: string, index?: number): Promise<ShowEvidenceResult | undefined> {
    try {
      return await this.showEvidence(uri, index);
    } catch (e) {
      const hint = e instanceof MedigenError ? e.hint : describeError(e);
      void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e), { detail: hint } as vscode.MessageOptions);
      return undefined;
    }
  }

  /**
   * Opens the dialogue beside the note with the evidence turns of one sentence selected: the
   * sentence `index`, else the one at the cursor, else the first unsupported one.
   */
  async showEvidence(uri?: string, index?: number): Promise<ShowEvidenceResult> {
    const editor = vscode.window.activeTextEditor;
    const doc = this.documents.get(uri ?? editor?.document.uri ?? '');
    if (!doc?.trace) throw new MedigenError('There is no checked note here to show evidence for.', 'Generate a note ("MediGen Lab: Generate Note"); once it is finished, its sentences are checked against the dialogue.');
    const sentences = doc.trace.sentences;
    let k = index ?? -1;
    if (k < 0 && editor && editor.document.uri.toString() === doc.uri.toString()) k = this.sentenceAt(doc, editor.document.offsetAt(editor.selection.active));
    if (k < 0) k = Math.max(0, sentences.findIndex((s) => !s.supported));
    const s = sentences[k];
    if (!s) throw new MedigenError('This note has no sentences to check.', 'Generate a longer note, or check the prompt ("MediGen Lab: Show Prompt").');
    const text = this.dialogueText(doc);
    const ranges = s.evidence.map((t) => turnRange(text, t));
    const shown = await vscode.window.showTextDocument(doc.trace.dialogue, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    if (ranges.length) {
      shown.selections = ranges.map((r) => new vscode.Selection(r.start, r.end));
      shown.revealRange(ranges[0]!, vscode.TextEditorRevealType.InCenter);
    } else {
      void vscode.window.showInformationMessage('No turn of the dialogue shares this sentence\'s words: read the dialogue to see whether it was said in other words.');
    }
    return { dialogue: doc.trace.dialogue.toString(), sentence: s.text, supported: s.supported, turns: s.evidence.map((t) => t.turn), lines: ranges.map((r) => r.start.line) };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.diagnostics.dispose();
  }
}
