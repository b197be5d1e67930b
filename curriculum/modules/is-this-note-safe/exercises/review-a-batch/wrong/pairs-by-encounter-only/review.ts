import { cohensKappa, readReviewFile, type NoteReview, type Rating } from 'medigen-lab';

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
  const mine = readReviewFile(myFile);
  const theirs = readReviewFile(classmateFile);
  const key = (n: NoteReview) => n.encounterId;
  const myRated = mine.notes.filter((n) => n.rating !== undefined);
  const usable = myRated.filter((n) => n.rating === 'usable-as-is').length;
  const usableShare = myRated.length ? usable / myRated.length : 0;
  const theirRatings = new Map<string, Rating>();
  for (const n of theirs.notes) if (n.rating !== undefined) theirRatings.set(key(n), n.rating);
  const a: Rating[] = [];
  const b: Rating[] = [];
  for (const n of myRated) {
    const other = theirRatings.get(key(n));
    if (other !== undefined) {
      a.push(n.rating!);
      b.push(other);
    }
  }
  const kappa = a.length ? cohensKappa(a, b).kappa : null;
  return { rated: myRated.length, usableShare, meetsYardstick: usableShare >= 0.75, bothRated: a.length, kappa };
}
