import assert from 'node:assert/strict';
import { cohensKappa, kappaWords } from '../../../../models/review/index';

describe("review: Cohen's kappa", () => {
  it('matches the textbook two-category example (50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → 0.4)', () => {
    // Wikipedia "Cohen's kappa", worked example: po = 35/50 = 0.7; A says yes 25/50, B 30/50;
    // pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    const a = [...Array(20).fill('yes'), ...Array(5).fill('yes'), ...Array(10).fill('no'), ...Array(15).fill('no')];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
    const k = cohensKappa(a, b);
    assert.equal(k.n, 50);
    assert.ok(Math.abs(k.observed - 0.7) < 1e-12);
    assert.ok(Math.abs(k.expected - 0.5) < 1e-12);
    assert.ok(Math.abs(k.kappa! - 0.4) < 1e-12, String(k.kappa));
    assert.equal(kappaWords(k.kappa), 'fair');
  });

  it('matches a four-rating example computed by hand', () => {
    // 7 of 10 agree: po = 0.7. A: 3 usable, 3 minor, 3 major, 1 unusable; B: 3, 3, 2, 2.
    // pe = .3·.3 + .3·.3 + .3·.2 + .1·.2 = 0.26; kappa = 0.44 / 0.74 = 0.5946.
    const a = ['usable-as-is', 'usable-as-is', 'minor-edits', 'minor-edits', 'major-edits', 'major-edits', 'unusable', 'usable-as-is', 'minor-edits', 'major-edits'];
    const b = ['usable-as-is', 'minor-edits', 'minor-edits', 'minor-edits', 'major-edits', 'unusable', 'unusable', 'usable-as-is', 'usable-as-is', 'major-edits'];
    const k = cohensKappa(a, b);
    assert.ok(Math.abs(k.expected - 0.26) < 1e-12);
    assert.ok(Math.abs(k.kappa! - 0.44 / 0.74) < 1e-12, String(k.kappa));
    assert.equal(kappaWords(k.kappa), 'moderate');
  });

  it('is 1 for perfect agreement, below 0 for systematic disagreement, undefined when both use one rating only', () => {
    assert.equal(cohensKappa(['a', 'b', 'a'], ['a', 'b', 'a']).kappa, 1);
    assert.ok(cohensKappa(['a', 'b', 'a', 'b'], ['b', 'a', 'b', 'a']).kappa! < 0);
    const same = cohensKappa(['a', 'a'], ['a', 'a']);
    assert.equal(same.kappa, null);
    assert.match(kappaWords(same.kappa), /undefined/);
  });

  it('refuses lists of different lengths or no items', () => {
    assert.throws(() => cohensKappa(['a'], ['a', 'b']), /same items/);
    assert.throws(() => cohensKappa([], []), /no items/);
  });
});
