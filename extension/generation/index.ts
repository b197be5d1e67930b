/**
 * Note generation in the editor: "Generate Note" on the active dialogue (or an encounter of the
 * corpus) streams the note into a read-only `medigen-note:` document beside it, with Stop, the
 * exact prompt, ROUGE scores as CodeLens over the note, and a diff with the reference note.
 * extension.ts calls `registerGenerationFeatures` from activate().
 */
import * as vscode from 'vscode';
import { NoteCodeLensProvider } from './codelens';
import { GENERATION_COMMANDS, registerGenerationCommands } from './commands';
import { NOTE_SCHEME, NoteDocuments } from './documents';
import { GenerationEngine } from '../../models/generation/index';
import { CorpusCache } from './input';
import { NoteFaithfulness } from './faithfulness';

export { GENERATION_COMMANDS, type GenerateNoteArgs, type GenerateNoteResult, type ShowPromptResult } from './commands';
export { NOTE_SCHEME, NoteDocuments, type NoteDoc, type NoteDocKind } from './documents';
export { GenerationEngine, type EngineCallbacks, type EngineResult, type PromptView } from '../../models/generation/index';
export { DEFAULT_GENERATION_SETTINGS, GENERATION_SETTING_KEYS, effectiveThreads, normalizeSettings, resolveUserPath, usesEndpoint, type GenerationSettings } from '../../models/generation/index';
export { availableSplits, findEncounter, findReference, loadCorpusEncounters, normalizeDialogue, type CorpusEncounter, type ReferenceMatch } from '../../models/generation/index';
export { DIVISION_LABELS, formatScores, headerLines, lensSpecs, scoreNote, scoresTooltip, type HeaderLine, type LensSpec, type NoteScoreSummary, type RougeF1, type SectionScore } from '../../models/generation/index';
export { API_KEY_SECRET, type ChooseModelResult } from './setup';
export { FAITHFULNESS_SOURCE, SHOW_EVIDENCE_COMMAND, type ShowEvidenceResult } from './faithfulness';

/** What the generation features expose (for tests and other features). */
export interface GenerationFeatures {
  /** The engine holding the loaded model. */
  engine: GenerationEngine;
  /** The `medigen-note:` documents. */
  documents: NoteDocuments;
  /** Stops the note being generated; false when none is. */
  stop(): boolean;
}

/** Registers the generation commands, the `medigen-note:` documents with their CodeLens and faithfulness diagnostics; disposes the model on deactivate. */
export function registerGenerationFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): GenerationFeatures {
  const engine = new GenerationEngine();
  const documents = new NoteDocuments();
  const corpus = new CorpusCache();
  const lenses = new NoteCodeLensProvider(documents, {
    compare: GENERATION_COMMANDS.compareWithReference,
    stop: GENERATION_COMMANDS.stopGeneration,
    generateForEncounter: GENERATION_COMMANDS.generateNoteForEncounter,
  });
  context.subscriptions.push(
    documents,
    corpus,
    lenses,
    new NoteFaithfulness(documents),
    vscode.workspace.registerTextDocumentContentProvider(NOTE_SCHEME, documents),
    vscode.languages.registerCodeLensProvider({ scheme: NOTE_SCHEME }, lenses),
    { dispose: () => void engine.dispose().catch((e: unknown) => output.appendLine(`Could not release the model: ${(e as Error).message}`)) },
  );
  const { stop } = registerGenerationCommands({ context, output, engine, documents, corpus });
  return { engine, documents, stop };
}
