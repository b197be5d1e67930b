/**
 * Benchmark-exact evaluation of generated clinical notes (ACI-BENCH semantics). BERTScore lives in
 * ./bertscore and is loaded on demand by `evaluateNotes` so that ROUGE never loads a model runtime.
 */
export { tokenize, tokenIds, Vocabulary, type TokenIds, type TokenizeOptions } from './tokenize';
export { porterStem } from './porter';
export { BitLcs, MAX_LCS_CELLS, TooLongToScoreError, lcsTable, lcsTableMarks } from './lcs';
export { ROUGE_TYPES, RougeScorer, rouge, scoreFromCounts, type RougeOptions, type RougeScore, type RougeScores, type RougeType } from './rouge';
export { matchPredictions, type MatchedBy, type MatchedPairs, type Prediction } from './match';
export {
  METADATA_GROUPS,
  evaluateNotes,
  metadataGroupValue,
  numpyMean,
  sourceWordCount,
  type BertPair,
  type BertScoreRequest,
  type EvaluateOptions,
  type Evaluation,
  type GroupScores,
  type LengthBand,
  type NoteScores,
  type OfficialResults,
} from './aggregate';
export { METRIC_EXPLANATIONS, escapeHtml, formatTable, pct, toHtml, toJson, toMarkdown, worstNotes } from './report';
export { loadGold, loadPredictions, joinMetadataFile } from './inputs';
export { bertScore, releaseBertScoreModel } from './bertscore';
export { bootstrapCi, pairedPermutationTest, seededUniform, type Interval } from './significance';
export { resultsCsv, resultsLatex, resultsMarkdown, resultsTable, type ResultsCell, type ResultsSystem, type ResultsTable } from './results';
