import assert from 'node:assert/strict';
import { formatReviewSummary, summarizeReviews, type NoteReview, type Rating, type ReviewFile } from '../../../../models/review/index';

const at = '2026-12-01T00:00:00.000Z';

function file(reviewer: string, notes: [string, string, Rating | undefined, NoteReview['errors']?, string?][]): ReviewFile {
  return {
    format: 'medigen-review',
    version: 1,
    reviewer,
    blind: true,
    createdAt: at,
    updatedAt: at,
    systems: [
      { name: 'baseline', file: '/x/baseline.csv', sha256: 'a' },
      { name: 'finetuned', file: '/x/finetuned.csv', sha256: 'b' },
    ],
    gold: { ref: 'test1', file: '/x/test1.csv' },
    order: { seed: 's', encounters: [] },
    notes: notes.map(([encounterId, system, rating, errors, editedNote]) => ({ encounterId, system, label: 'A', errors: errors ?? [], ...(rating ? { rating } : {}), ...(editedNote ? { editedNote } : {}) })),
  };
}

describe('review: summarizeReviews', () => {
  const alice = file('alice', [
    ['E1', 'baseline', 'minor-edits', [{ kind: 'omission', text: 'allergies', at }]],
    ['E1', 'finetuned', 'usable-as-is'],
    ['E2', 'baseline', 'unusable', [{ kind: 'unsupported-statement', sentence: 2, at }, { kind: 'wrong-section', at }]],
    ['E2', 'finetuned', 'major-edits', [], 'fixed note'],
    ['E3', 'baseline', 'usable-as-is'],
    ['E3', 'finetuned', 'usable-as-is'],
    ['E4', 'baseline', undefined], // opened, not rated: not counted
  ]);
  const bob = file('bob', [
    ['E1', 'baseline', 'minor-edits'],
    ['E1', 'finetuned', 'minor-edits'],
    ['E2', 'baseline', 'unusable'],
    ['E2', 'finetuned', 'major-edits'],
  ]);

  it('counts the share usable as is, ratings, errors and edits, overall and per system', () => {
    const s = summarizeReviews([alice, bob]);
    assert.deepEqual(s.reviewers, ['alice', 'bob']);
    assert.deepEqual(s.systems, ['baseline', 'finetuned']);
    assert.equal(s.overall.rated, 10);
    assert.equal(s.overall.usableAsIs, 3);
    assert.equal(s.overall.usableShare, 0.3);
    assert.deepEqual(s.overall.byRating, { 'usable-as-is': 3, 'minor-edits': 3, 'major-edits': 2, unusable: 2 });
    assert.deepEqual(s.overall.errors, { omission: 1, 'unsupported-statement': 1, 'wrong-section': 1 });
    assert.equal(s.overall.edited, 1);
    assert.equal(s.bySystem.finetuned!.usableShare, 2 / 5);
    assert.equal(s.bySystem.baseline!.usableShare, 1 / 5);
  });

  it('finds the preferred system per note and overall', () => {
    const s = summarizeReviews([alice, bob]);
    const p = s.preference;
    assert.equal(p.notes.length, 5); // alice E1 E2 E3, bob E1 E2
    assert.deepEqual(p.notes.find((n) => n.reviewer === 'alice' && n.encounterId === 'E1')?.preferred, 'finetuned');
    assert.equal(p.notes.find((n) => n.reviewer === 'alice' && n.encounterId === 'E3')?.preferred, null);
    assert.deepEqual(p.wins, { finetuned: 3, baseline: 0 });
    assert.equal(p.ties, 2);
    assert.equal(p.preferred, 'finetuned');
  });

  it("measures agreement with Cohen's kappa on the notes both reviewers rated", () => {
    const s = summarizeReviews([alice, bob]);
    assert.equal(s.ratedTwice, 4);
    assert.equal(s.agreement.length, 1);
    const a = s.agreement[0]!;
    assert.deepEqual(a.reviewers, ['alice', 'bob']);
    // alice: minor, usable, unusable, major; bob: minor, minor, unusable, major → po = 3/4.
    // alice: 1 of each; bob: minor 2, unusable 1, major 1 → pe = (.25·.5 + .25·.25 + .25·.25) = 0.25.
    assert.equal(a.n, 4);
    assert.equal(a.observed, 0.75);
    assert.equal(a.expected, 0.25);
    assert.ok(Math.abs(a.kappa! - 2 / 3) < 1e-12);
  });

  it('prints the figures for a person', () => {
    const text = formatReviewSummary(summarizeReviews([alice, bob]));
    assert.match(text, /Usable without corrections: 30\.0% \(3 of 10 rated notes/);
    assert.match(text, /Overall: finetuned\./);
    assert.match(text, /Agreement alice vs bob: Cohen's kappa 0\.667 \(substantial\) on 4 note\(s\)/);
  });

  it('says when nothing is rated or no note was rated twice', () => {
    assert.match(formatReviewSummary(summarizeReviews([file('carol', [['E1', 'baseline', undefined]])])), /No note has a rating yet/);
    const one = summarizeReviews([alice]);
    assert.equal(one.agreement.length, 0);
    assert.match(formatReviewSummary(one), /no note was rated by two reviewers/);
  });
});
