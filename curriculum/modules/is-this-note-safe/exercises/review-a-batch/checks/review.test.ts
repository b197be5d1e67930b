import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { cohensKappa, type Rating, type ReviewFile } from 'medigen-lab';

interface BatchReview {
  rated: number;
  usableShare: number;
  meetsYardstick: boolean;
  bothRated: number;
  kappa: number | null;
}
interface Student {
  reviewBatch(myFile: string, classmateFile: string): BatchReview;
}

let student: Remote<Student>;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'review-batch-'));
  student = await loadStudent<Student>('review.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Row = [encounterId: string, system: string, rating: Rating | undefined];

/** Writes a review file as "MediGen Lab: Review Notes…" saves it, with the notes in the given order. */
function reviewFile(name: string, reviewer: string, rows: Row[]): string {
  const file: ReviewFile = {
    format: 'medigen-review',
    version: 1,
    reviewer,
    blind: true,
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
    systems: ['base', 'tuned'].map((s) => ({ name: s, file: `/class/${s}.csv`, sha256: '0'.repeat(64) })),
    gold: { ref: 'valid', file: '/class/valid.csv' },
    order: { seed: reviewer, encounters: [] },
    notes: rows.map(([encounterId, system, rating], k) => ({ encounterId, system, label: k % 2 ? 'B' : 'A', ...(rating ? { rating } : {}), errors: [] })),
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(file, null, 2));
  return path;
}

const U: Rating = 'usable-as-is';
const MI: Rating = 'minor-edits';
const MA: Rating = 'major-edits';
const X: Rating = 'unusable';
// Yours: 8 of 10 notes rated, 6 of them usable as is (exactly 75%); E5 not rated yet.
const MINE: Row[] = [['E1', 'base', U], ['E1', 'tuned', U], ['E2', 'base', U], ['E2', 'tuned', MI], ['E3', 'base', U], ['E3', 'tuned', MA], ['E4', 'base', U], ['E4', 'tuned', U], ['E5', 'base', undefined], ['E5', 'tuned', undefined]];
// Your classmate's, in their own (blind, random) order; they did not rate E4 tuned. Paired by
// position instead of by note, 8 pairs would look rated by both (7 are).
const THEIRS: Row[] = [['E5', 'tuned', X], ['E3', 'base', MI], ['E1', 'tuned', MI], ['E2', 'base', U], ['E5', 'base', U], ['E3', 'tuned', MA], ['E1', 'base', U], ['E4', 'base', U], ['E4', 'tuned', undefined], ['E2', 'tuned', MI]];
/** What a wrong share usually means: no note matched the rating as written ("usable-as-is", small letters). */
const shareHint = (share: unknown) =>
  share === 0
    ? ' Your code found no note rated usable as is: compare each rating with exactly "usable-as-is" (small letters, with hyphens).'
    : share === 1
      ? ' Your code counted every note as usable as is: compare with === (a single = gives each note that rating instead of comparing).'
      : '';
const PAIRING = 'Pair the notes by encounterId AND system: each file lists them in its own order (a blind review shuffles them), so the first note of your file is not the first of your classmate\'s.';

describe('review-a-batch', () => {
  it('reviewBatch gives the share of your rated notes that are usable as is, and whether it meets the 75% yardstick', async () => {
    const got = await student.reviewBatch(reviewFile('mine.json', 'you', MINE), reviewFile('theirs.json', 'classmate', THEIRS));
    assert.equal(got?.rated, 8, 'you rated 8 of the 10 notes (E5 is not rated yet)');
    assert.equal(got.usableShare, 0.75, `in your file, 6 of the 8 rated notes have the rating "usable-as-is": 6 / 8 = 0.75 (minor edits are corrections, and unrated notes do not count).${shareHint(got.usableShare)}`);
    assert.equal(got.meetsYardstick, true, '0.75 is exactly the yardstick (75% usable without corrections), so it is met');
  });

  it('reviewBatch pairs the two files by encounter and system and counts the notes both rated', async () => {
    const got = await student.reviewBatch(reviewFile('mine.json', 'you', MINE), reviewFile('theirs.json', 'classmate', THEIRS));
    assert.equal(got?.bothRated, 7, `both of you rated 7 notes: E1 to E3 (both systems) and E4 base. ${got?.bothRated === 8 ? 'You counted 8: pairing the files note by note in their order gives that, and so does pairing by encounterId alone (each encounter has two notes, one per system). ' : ''}${PAIRING}`);
  });

  it('reviewBatch computes Cohen\'s kappa between the two reviewers on the notes both rated', async () => {
    const got = await student.reviewBatch(reviewFile('mine.json', 'you', MINE), reviewFile('theirs.json', 'classmate', THEIRS));
    const want = cohensKappa([U, U, U, MI, U, MA, U], [U, MI, U, MI, MI, MA, U]).kappa!;
    assert.ok(typeof got?.kappa === 'number' && Math.abs(got.kappa - want) < 1e-9, `you agree on 5 of 7 notes (po = 0.714), chance would give pe = 19/49 = 0.388, so kappa = (po - pe) / (1 - pe) = ${want.toFixed(4)}; your code gave ${got?.kappa}. If your count of notes both rated is right but kappa is not, the ratings you compare are of different notes. ${PAIRING}`);
  });

  it('reviewBatch says when kappa cannot be computed (both reviewers gave every note the same rating)', async () => {
    const all: Row[] = [['E1', 'base', U], ['E2', 'base', U], ['E3', 'base', U]];
    const got = await student.reviewBatch(reviewFile('a.json', 'you', all), reviewFile('b.json', 'classmate', [...all].reverse()));
    assert.equal(got?.kappa, null, 'when both reviewers rated every note usable as is, chance agreement is 1 and kappa is undefined: give null, not a number');
    assert.equal(got.usableShare, 1, `usableShare: you rated all 3 notes usable as is, so the share is 3 / 3 = 1.${shareHint(got.usableShare)}`);
  });
});
