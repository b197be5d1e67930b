/**
 * Note generation, whatever the backend: the NoteSource interface and the one place that picks a
 * local model or an endpoint (source.ts), a whole split to a predictions CSV with resuming
 * (batch.ts), the editor's engine that keeps a model loaded between notes (engine.ts), its
 * settings (settings.ts), finding a dialogue's reference note in the corpus (reference.ts) and
 * scoring one note per section (scores.ts).
 */
export { isRemoteSpec, openNoteSource, type NoteRequest, type NoteResult, type NoteSource, type NoteSourceSpec, type OpenNoteSourceOptions } from './source';
export { generateSplit, partialFileFor, settingsChecksum, type GenerateSplitOptions, type GenerateSplitResult } from './batch';
export { GenerationEngine, type EngineCallbacks, type EngineResult, type PromptView } from './engine';
export { DEFAULT_GENERATION_SETTINGS, GENERATION_SETTING_KEYS, effectiveThreads, normalizeSettings, resolveUserPath, usesEndpoint, type GenerationSettings } from './settings';
export { availableSplits, findEncounter, findReference, loadCorpusEncounters, normalizeDialogue, type CorpusEncounter, type ReferenceMatch } from './reference';
export { DIVISION_LABELS, formatScores, headerLines, lensSpecs, scoreNote, scoresTooltip, type HeaderLine, type LensSpec, type NoteScoreSummary, type RougeF1, type SectionScore } from './scores';
