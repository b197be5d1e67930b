/**
 * Score lines over a generated note (CodeLens): the whole note's ROUGE at the top and each
 * section's on its header, once the note is finished and has a reference; "Generating… Stop"
 * while it streams; and a pointer to the corpus when there is no reference to score against.
 */
import * as vscode from 'vscode';
import type { NoteDocuments } from './documents';
import { lensSpecs } from '../../models/generation/index';

/** Command ids the lenses run. */
export interface LensCommands {
  compare: string;
  stop: string;
  generateForEncounter: string;
}

/** Provides the lenses of `medigen-note:` notes. */
export class NoteCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly sub: vscode.Disposable;
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: NoteDocuments,
    private readonly commands: LensCommands,
  ) {
    this.sub = documents.onDidChangeState(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const doc = this.documents.get(document.uri);
    if (!doc || doc.kind !== 'note') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (doc.generating) {
      return [new vscode.CodeLens(top, { title: '$(loading~spin) Generating… click to stop', command: this.commands.stop, tooltip: 'Stops the model; the text so far stays in this document.' })];
    }
    if (!doc.scores) {
      return [
        new vscode.CodeLens(top, {
          title: 'No reference note for this dialogue, so no scores. Pick an encounter from the corpus to see ROUGE',
          command: this.commands.generateForEncounter,
          tooltip: 'Scores need the reference note written by a doctor: generate from an encounter of the corpus, or save the dialogue in a file named after its encounter id (e.g. D2N068.txt).',
        }),
      ];
    }
    const lines = document.lineCount;
    return lensSpecs(doc.text, doc.scores)
      .filter((s) => s.line < lines)
      .map((s) => new vscode.CodeLens(new vscode.Range(s.line, 0, s.line, 0), { title: s.title, tooltip: `${s.tooltip}\n\nClick to compare with the reference note.`, command: this.commands.compare, arguments: [doc.uri.toString()] }));
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
