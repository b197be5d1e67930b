import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { loadSplit, rouge, sampleCorpusDir, tokenize } from 'medigen-lab';

interface Score {
  precision: number;
  recall: number;
  fmeasure: number;
}
interface Student {
  rougeTokens(text: string): string[];
  rouge1(reference: string, prediction: string): Score;
}

let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('rouge1.ts');
});
after(() => student?.close());

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Compares the student's score with the library's exact ROUGE-1 and says which number differs. */
async function sameAsLibrary(reference: string, prediction: string, what: string): Promise<void> {
  const expected = rouge(reference, prediction).rouge1;
  const got = await student.rouge1(reference, prediction);
  for (const k of ['precision', 'recall', 'fmeasure'] as const) {
    const ok = typeof got?.[k] === 'number' && Math.abs(got[k] - expected[k]) < 1e-9;
    const v = got?.[k];
    const fields = got && typeof got === 'object' ? Object.keys(got) : [];
    // The usual slips: rounded as the lesson prints it (0.67, 66.67), a missing field, no return.
    const why =
      typeof v === 'number' && v !== expected[k] && ([1, 2, 3, 4].some((d) => v === round(expected[k], d)) || [0, 1, 2].some((d) => v === round(expected[k] * 100, d)))
        ? `\n  Give the full number between 0 and 1, as it comes out of the division: not rounded, not times 100 (the lesson rounds only to print it).`
        : got === undefined || got === null
          ? `\n  rouge1 gave back nothing: end it with return { precision, recall, fmeasure }.`
          : v === undefined && fields.length
            ? `\n  Your result has no field ${k} (its fields: ${fields.join(', ')}): check how the names are spelled where you build { precision, recall, fmeasure }.`
            : '';
    assert.ok(ok, `rouge1 ${k} for ${what}: expected ${expected[k]} (MediGen Lab's exact ROUGE-1), your code gave ${v}.\n  reference:  ${JSON.stringify(reference.slice(0, 120))}\n  prediction: ${JSON.stringify(prediction.slice(0, 120))}${why}`);
  }
}

describe('rouge1-by-hand', () => {
  it('rougeTokens lowercases and cuts at everything that is not a-z or 0-9', async () => {
    for (const text of ['BP 120/80, stable.', "Pt's HbA1c -> 7.2% (was 8.1%)", '  Knee   pain\nx 2 weeks  ', 'Café-au-lait spots: none', '']) {
      assert.deepEqual(await student.rougeTokens(text), tokenize(text), `rougeTokens(${JSON.stringify(text)}) should give the words ROUGE compares`);
    }
  });

  it('rouge1 gives precision, recall and F1 of word overlap on made-up notes', async () => {
    await sameAsLibrary('Left knee pain for two weeks.', 'Patient reports knee pain, left side, for 2 weeks.', 'two short notes');
    await sameAsLibrary('ASSESSMENT AND PLAN\n\nHypertension: continue lisinopril 10 mg daily.', 'Plan: continue lisinopril daily for hypertension; recheck blood pressure.', 'a plan and a shorter plan');
  });

  it('rouge1 counts a repeated word only as often as the reference has it', async () => {
    await sameAsLibrary('pain in the knee', 'pain pain pain pain in the the knee knee', 'a prediction that repeats words');
    await sameAsLibrary('no fever no chills no cough', 'no fever', 'a prediction with fewer copies than the reference');
  });

  it('rouge1 gives 0 when a text has no words or nothing matches', async () => {
    await sameAsLibrary('Knee pain.', '', 'an empty prediction');
    await sameAsLibrary('... !!!', 'knee pain', 'a reference without words');
    await sameAsLibrary('knee pain', 'shoulder ache', 'notes without a common word');
  });

  it('rouge1 matches the library on real-looking notes of the sample corpus', async () => {
    const notes = loadSplit('valid', sampleCorpusDir()).encounters.map((e) => e.note);
    assert.ok(notes.length >= 2, 'the sample corpus should have at least two valid notes');
    await sameAsLibrary(notes[0]!, notes[1]!, 'two notes of the sample corpus');
    await sameAsLibrary(notes[1]!, notes[0]!.toUpperCase(), 'a note against another one in capitals');
  });
});
