/** What the note-generation commands accept from code and return (for tests and other extensions). */
import type { PhiChoice } from '../../models/safety/index';
import type { GenerationSettings, NoteScoreSummary } from '../../models/generation/index';
import type { InputArgs } from './input';

/** The argument `generateNote`, `generateNoteForEncounter` and `showPrompt` accept from code. */
export interface GenerateNoteArgs extends InputArgs {
  /** Settings used instead of the configured ones for this call. */
  settings?: Partial<GenerationSettings>;
  /** What to do with identifiers before the dialogue goes to an endpoint on another machine; asked when absent. */
  phi?: PhiChoice;
}

/** What `medigenLab.generateNote` returns. */
export interface GenerateNoteResult {
  /** The `medigen-note:` document holding the note. */
  uri: string;
  text: string;
  stopReason: string;
  /** True when the note was stopped before it finished. */
  stopped: boolean;
  generatedTokens?: number;
  promptTokens?: number;
  backend: 'local' | 'remote';
  model: string;
  /** The reference note, when the dialogue has one. */
  reference?: { encounterId: string; split: string; matchedBy: string; uri: string };
  scores?: NoteScoreSummary;
  /** Sentences of the note and how many the dialogue does not support (underlined in the note). */
  faithfulness?: { sentences: number; unsupported: number; dialogue: string };
  /** What the identifier guard did before an endpoint on another machine: 'scrub' or 'send'. */
  phi?: PhiChoice;
}

/** What `medigenLab.showPrompt` returns. */
export interface ShowPromptResult {
  uri: string;
  text: string;
  /** Tokens the local model sees; absent for an endpoint. */
  tokenCount?: number;
  backend: 'local' | 'remote';
}
