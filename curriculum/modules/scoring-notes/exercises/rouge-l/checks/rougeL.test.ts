import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { loadSplit, rouge, sampleCorpusDir } from 'medigen-lab';

interface Score {
  precision: number;
  recall: number;
  fmeasure: number;
}
interface Student {
  lcsLength(a: string[], b: string[]): number;
  rougeL(reference: string, prediction: string): Score;
}

let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('rougeL.ts');
});
after(() => student?.close());

const words = (s: string) => (s ? s.split(' ') : []);

async function sameAsLibrary(reference: string, prediction: string, what: string): Promise<void> {
  const expected = rouge(reference, prediction).rougeL;
  const got = await student.rougeL(reference, prediction);
  for (const k of ['precision', 'recall', 'fmeasure'] as const) {
    const ok = typeof got?.[k] === 'number' && Math.abs(got[k] - expected[k]) < 1e-9;
    const fields = got && typeof got === 'object' ? Object.keys(got) : [];
    const why = got?.[k] === undefined && fields.length ? `\n  Your result has no field ${k} (its fields: ${fields.join(', ')}): check how the names are spelled where you build { precision, recall, fmeasure }.` : '';
    assert.ok(ok, `rougeL ${k} for ${what}: expected ${expected[k]} (MediGen Lab's exact ROUGE-L), your code gave ${got?.[k]}.\n  reference:  ${JSON.stringify(reference.slice(0, 120))}\n  prediction: ${JSON.stringify(prediction.slice(0, 120))}${why}`);
  }
}

describe('rouge-l', () => {
  const cases: [string, string, number, string][] = [
    ['knee pain two weeks', 'knee swelling and pain weeks', 3, 'words in the same order with gaps'],
    ['no fever no chills', 'chills no fever', 2, 'the same words in another order'],
    ['a b c d e f', 'a x c y e z', 3, 'every other word'],
    ['start metformin 500 mg twice daily', 'metformin twice daily start', 3, 'a reordered plan'],
    ['x a', 'y a', 1, 'different first words and the same last word'],
  ];
  for (const [a, b, n, what] of cases) {
    it(`lcsLength finds ${n} for ${what}`, async () => {
      assert.equal(await student.lcsLength(words(a), words(b)), n, `lcsLength(${JSON.stringify(words(a))}, ${JSON.stringify(words(b))}) should be ${n}`);
    });
  }

  it('lcsLength finds 2 for two identical lists and 0 when a list is empty', async () => {
    assert.equal(await student.lcsLength(['left', 'knee'], ['left', 'knee']), 2, 'lcsLength(["left", "knee"], ["left", "knee"]) should be 2');
    assert.equal(await student.lcsLength([], ['knee']), 0, 'lcsLength([], ["knee"]) should be 0');
  });

  it('rougeL matches the library on made-up notes', async () => {
    await sameAsLibrary('Patient has left knee pain for two weeks after a fall.', 'Two weeks of knee pain on the left after the patient fell.', 'a reworded history');
    await sameAsLibrary('Continue lisinopril. Recheck blood pressure in 3 months.', 'Recheck blood pressure in 3 months. Continue lisinopril.', 'two sentences swapped');
    await sameAsLibrary('Knee pain.', '', 'an empty prediction');
    await sameAsLibrary('Knee pain for two weeks.', 'Chest cough at night.', 'notes that share no word');
  });

  it('rougeL matches the library on notes of the sample corpus', async () => {
    const notes = loadSplit('train', sampleCorpusDir()).encounters.map((e) => e.note);
    assert.ok(notes.length >= 2, 'the sample corpus should have at least two train notes');
    await sameAsLibrary(notes[0]!, notes[1]!, 'two notes of the sample corpus');
  });
});
