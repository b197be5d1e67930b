import assert from 'node:assert/strict';
import { noteSentences } from '../../../../models/review/index';

describe('review: sentences of a note', () => {
  it('splits a note into sentences with their offsets in the note', () => {
    const note = 'CHIEF COMPLAINT\n\nRight knee pain. Worse on stairs!\nPlan: ibuprofen.';
    const s = noteSentences(note);
    assert.deepEqual(s.map((x) => x.text), ['CHIEF COMPLAINT', 'Right knee pain.', 'Worse on stairs!', 'Plan: ibuprofen.']);
    for (const x of s) assert.equal(note.slice(x.start, x.end), x.text);
  });
});
