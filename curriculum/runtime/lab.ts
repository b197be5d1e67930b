/**
 * `medigen-lab`: the MediGen Lab library as exercise code (and your own TypeScript notebooks) see
 * it. Every stage a lesson teaches is here, in course order:
 *
 * 1. **Data**: load and check a split, clean dialogues, split turns, divide notes into sections.
 * 2. **Prompts**: instruction data, templates, chat form, token counts and budgets.
 * 3. **Scoring**: ROUGE exactly as ACI-BENCH computes it, BERTScore, breakdowns, no-model baselines.
 * 4. **Generating**: load a GGUF model, generate a note (streamed, grammar, LoRA), a whole split.
 * 5. **Fine-tuning**: training settings, the memory estimate, launching and reading a run,
 *    converting and evaluating an adapter.
 * 6. **Is this note safe?**: trace a note's sentences to the dialogue turns that support them,
 *    find and scrub identifiers, read clinician review files and measure agreement (Cohen's kappa).
 *
 * ```ts
 * import { loadSplit, rouge } from 'medigen-lab';
 * const { encounters } = loadSplit('valid');
 * console.log(rouge(encounters[0].note, encounters[1].note).rouge1.fmeasure);
 * ```
 *
 * The name `medigen-lab` is not an npm package: the check runner and the student workspace's
 * tsconfig.json map it to this file (see curriculum/engine/workspace.ts). The names below are the
 * stable surface lessons rely on; the rest of the library may change between versions.
 *
 * @packageDocumentation
 */

// 1. Data: ACI-BENCH splits, checking, cleaning, turns and sections.
export {
  DIVISIONS,
  SPLITS,
  SPLIT_FILES,
  REQUIRED_COLUMNS,
  loadSplit,
  readCsvEncounters,
  resolveCorpusDir,
  resolveSplitFile,
  sampleCorpusDir,
  parseCsv,
  writeCsv,
  validateSplit,
  validateFile,
  PREPROCESS_STEPS,
  STEP_NAMES,
  enabledSteps,
  explainPreprocessing,
  fixAsrPunctuationSpacing,
  joinSplitContractions,
  normalizeSpecialChars,
  normalizeSpeakerTags,
  normalizeWhitespace,
  dropEmptyLines,
  preprocessEncounter,
  preprocessEncounters,
  preprocessText,
  UNKNOWN_SPEAKER,
  parseTurns,
  formatTurns,
  speakerTag,
  turnCounts,
  EMPTY_SECTION,
  divideNote,
  matchHeader,
  sectionTextForScoring,
  loadOfficialSections,
  officialSectionText,
  findSectionsDir,
  measureSectionAgreement,
  normalizeSpace,
  TAGGER_ORDER,
  corpusStats,
  encounterStats,
  type Division,
  type Encounter,
  type LoadedSplit,
  type SplitName,
  type CsvTable,
  type ValidationReport,
  type ValidationProblem,
  type PreprocessConfig,
  type PreprocessOptions,
  type PreprocessStep,
  type StepName,
  type StepEffect,
  type Turn,
  type ParsedDialogue,
  type NoteSection,
  type SplitStats,
} from '../../datasets/index';

// 2. Prompts: instruction data, templates, the chat messages a model sees, token counts.
export {
  DEFAULT_INSTRUCTION,
  DEFAULT_SYSTEM_PROMPT,
  TEMPLATE_FIELDS,
  buildInstructionData,
  checkTemplate,
  readTemplate,
  renderTemplate,
  toChatExample,
  toInstructionExample,
  noteMessages,
  countWhitespaceTokens,
  loadTokenizer,
  tokenCounter,
  type ChatExample,
  type InstructionExample,
  type InstructionOptions,
  type LengthReport,
  type NoteMessages,
  type TokenCounter,
} from '../../datasets/index';

