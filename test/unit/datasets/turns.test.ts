import assert from 'node:assert/strict';
import { loadSplit } from '../../../datasets/index';
import { formatTurns, parseTurns, speakerTag, turnCounts } from '../../../datasets/index';
import { requireCorpus } from './helpers';

describe('datasets/turns', () => {
  it('parses doctor, patient and other speaker tags', () => {
    const p = parseTurns('[doctor] hi , how are you ?\n[patient] fine .\n[patient_guest] he is not .\n[Nurse] bp is 120/80 .');
    assert.deepEqual(p.turns.map((t) => t.speaker), ['doctor', 'patient', 'patient_guest', 'nurse']);
    assert.equal(p.turns[0]!.text, 'hi , how are you ?');
    assert.deepEqual(turnCounts(p.turns), { doctor: 1, patient: 1, patient_guest: 1, nurse: 1 });
    assert.deepEqual(p.untaggedLines, []);
  });

  it('joins untagged lines to the turn before and keeps text before the first tag', () => {
    const p = parseTurns('hello there .\n[doctor] how is the knee ?\n[patient] it hurts ,\n\nwhen i walk .\n[doctor] okay .');
    assert.deepEqual(p.turns.map((t) => [t.speaker, t.line, t.lines]), [['unknown', 1, 1], ['doctor', 2, 1], ['patient', 3, 3], ['doctor', 6, 1]]);
    assert.equal(p.turns[2]!.text, 'it hurts ,\nwhen i walk .');
    assert.deepEqual(p.untaggedLines, [1, 5]);
    assert.equal(p.emptyLines, 1);
    assert.equal(formatTurns(p.turns.slice(1)), '[doctor] how is the knee ?\n[patient] it hurts ,\nwhen i walk .\n[doctor] okay .');
  });

  it('does not take an ASR annotation such as [ inaudible 00:09:25 ] for a speaker', () => {
    assert.equal(speakerTag('[ inaudible 00:09:25 ] sick having issues'), undefined);
    assert.equal(speakerTag('  [Doctor] hi'), 'doctor');
    const p = parseTurns('[doctor] so\n[ inaudible 00:09:25 ] sick');
    assert.equal(p.turns.length, 1);
    assert.deepEqual(p.untaggedLines, [2]);
  });

  it('keeps every non-empty line of the real train split in some turn', () => {
    const { encounters } = loadSplit('train', requireCorpus());
    let lines = 0;
    let inTurns = 0;
    const speakers: Record<string, number> = {};
    for (const e of encounters) {
      const p = parseTurns(e.dialogue);
      lines += e.dialogue.split('\n').filter((l) => l.trim()).length;
      inTurns += p.turns.reduce((s, t) => s + t.text.split('\n').length, 0);
      for (const [k, v] of Object.entries(turnCounts(p.turns))) speakers[k] = (speakers[k] ?? 0) + v;
    }
    assert.equal(inTurns, lines);
    assert.deepEqual(Object.keys(speakers).sort(), ['doctor', 'patient']);
    assert.equal(speakers.doctor, 1928);
    assert.equal(speakers.patient, 1807);
  });
});
