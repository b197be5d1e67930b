import assert from 'node:assert/strict';
import { positionAt, traceForEditor } from '../../../../models/safety/index';

const DIALOGUE = [
  '[doctor] hi , how are you doing today ?',
  '[patient] my right knee has been hurting for about three weeks .',
  '[doctor] and you take ibuprofen for it ?',
  '[patient] yes , four hundred milligrams ,',
  'twice a day .',
  '[doctor] any other problems ?',
].join('\n');

const NOTE = 'CHIEF COMPLAINT\n\nRight knee pain for 3 weeks.\r\nHe takes ibuprofen 800 mg twice a day. He has a history of gout.';

describe('models/safety: faithfulness for the editor (sentence places, evidence turns with their lines, messages)', () => {
  it('positionAt gives 0-based line and column, with \\n and \\r\\n line ends', () => {
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 1, character: 1 });
    assert.deepEqual(positionAt('ab\r\ncd', 5), { line: 1, character: 1 });
    assert.deepEqual(positionAt('ab', 0), { line: 0, character: 0 });
    assert.deepEqual(positionAt('ab\n', 3), { line: 1, character: 0 });
    assert.deepEqual(positionAt('ab', 99), { line: 0, character: 2 }, 'an offset past the end is the end');
  });

  it('places each sentence in the note by line and column, leaving out the header', () => {
    const s = traceForEditor(DIALOGUE, NOTE);
    assert.deepEqual(s.map((x) => x.text), ['Right knee pain for 3 weeks.', 'He takes ibuprofen 800 mg twice a day.', 'He has a history of gout.']);
    assert.deepEqual([s[0]!.from, s[0]!.to], [{ line: 2, character: 0 }, { line: 2, character: 28 }]);
    assert.deepEqual([s[1]!.from, s[2]!.from], [{ line: 3, character: 0 }, { line: 3, character: 39 }]);
    for (const x of s) assert.equal(NOTE.slice(x.start, x.end), x.text);
  });

  it('a supported sentence links to its evidence turn with the turn\'s line in the dialogue', () => {
    const [knee] = traceForEditor(DIALOGUE, NOTE);
    assert.equal(knee!.supported, true);
    assert.ok(knee!.evidence.some((e) => e.turn === 1 && e.speaker === 'patient' && e.line === 1 && e.lines === 1 && e.text.startsWith('my right knee')), JSON.stringify(knee!.evidence));
    assert.equal(knee!.message, `Supported by turn${knee!.evidence.length > 1 ? 's' : ''} ${knee!.evidence.map((e) => e.turn).join(', ')} of the dialogue.`);
  });

  it('an unsupported sentence says which details the dialogue lacks and which turns are closest; a turn on two lines spans both', () => {
    const [, dose, gout] = traceForEditor(DIALOGUE, NOTE);
    assert.equal(dose!.supported, false);
    assert.deepEqual(dose!.issues, [{ kind: 'number', text: '800 mg' }]);
    assert.ok(dose!.evidence.some((e) => e.turn === 3 && e.line === 3 && e.lines === 2), JSON.stringify(dose!.evidence));
    assert.match(dose!.message, /^Not supported by the dialogue: the number "800 mg"\. Closest turns: .*3/);
    assert.equal(gout!.supported, false);
    assert.deepEqual(gout!.issues.map((i) => i.kind), ['diagnosis']);
    assert.match(gout!.message, /the diagnosis or history "gout"/);
  });

  it('an encounter\'s metadata counts as said: the age in "a 54-year-old" is supported by patient_age', () => {
    const note = 'A 54-year-old man with right knee pain.';
    assert.equal(traceForEditor(DIALOGUE, note)[0]!.supported, false, 'without metadata the age is not in the dialogue');
    assert.equal(traceForEditor({ dialogue: DIALOGUE, metadata: { patient_age: '54' } }, note)[0]!.supported, true);
  });
});