// 3. Scoring: benchmark-exact ROUGE, BERTScore, breakdowns and reports; the no-model baselines.
export {
  ROUGE_TYPES,
  RougeScorer,
  rouge,
  tokenize,
  porterStem,
  lcsTable,
  evaluateNotes,
  matchPredictions,
  loadGold,
  loadPredictions,
  worstNotes,
  toMarkdown,
  bertScore,
  releaseBertScoreModel,
  type RougeScore,
  type RougeScores,
  type RougeType,
  type Evaluation,
  type EvaluateOptions,
  type NoteScores,
  type GroupScores,
  type Prediction,
} from '../../models/eval/index';
export { BASELINE_METHODS, BASELINE_DESCRIPTIONS, COPY_METHODS, baselineNote, baselinePredictions, predictionsCsv, type BaselineMethod, type CopyMethod } from '../../models/baselines';

// 4. Generating: local GGUF models, one note or a whole split, any backend.
export {
  loadLlm,
  listModels,
  resolveModel,
  modelsDir,
  NoteGenerator,
  DEFAULT_NOTE_SECTIONS,
  noteGrammar,
  sectionHeadersIn,
  describeHardware,
  disposeRuntimes,
  estimateMemory as estimateModelMemory,
  type LoadedLlm,
  type LoadLlmOptions,
  type GenerateOptions,
  type GenerationResult,
  type RenderedPrompt,
  type LoraAdapter,
  type NoteGrammarOptions,
} from '../../models/llm/index';
export { generateSplit, openNoteSource, scoreNote, type GenerateSplitOptions, type GenerateSplitResult, type NoteSource, type NoteResult } from '../../models/generation/index';
export { ensureTinyModels, makeTinyEncoder, makeTinyLlama, makeTinyLora, type TinyModels } from '../../models/tiny/index';
export { readGgufHeader, summarizeGguf, type GgufSummary } from '../../models/gguf/index';

// 5. Fine-tuning: settings, the memory estimate, runs, adapters and their evaluation.
export {
  defaultTrainConfig,
  DEFAULT_TARGET_MODULES,
  cpuCourseConfig,
  runVerdict,
  describeMachine,
  GPU_PATHS,
  loadTrainConfig,
  validateTrainConfig,
  KNOWN_ARCHITECTURES,
  resolveArchitecture,
  estimateMemory as estimateTrainingMemory,
  adviseFit,
  memorySettingsFor,
  formatGiB,
  prepareRun,
  launchTrainer,
  replayRun,
  runPaths,
  listRuns,
  compareRuns,
  convertPeftToGguf,
  evaluateAdapter,
  readEvaluation,
  evaluationPaths,
  type TrainConfig,
  type ConfigProblem,
  type Architecture,
  type MemoryEstimate,
  type MemorySettings,
  type FitAdvice,
  type RunState,
  type RunPaths,
  type RunSummary,
  type EvaluationSummary,
  type RunVerdict,
  type MachineView,
  type GpuPath,
} from '../../models/train/index';

// 6. Is this note safe?: faithfulness tracing of a note against its dialogue, the identifier guard,
// and clinician review files with the agreement between two reviewers.
export {
  ISSUE_KINDS,
  traceFaithfulness,
  traceSentence,
  indexDialogue,
  metadataFacts,
  plantUnsupported,
  IDENTIFIER_KINDS,
  PLACEHOLDERS,
  scanIdentifiers,
  scrubIdentifiers,
  plantIdentifiers,
  encounterNames,
  findIdentifiersIn,
  describeFindings,
  splitSentences,
  type FaithfulnessIssue,
  type IssueKind,
  type TracedSentence,
  type DialogueIndex,
  type IdentifierHit,
  type IdentifierKind,
  type PhiFindings,
} from '../../models/safety/index';
export { RATINGS, RATING_LABELS, ERROR_KINDS, readReviewFile, parseReviewFile, cohensKappa, kappaWords, type Rating, type ReviewFile, type NoteReview, type Kappa } from '../../models/review/index';

// Errors every step throws: a message and what to do next.
export { MedigenError, CancelledError } from '../../core/index';
