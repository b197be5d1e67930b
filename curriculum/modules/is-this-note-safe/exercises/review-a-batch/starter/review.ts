import { cohensKappa, readReviewFile } from 'medigen-lab';

/** What a batch of reviews says. */
export interface BatchReview {
  /** Notes you rated (a note without a rating does not count). */
  rated: number;
  /** Of the notes you rated, the share rated "usable-as-is" (0 to 1). */
  usableShare: number;
  /** True when that share reaches the MediGen study's yardstick: 75% usable without corrections. */
  meetsYardstick: boolean;
  /** Notes both of you rated (the same encounter and the same system). */
  bothRated: number;
  /** Cohen's kappa between your ratings and your classmate's on those notes; null when it cannot be computed. */
  kappa: number | null;
}

/** Reads your review file and a classmate's (saved by "MediGen Lab: Review Notes…") and sums them up. */
export function reviewBatch(myFile: string, classmateFile: string): BatchReview {
  // TODO: readReviewFile(path) gives
  //   { notes: [{ encounterId, system, rating? }] }.
  // Pair your notes with your classmate's by encounterId AND system
  // (each file has its own order), then
  //   cohensKappa(yourRatings, theirRatings).kappa.
  // The types NoteReview and Rating come from 'medigen-lab' too.
  // Delete the next line when you write your code (it only keeps the imports in use).
  void [cohensKappa, readReviewFile, myFile, classmateFile];
  throw new Error(`Not written yet: reviewBatch should read your review file and your classmate's and sum them up. Replace this line with your code (the TODO comment just above it, in review.ts, says how).`);
}
