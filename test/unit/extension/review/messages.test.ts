import assert from 'node:assert/strict';
import { parseReviewMessage } from '../../../../extension/review/messages';

describe('review panel: messages from the page are checked on arrival', () => {
  it('accepts the typed messages', () => {
    assert.deepEqual(parseReviewMessage({ type: 'rate', rating: 'minor-edits' }), { type: 'rate', rating: 'minor-edits' });
    assert.deepEqual(parseReviewMessage({ type: 'go', index: 3 }), { type: 'go', index: 3 });
    assert.deepEqual(parseReviewMessage({ type: 'marks', marks: [{ kind: 'omission', text: 'allergies' }, { kind: 'wrong-section', sentence: 2 }] }), {
      type: 'marks',
      marks: [{ kind: 'omission', text: 'allergies' }, { kind: 'wrong-section', sentence: 2 }],
    });
    assert.deepEqual(parseReviewMessage({ type: 'edit', text: 'x' }), { type: 'edit', text: 'x' });
    assert.deepEqual(parseReviewMessage({ type: 'rendered', index: 0, rating: null, unsupported: 1 }), { type: 'rendered', index: 0, rating: null, unsupported: 1 });
  });

  it('drops anything else: unknown types, ratings, error kinds, bad indices', () => {
    for (const bad of [null, 'rate', { type: 'rate', rating: 'great' }, { type: 'go', index: -1 }, { type: 'go', index: 1.5 }, { type: 'marks', marks: [{ kind: 'typo' }] }, { type: 'marks', marks: {} }, { type: 'edit', text: 3 }, { type: 'delete' }]) {
      assert.equal(parseReviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
