import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeCsv } from 'medigen-lab';

type Student = typeof import('../solution/split');
let student: Student;
let corpus: string;

/** A made-up corpus: `subsets` lists the dataset of each encounter. */
function writeSplit(file: string, subsets: string[]): void {
  const rows = subsets.map((s, k) => [s, `T${k + 1}`, `[doctor] hello number ${k + 1}\n[patient] hi , doctor .`, `CHIEF COMPLAINT\n\nVisit ${k + 1}.`]);
  writeFileSync(join(corpus, file), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], rows));
}

before(async () => {
  corpus = mkdtempSync(join(tmpdir(), 'meet-the-data-'));
  writeSplit('train.csv', ['aci', 'virtassist', 'aci', 'virtscribe', 'virtassist', 'aci', 'aci']);
  writeSplit('valid.csv', ['virtscribe', 'aci', 'virtscribe']);
  student = (await import(pathToFileURL(join(process.env.MEDIGEN_EXERCISE_DIR ?? '.', 'split.ts')).href)) as Student;
});

after(() => rmSync(corpus, { recursive: true, force: true }));

describe('load-a-split', () => {
  it('countEncounters counts the encounters of the train split', () => {
    assert.equal(student.countEncounters('train', corpus), 7);
  });

  it('countEncounters counts the encounters of the valid split', () => {
    assert.equal(student.countEncounters('valid', corpus), 3);
  });

  it('encountersPerSubset counts each subset of the train split', () => {
    assert.deepEqual(student.encountersPerSubset('train', corpus), { aci: 4, virtassist: 2, virtscribe: 1 });
  });

  it('encountersPerSubset counts each subset of the valid split', () => {
    assert.deepEqual(student.encountersPerSubset('valid', corpus), { aci: 1, virtscribe: 2 });
  });
});
