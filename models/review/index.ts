/**
 * Clinician review of generated notes (issue 14): the per-reviewer review file, the blind order of
 * two systems, atomic saving, a review session over predictions and dialogues, and the summary
 * (share usable as is, errors, preferred system, Cohen's kappa between reviewers).
 */
export { ERROR_KINDS, ERROR_LABELS, RATINGS, RATING_LABELS, parseReviewFile, type ErrorKind, type ErrorMark, type NoteReview, type Rating, type ReviewFile, type ReviewOrder, type ReviewedSystem } from './types';
export { blindOrder, newSeed, positionLabel, seededRandom, shuffled } from './order';
export { readReviewFile, saveReviewFile, sha256File, staleTemps } from './store';
export { cohensKappa, kappaWords, type Kappa } from './kappa';
export { formatReviewSummary, summarizeReviews, type NotePreference, type PairAgreement, type RatingCounts, type ReviewSummary } from './summary';
export { ReviewSession, type ReviewChange, type ReviewItem, type ReviewOptions, type ReviewSource } from './session';
export { noteSentences, type FaithfulnessTracer, type TraceIssue, type TracedSentence } from './trace';
