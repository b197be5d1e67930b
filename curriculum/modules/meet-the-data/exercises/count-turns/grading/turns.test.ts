import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';

// A grading check: it runs only when the instructor grades the class (and in validate). Students
// never see it or its source, and it is not installed with the module; its message is what the
// student's feedback shows, so it says what went wrong without giving the dialogue away.
interface Student {
  countTurns(dialogue: string): Record<string, number>;
}
let student: Remote<Student>;

before(async () => {
  student = await loadStudent<Student>('turns.ts');
});
after(() => student?.close());

describe('count-turns (grading)', () => {
  it('countTurns counts a whole visit: a guest, an assistant, turns that go on, bracketed marks and mixed capitals', async () => {
    const dialogue = [
      '[doctor_assistant] blood pressure is 128 over 84 .',
      '[Doctor] thank you . good afternoon , mr. lee .',
      '[patient] afternoon .',
      '[patient_guest] i am his son . he has been coughing [inaudible] for three weeks .',
      'mostly at night , [inaudible] when he lies down .',
      '',
      '  [doctor] any fever ?',
      '[patient] no [noise] not that i noticed .',
      '[PATIENT] maybe once .',
      '[doctor] okay , let us listen to your lungs .',
    ].join('\n');
    assert.deepEqual(
      await student.countTurns(dialogue),
      { doctor_assistant: 1, doctor: 3, patient: 3, patient_guest: 1 },
      'countTurns should find 8 turns from 4 speakers in a 10-line visit (one line goes on from the line before it, one is empty)',
    );
  });
});
