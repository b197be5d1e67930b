import assert from 'node:assert/strict';
import { lexicalTrace, noteSentences } from '../../../../models/review/index';

describe('review: the stand-in faithfulness tracer', () => {
  const dialogue = ['[doctor] how is your knee pain ?', '[patient] my right knee hurts when i climb stairs .', '[doctor] take ibuprofen 400 mg twice a day .'].join('\n');

  it('splits a note into sentences with their offsets in the note', () => {
    const note = 'CHIEF COMPLAINT\n\nRight knee pain. Worse on stairs!\nPlan: ibuprofen.';
    const s = noteSentences(note);
    assert.deepEqual(s.map((x) => x.text), ['CHIEF COMPLAINT', 'Right knee pain.', 'Worse on stairs!', 'Plan: ibuprofen.']);
    for (const x of s) assert.equal(note.slice(x.start, x.end), x.text);
  });

  it('supports sentences the dialogue carries, with evidence turns; flags a number the dialogue lacks', () => {
    const [knee, dose, bad] = lexicalTrace(dialogue, 'Right knee hurts climbing stairs. Ibuprofen 400 mg twice daily. Ibuprofen 800 mg twice daily.');
    assert.equal(knee!.supported, true);
    assert.deepEqual(knee!.evidence, [1]);
    assert.equal(dose!.supported, true);
    assert.deepEqual(dose!.evidence, [2]);
    assert.equal(bad!.supported, false);
    assert.deepEqual(bad!.issues, [{ kind: 'number', text: '800' }]);
  });
});
