import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSplit, writeCsv, type Encounter } from 'medigen-lab';
import { loadStudent, type Remote } from 'medigen-lab/checks';

// The functions the exercise asks for. The student's file runs in its own process.
interface Student {
  countTurns(dialogue: string): Record<string, number>;
  turnsPerSpeaker(encounters: Encounter[]): Record<string, number>;
}
let student: Remote<Student>;

before(async () => {
  student = await loadStudent<Student>('turns.ts');
});
after(() => student?.close());

const encounter = (dialogue: string, id = 'X1'): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note: '' });

describe('count-turns', () => {
  it('countTurns counts one turn per tagged line', async () => {
    const dialogue = '[doctor] hi , how are you ?\n[patient] fine , thanks .\n[doctor] any pain ?\n[patient] a little .\n[doctor] where ?\n[patient] my knee .\n[doctor] okay .';
    assert.deepEqual(await student.countTurns(dialogue), { doctor: 4, patient: 3 }, 'countTurns should find 4 doctor lines and 3 patient lines in this 7-line dialogue');
  });

  it('countTurns does not count lines without a tag (a turn that goes on) or empty lines', async () => {
    const dialogue = '[doctor] let me look at that knee .\nit looks a bit swollen .\n\n[patient] it hurts when i walk .\nand when i climb stairs .\n';
    assert.deepEqual(await student.countTurns(dialogue), { doctor: 1, patient: 1 }, 'countTurns should count only lines that start with a tag (2 of the 5 lines here)');
  });

  it('countTurns only counts a tag at the start of a line, not one found further along', async () => {
    const dialogue = '[patient] the bottle says [warning] do not drive .\nshe wrote [doctor] on the form .\n[doctor] okay , [patient] noted .';
    assert.deepEqual(await student.countTurns(dialogue), { patient: 1, doctor: 1 }, 'countTurns should only look at the start of each line: "[warning]" and the tags in the middle of a line are not turns');
  });

  it('countTurns keeps other speakers such as patient_guest', async () => {
    const dialogue = '[doctor] and who is with you today ?\n[patient_guest] i am her daughter .\n[patient] yes .\n[patient_guest] she fell last week .\n[patient_guest] twice .';
    assert.deepEqual(await student.countTurns(dialogue), { doctor: 1, patient_guest: 3, patient: 1 }, 'countTurns should count every speaker tag, not only doctor and patient');
  });

  it('countTurns treats [Doctor] and [doctor] as the same speaker and allows spaces before a tag', async () => {
    const got = await student.countTurns('[Doctor] hello .\n  [doctor] again .\n[PATIENT] hi .\n\t[Patient] bye .\n[doctor] see you .');
    const want = { doctor: 3, patient: 2 };
    const counted = got && typeof got === 'object' ? Object.values(got as Record<string, number>).reduce((a, b) => a + (Number(b) || 0), 0) : 0;
    // Fewer turns than lines with a tag, and no capitals kept: the pattern itself skipped the tags written in capitals.
    const why = counted < 5 && !Object.keys(got ?? {}).some((k) => /[A-Z]/.test(k))
      ? ` Your code counted ${counted} of the 5 turns: the tags written with capitals ([Doctor], [PATIENT]) were not found. Let the pattern take capitals too ([A-Za-z0-9_]+), then lowercase the name it found; and allow spaces or tabs before the tag (\\s* after ^).`
      : '';
    assert.deepEqual(got, want, `countTurns should lowercase speaker names and accept spaces or tabs before the tag.${why}`);
  });

  it('countTurns gives an empty object for a dialogue without tags', async () => {
    assert.deepEqual(await student.countTurns('no speaker here\n'), {}, 'countTurns should give {} when no line starts with a tag');
  });

  it('turnsPerSpeaker adds up the turns of all encounters', async () => {
    const encounters = [
      encounter('[doctor] a\n[patient] b\n[doctor] c', 'X1'),
      encounter('[doctor] d\n[patient] e\n[patient_guest] f\n[patient] g', 'X2'),
      encounter('', 'X3'),
    ];
    assert.deepEqual(await student.turnsPerSpeaker(encounters), { doctor: 3, patient: 3, patient_guest: 1 }, 'turnsPerSpeaker should add the turns of the three encounters');
  });

  it('turnsPerSpeaker counts the turns of a corpus loaded from disk', async () => {
    // A made-up corpus the student has not seen, written and loaded with the library.
    const dir = mkdtempSync(join(tmpdir(), 'count-turns-'));
    try {
      const dialogues = [
        '[doctor] good morning .\n[patient] morning .\n[doctor] what brings you in ?\n[patient] my back [inaudible] hurts .\nsince monday .',
        '[doctor_assistant] vitals are in .\n[doctor] thanks .\n  [Patient] hello .',
        '[doctor] any [noise] questions ?\n[patient] no .\n[patient] thank you .\n[doctor] bye .',
      ];
      writeFileSync(join(dir, 'train.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], dialogues.map((d, k) => ['virtscribe', `M${k + 1}`, d, 'note'])));
      const encounters = loadSplit('train', dir).encounters;
      assert.deepEqual(await student.turnsPerSpeaker(encounters), { doctor: 5, patient: 5, doctor_assistant: 1 }, 'turnsPerSpeaker should count 11 turns in this made-up corpus of 3 encounters');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
