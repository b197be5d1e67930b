import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { baselinePredictions, evaluateNotes, loadPredictions, loadSplit, predictionsCsv, rouge, sampleCorpusDir, worstNotes, writeCsv, type Division } from 'medigen-lab';

interface WorstNote {
  encounterId: string;
  rougeLsum: number;
  missingSections: Division[];
  missedWords: string[];
}
interface Student {
  worstNote(predictionsFile: string, split: string, corpusDir: string): WorstNote;
}

let student: Remote<Student>;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'worst-note-'));
  student = await loadStudent<Student>('worst.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SHOULDER = 'CHIEF COMPLAINT\n\nRight shoulder pain.\n\nHISTORY OF PRESENT ILLNESS\n\nPain began after lifting boxes three days ago and is worse at night.\n\nASSESSMENT AND PLAN\n\nRotator cuff strain. Naproxen twice daily and shoulder exercises.';
const COUGH = 'CHIEF COMPLAINT\n\nCough.\n\nHISTORY OF PRESENT ILLNESS\n\nDry cough for ten days, no fever.\n\nPHYSICAL EXAMINATION\n\nLungs clear.\n\nASSESSMENT AND PLAN\n\nPost-viral cough. Honey and fluids; return if fever.';
const RASH = 'CHIEF COMPLAINT\n\nRash on both arms.\n\nHISTORY OF PRESENT ILLNESS\n\nItchy rash since starting a new soap last week.\n\nASSESSMENT AND PLAN\n\nContact dermatitis. Stop the soap, hydrocortisone cream twice daily.';

// Predictions, in another order than the reference (they must be matched by encounter_id):
// W2 has nearly every word of its reference but in scrambled order (low ROUGE-Lsum, high ROUGE-1;
// it lacks "shoulder", which the doctor wrote twice, so a missed word listed twice shows),
// and its plan sits under a PHYSICAL EXAMINATION header; W3 is in order but stops before the plan.
const PREDICTIONS: [string, string][] = [
  ['W3', 'CHIEF COMPLAINT\n\nRash on both arms.\n\nHISTORY OF PRESENT ILLNESS\n\nItchy rash since a new soap.'],
  ['W1', COUGH.replace('Honey and fluids; return if fever.', 'Fluids and honey.')],
  ['W2', 'CHIEF COMPLAINT\n\nexercises and daily twice naproxen strain cuff rotator night at worse is and ago days three boxes lifting after began pain right\n\nPHYSICAL EXAMINATION\n\nrest'],
];

function writeCorpus(): { corpus: string; predictions: string } {
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus, { recursive: true });
  const rows = [['W1', COUGH], ['W2', SHOULDER], ['W3', RASH]].map(([id, note]) => ['aci', id!, `[doctor] visit ${id}\n[patient] okay .`, note!]);
  writeFileSync(join(corpus, 'valid.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], rows));
  const predictions = join(dir, 'predictions.csv');
  writeFileSync(predictions, writeCsv(['encounter_id', 'note'], PREDICTIONS));
  return { corpus, predictions };
}

describe('worst-note', () => {
  it('worstNote finds the note with the lowest ROUGE-Lsum (not the lowest ROUGE-1) in a made-up predictions file', async () => {
    const { corpus, predictions } = writeCorpus();
    const got = await student.worstNote(predictions, 'valid', corpus);
    assert.equal(got?.encounterId, 'W2', `worstNote should name W2 (its words are scrambled, so its ROUGE-Lsum is the lowest although its ROUGE-1 is the highest), your code named ${got?.encounterId}`);
    const expected = rouge(SHOULDER, PREDICTIONS[2]![1]).rougeLsum.fmeasure;
    assert.ok(Math.abs(got.rougeLsum - expected) < 1e-9, `worstNote should give W2's whole-note ROUGE-Lsum F1, ${expected}, your code gave ${typeof got.rougeLsum === 'object' ? `${JSON.stringify(got.rougeLsum)}: that is the whole score (precision, recall and F1); give its .fmeasure` : got.rougeLsum}`);
  });

  it('worstNote lists the sections the doctor wrote and the generated note lacks', async () => {
    const { corpus, predictions } = writeCorpus();
    const got = await student.worstNote(predictions, 'valid', corpus);
    assert.deepEqual(got?.missingSections, ['assessment_and_plan'], `W2's reference has subjective and assessment_and_plan; the generated note has subjective and objective_exam, so it misses ["assessment_and_plan"]. Your code gave ${JSON.stringify(got?.missingSections)}`);
  });

  it('worstNote lists the missed words once each, lowercased, in the order the doctor wrote them', async () => {
    const { corpus, predictions } = writeCorpus();
    const got = await student.worstNote(predictions, 'valid', corpus);
    const want = ['shoulder', 'history', 'of', 'present', 'illness', 'assessment', 'plan'];
    const twice = Array.isArray(got?.missedWords) ? got.missedWords.filter((w, i) => got.missedWords.indexOf(w) !== i) : [];
    assert.deepEqual(got?.missedWords, want, `W2's generated note lacks these ROUGE words of its reference; your code gave ${JSON.stringify(got?.missedWords)}${twice.length ? `. Your list has ${JSON.stringify(twice[0])} more than once (the doctor wrote it twice): add a word only when it is not in the list yet` : ''}`);
  });

  it('worstNote reads a baseline predictions file of the sample corpus', async () => {
    const corpus = sampleCorpusDir();
    const test1 = loadSplit('test1', corpus).encounters;
    const file = join(dir, 'longest-turn.csv');
    writeFileSync(file, predictionsCsv(baselinePredictions(test1, 'longest-doctor-turn')));
    const got = await student.worstNote(file, 'test1', corpus);
    const worst = worstNotes(await evaluateNotes(test1, loadPredictions(file)))[0]!;
    assert.equal(got?.encounterId, worst.encounterId, `the worst longest-doctor-turn note of the sample test1 is ${worst.encounterId}; your code named ${got?.encounterId}`);
    assert.deepEqual(got.missingSections, worst.present.reference.filter((d) => !worst.present.prediction.includes(d)), `a copied doctor turn has no section headers, so it misses every section of ${worst.encounterId}'s reference`);
    assert.ok(got.missedWords.length > 0 && got.missedWords.every((w) => /^[a-z0-9]+$/.test(w)), `missedWords should be lowercase ROUGE words; your code gave ${JSON.stringify(got.missedWords.slice(0, 10))}`);
  });
});
