import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Encounter } from 'medigen-lab';

type Student = typeof import('../solution/turns');
let student: Student;

before(async () => {
  student = (await import(pathToFileURL(join(process.env.MEDIGEN_EXERCISE_DIR ?? '.', 'turns.ts')).href)) as Student;
});

const encounter = (dialogue: string, id = 'X1'): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note: '' });

describe('count-turns', () => {
  it('countTurns counts one turn per tagged line', () => {
    const dialogue = '[doctor] hi , how are you ?\n[patient] fine , thanks .\n[doctor] any pain ?';
    assert.deepEqual(student.countTurns(dialogue), { doctor: 2, patient: 1 });
  });

  it('countTurns does not count lines without a tag (a turn that goes on) or empty lines', () => {
    const dialogue = '[doctor] let me look at that knee .\nit looks a bit swollen .\n\n[patient] it hurts when i walk .\n';
    assert.deepEqual(student.countTurns(dialogue), { doctor: 1, patient: 1 });
  });

  it('countTurns keeps other speakers such as patient_guest', () => {
    const dialogue = '[doctor] and who is with you today ?\n[patient_guest] i am her daughter .\n[patient] yes .\n[patient_guest] she fell last week .';
    assert.deepEqual(student.countTurns(dialogue), { doctor: 1, patient_guest: 2, patient: 1 });
  });

  it('countTurns treats [Doctor] and [doctor] as the same speaker and allows spaces before a tag', () => {
    assert.deepEqual(student.countTurns('[Doctor] hello .\n  [doctor] again .\n[PATIENT] hi .'), { doctor: 2, patient: 1 });
  });

  it('countTurns gives an empty object for a dialogue without tags', () => {
    assert.deepEqual(student.countTurns('no speaker here\n'), {});
  });

  it('turnsPerSpeaker adds up the turns of all encounters', () => {
    const encounters = [
      encounter('[doctor] a\n[patient] b\n[doctor] c', 'X1'),
      encounter('[doctor] d\n[patient] e\n[patient_guest] f\n[patient] g', 'X2'),
      encounter('', 'X3'),
    ];
    assert.deepEqual(student.turnsPerSpeaker(encounters), { doctor: 3, patient: 3, patient_guest: 1 });
  });
});
