/**
 * Is this note safe? Faithfulness tracing of generated notes against their dialogue, and the
 * identifier guard for dialogues and notes. Offline, lexical and rule-based.
 */
export { ISSUE_KINDS, traceFaithfulness, traceSentence, type FaithfulnessIssue, type FaithfulnessOptions, type IssueKind, type TracedSentence } from './faithfulness';
export { indexDialogue, metadataFacts, type DialogueIndex } from './dialogue';
export { IDENTIFIER_KINDS, PLACEHOLDERS, scanIdentifiers, scrubIdentifiers, type IdentifierHit, type IdentifierKind, type IdentifierOptions } from './identifiers';
export { PLANT_KINDS, plantUnsupported, seededRandom, type Plant, type PlantKind } from './plant';
export { plantIdentifiers, type PlantedIdentifier } from './plantIdentifiers';
export { measureFaithfulness, measureIdentifierGuard, type FaithfulnessMeasurement, type IdentifierMeasurement } from './measure';
export { DIAGNOSES, MEDICATIONS, findTerms, type Term, type TermHit } from './lexicon';
export { findNumbers, type NumberMention } from './spokenNumbers';
export { splitSentences, words, type Span, type Word } from './text';
export { describeIssues, describeTurn, positionAt, traceForEditor, type EditorSentence, type EvidenceTurn, type TextPosition } from './evidence';
export { PHI_CHOICES, decidePhi, describeFindings, encounterNames, findIdentifiersIn, formatFindingCounts, guardedInput, parsePhiAnswer, scrubEncounter, type PhiChoice, type PhiDecision, type PhiDecisionInput, type PhiFindings } from './guard';
