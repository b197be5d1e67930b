/** The public API of MediGen Lab's datasets library (ACI-BENCH loading, checking and shaping). */
export { DIVISIONS, SPLITS, type Division, type Encounter, type SplitName } from './types';
export { decodeUtf8, parseCsv, writeCsv, type CsvProblem, type CsvRow, type CsvTable, type Severity } from './csv';
export { REQUIRED_COLUMNS, SPLIT_FILES, isSplitName, loadSplit, metadataFileFor, readCsvEncounters, resolveCorpusDir, resolveSplitFile, sampleCorpusDir, identifiersDemoFile, type LoadedSplit } from './corpus';
export { EMPTY_SECTION, HEADER_PHRASES, SECTION_NEWLINE, TAGGER_ORDER, divideNote, matchHeader, sectionTextForScoring, type NoteSection } from './sections';
export { UNKNOWN_SPEAKER, SPEAKER_TAG_SOURCE, formatTurns, parseTurns, speakerTag, turnCounts, type ParsedDialogue, type Turn } from './turns';
export {
  PREPROCESS_STEPS,
  STEP_NAMES,
  dropEmptyLines,
  enabledSteps,
  explainPreprocessing,
  fixAsrPunctuationSpacing,
  joinSplitContractions,
  normalizeSpecialChars,
  normalizeSpeakerTags,
  normalizeWhitespace,
  preprocessEncounter,
  preprocessEncounters,
  preprocessText,
  type PreprocessConfig,
  type PreprocessOptions,
  type PreprocessStep,
  type StepEffect,
  type StepName,
  type TextField,
} from './preprocess';
export { KNOWN_SUBSETS, PROBLEM_TITLES, closestColumn, validateCorpus, validateFile, validateSplit, type ValidateOptions, type ValidationProblem, type ValidationReport } from './validate';
export { countWhitespaceTokens, loadTokenizer, tokenCounter, whitespaceCounter, type TokenCounter } from './tokens';
export { corpusStats, encounterStats, statsUnreliable, summarize, type SplitStats, type StatsOptions, type Summary } from './stats';
export {
  DEFAULT_INSTRUCTION,
  DEFAULT_MAX_TOKENS,
  DEFAULT_SYSTEM_PROMPT,
  TEMPLATE_FIELDS,
  buildInstructionData,
  checkTemplate,
  readTemplate,
  renderTemplate,
  toChatExample,
  toInstructionExample,
  type ChatExample,
  type ExampleLength,
  type ExportFormat,
  type ExportOptions,
  type InstructionExample,
  type InstructionOptions,
  type LengthReport,
} from './instructions';
export { SECTION_SPLITS, findSectionsDir, loadOfficialSections, measureSectionAgreement, normalizeSpace, officialSectionText, tokenF1, type AgreementOptions, type AgreementReport, type DivisionAgreement } from './sectionAgreement';
export { formatAgreement, formatDivision, formatLengthReport, formatStats, formatStatsProblems, formatValidation, shortPath } from './format';
export { asEncounter, noteMessages, type NoteMessages } from './prompt';
