import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCsv } from 'medigen-lab';
import { loadStudent, type Remote } from 'medigen-lab/checks';

// The functions the exercise asks for. The student's file runs in its own process.
interface Student {
  countEncounters(split: string, corpusDir?: string): number;
  encountersPerSubset(split: string, corpusDir?: string): Record<string, number>;
}
let student: Remote<Student>;
let corpus: string;
let second: string;

/** Writes a made-up split: `subsets` lists the dataset of each encounter. */
function writeSplit(dir: string, file: string, subsets: string[]): void {
  const rows = subsets.map((s, k) => [s, `T${k + 1}`, `[doctor] hello number ${k + 1}\n[patient] hi , doctor .`, `CHIEF COMPLAINT\n\nVisit ${k + 1}.`]);
  writeFileSync(join(dir, file), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], rows));
}

before(async () => {
  // Two made-up corpora the student has not seen (sizes unlike the sample's and the real corpus's).
  corpus = mkdtempSync(join(tmpdir(), 'meet-the-data-'));
  writeSplit(corpus, 'train.csv', ['aci', 'virtassist', 'aci', 'virtscribe', 'virtassist', 'aci', 'aci']);
  writeSplit(corpus, 'valid.csv', ['virtscribe', 'aci', 'virtscribe', 'virtscribe', 'aci']);
  second = mkdtempSync(join(tmpdir(), 'meet-the-data-'));
  writeSplit(second, 'train.csv', ['virtassist', 'virtassist', 'virtscribe', 'virtassist', 'aci', 'virtassist', 'virtassist', 'virtscribe', 'virtassist', 'aci', 'virtassist']);
  writeSplit(second, 'valid.csv', ['aci']);
  student = await loadStudent<Student>('split.ts');
});

after(async () => {
  await student?.close();
  rmSync(corpus, { recursive: true, force: true });
  rmSync(second, { recursive: true, force: true });
});

describe('load-a-split', () => {
  it('countEncounters counts the encounters of the train split', async () => {
    assert.equal(await student.countEncounters('train', corpus), 7, 'countEncounters should find the 7 encounters of the made-up train split (read the corpus folder it is given)');
  });

  it('countEncounters counts the encounters of the valid split', async () => {
    assert.equal(await student.countEncounters('valid', corpus), 5, 'countEncounters should find the 5 encounters of the made-up valid split (load the split it is asked for)');
  });

  it('countEncounters reads whichever corpus folder it is given', async () => {
    assert.equal(await student.countEncounters('train', second), 11, 'countEncounters should find the 11 encounters of a second made-up corpus');
    assert.equal(await student.countEncounters('valid', second), 1, 'countEncounters should find the single encounter of the second corpus\'s valid split');
  });

  it('encountersPerSubset counts each subset of the train split', async () => {
    assert.deepEqual(await student.encountersPerSubset('train', corpus), { aci: 4, virtassist: 2, virtscribe: 1 }, 'encountersPerSubset should count 4 aci, 2 virtassist and 1 virtscribe encounters in the made-up train split');
  });

  it('encountersPerSubset counts each subset of the valid split', async () => {
    assert.deepEqual(await student.encountersPerSubset('valid', corpus), { aci: 2, virtscribe: 3 }, 'encountersPerSubset should count 2 aci and 3 virtscribe encounters in the made-up valid split');
  });

  it('encountersPerSubset reads whichever corpus folder it is given', async () => {
    assert.deepEqual(await student.encountersPerSubset('train', second), { aci: 2, virtassist: 7, virtscribe: 2 }, 'encountersPerSubset should count the subsets of a second made-up corpus');
  });
});
