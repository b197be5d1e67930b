import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSplit, writeCsv, type Encounter } from 'medigen-lab';

type Student = typeof import('../solution/table');
let student: Student;

before(async () => {
  student = (await import(pathToFileURL(join(process.env.MEDIGEN_EXERCISE_DIR ?? '.', 'table.ts')).href)) as Student;
});

const enc = (id: string, dialogue: string, note: string): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note });

// Made-up encounters: 8 + 16 + 3 dialogue words, 2 + 3 + 1 turns, 4 + 5 + 7 note words.
const TRAIN = [
  enc('T1', '[doctor] hi , martha .\n[patient] hello .', 'CHIEF COMPLAINT\n\nKnee pain.'),
  enc('T2', '[doctor] how is the knee ?\n[patient] it hurts\nwhen i walk .\n[doctor] okay .', 'Knee pain for two weeks.'),
  enc('T3', '[doctor] bye .', 'Follow up in 2 weeks .\tDone'),
];

describe('corpus-table', () => {
  it('countWords counts pieces of text between spaces, tabs and line breaks', () => {
    assert.equal(student.countWords('[doctor] hi , martha .'), 5);
    assert.equal(student.countWords('  two\n\nwords\t'), 2);
    assert.equal(student.countWords(''), 0);
  });

  it('splitRow computes the encounters and the rounded means of a split', () => {
    assert.deepEqual(student.splitRow('train', TRAIN), { split: 'train', encounters: 3, meanTurns: 2, meanDialogueWords: 9, meanNoteWords: 5.3 });
  });

  it('splitRow gives means of 0 for a split without encounters', () => {
    assert.deepEqual(student.splitRow('test1', []), { split: 'test1', encounters: 0, meanTurns: 0, meanDialogueWords: 0, meanNoteWords: 0 });
  });

  it('statsTable writes the Markdown table with one decimal', () => {
    const rows = [
      { split: 'train', encounters: 3, meanTurns: 2, meanDialogueWords: 9, meanNoteWords: 5.3 },
      { split: 'valid', encounters: 12, meanTurns: 61.25, meanDialogueWords: 1204.5, meanNoteWords: 0 },
    ];
    const expected = [
      '| split | encounters | mean turns | mean dialogue words | mean note words |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| train | 3 | 2.0 | 9.0 | 5.3 |',
      '| valid | 12 | 61.3 | 1204.5 | 0.0 |',
    ].join('\n');
    assert.equal(student.statsTable(rows).trimEnd(), expected);
  });

  it('splitRow and statsTable reproduce the table of a corpus loaded from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-table-'));
    try {
      writeFileSync(join(dir, 'train.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], TRAIN.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])));
      const row = student.splitRow('train', loadSplit('train', dir).encounters);
      assert.equal(student.statsTable([row]).trimEnd().split('\n')[2], '| train | 3 | 2.0 | 9.0 | 5.3 |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
