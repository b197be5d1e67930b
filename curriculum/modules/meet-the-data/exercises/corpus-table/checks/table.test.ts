import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSplit, writeCsv, type Encounter } from 'medigen-lab';
import { loadStudent, type Remote } from 'medigen-lab/checks';

interface SplitRow {
  split: string;
  encounters: number;
  meanTurns: number;
  meanDialogueWords: number;
  meanNoteWords: number;
}

// The functions the exercise asks for. The student's file runs in its own process.
interface Student {
  countWords(text: string): number;
  splitRow(split: string, encounters: Encounter[]): SplitRow;
  statsTable(rows: SplitRow[]): string;
}
let student: Remote<Student>;

before(async () => {
  student = await loadStudent<Student>('table.ts');
});
after(() => student?.close());

const enc = (id: string, dialogue: string, note: string): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note });

// Made-up encounters: 2 + 3 + 3 = 8 turns, 8 + 16 + 11 = 35 dialogue words, 4 + 5 + 8 = 17 note
// words. The means (2.667, 11.667, 5.667) round up, so rounding and cutting off give different rows.
const TRAIN = [
  enc('T1', '[doctor] hi , martha .\n[patient] hello .', 'CHIEF COMPLAINT\n\nKnee pain.'),
  enc('T2', '[doctor] how is the knee ?\n[patient] it hurts\nwhen i walk .\n[doctor] okay .', 'Knee pain for two weeks.'),
  enc('T3', '[doctor] bye .\n[patient] bye then .\n[doctor] take care .', 'Follow up in 2 weeks .\tDone today'),
];
const TRAIN_ROW = { split: 'train', encounters: 3, meanTurns: 2.7, meanDialogueWords: 11.7, meanNoteWords: 5.7 };

// A second made-up split: 4 + 1 = 5 turns, 15 + 3 = 18 dialogue words, 3 + 2 = 5 note words, so means 2.5, 9, 2.5.
const VALID = [
  enc('V1', '[doctor] any fever ?\n[patient] no .\n[doctor] good .\n[patient_guest] she is fine .', 'No fever noted.'),
  enc('V2', '[doctor] bye .', 'Discharged home.'),
];

describe('corpus-table', () => {
  it('countWords counts pieces of text between spaces, tabs and line breaks', async () => {
    assert.equal(await student.countWords('[doctor] hi , martha .'), 5, 'countWords should find 5 words in "[doctor] hi , martha ."');
    assert.equal(await student.countWords('  two\n\nwords\t'), 2, 'countWords should find 2 words when spaces, line breaks and tabs surround them');
    assert.equal(await student.countWords('blood\tpressure\n128 / 82'), 5, 'countWords should find 5 words in "blood\\tpressure\\n128 / 82": a tab between two words separates them, like a space or a line break (\\s+ takes all three)');
    assert.equal(await student.countWords(''), 0, 'countWords should give 0 for an empty text');
  });

  it('splitRow computes the encounters and the means rounded (not cut off) to one decimal', async () => {
    assert.deepEqual(await student.splitRow('train', TRAIN), TRAIN_ROW, 'splitRow should give means of 8/3, 35/3 and 17/3 rounded to one decimal: 2.7, 11.7 and 5.7');
  });

  it('splitRow computes the row of a second split', async () => {
    assert.deepEqual(await student.splitRow('valid', VALID), { split: 'valid', encounters: 2, meanTurns: 2.5, meanDialogueWords: 9, meanNoteWords: 2.5 }, 'splitRow should give the means of the 2 made-up valid encounters: 2.5 turns, 9 dialogue words, 2.5 note words');
  });

  it('splitRow gives means of 0 for a split without encounters', async () => {
    assert.deepEqual(await student.splitRow('test1', []), { split: 'test1', encounters: 0, meanTurns: 0, meanDialogueWords: 0, meanNoteWords: 0 }, 'splitRow should give 0 (not NaN) for the means of a split with no encounters');
  });

  it('statsTable writes the Markdown table with one decimal', async () => {
    const rows = [
      { split: 'train', encounters: 4, meanTurns: 3, meanDialogueWords: 12, meanNoteWords: 6.5 },
      { split: 'valid', encounters: 12, meanTurns: 61.25, meanDialogueWords: 1204.5, meanNoteWords: 0 },
    ];
    const expected = [
      '| split | encounters | mean turns | mean dialogue words | mean note words |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| train | 4 | 3.0 | 12.0 | 6.5 |',
      '| valid | 12 | 61.3 | 1204.5 | 0.0 |',
    ].map((line) => `${line}\n`).join('');
    const got = await student.statsTable(rows);
    if (typeof got === 'string' && got !== expected && got.trimEnd() === expected.trimEnd()) {
      assert.fail(got.endsWith('\n')
        ? `statsTable ends with an empty line: each line ends with one '\\n', and nothing comes after the last row's.`
        : `statsTable's last line has no line break: every line ends with '\\n', the last row's too (as in the example in the starter).`);
    }
    assert.equal(got, expected, 'statsTable should write a header, a separator and one line per row, each ending with a line break, every mean with exactly one decimal (toFixed(1))');
  });

  it('splitRow and statsTable reproduce the table of a corpus loaded from disk', async () => {
    // A made-up corpus the student has not seen, written and loaded with the library.
    const dir = mkdtempSync(join(tmpdir(), 'corpus-table-'));
    try {
      const write = (file: string, encounters: Encounter[]) => writeFileSync(join(dir, file), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], encounters.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])));
      write('train.csv', TRAIN);
      write('valid.csv', VALID);
      const rows = [await student.splitRow('train', loadSplit('train', dir).encounters), await student.splitRow('valid', loadSplit('valid', dir).encounters)];
      const lines = (await student.statsTable(rows)).trimEnd().split('\n');
      assert.deepEqual(lines.slice(2), ['| train | 3 | 2.7 | 11.7 | 5.7 |', '| valid | 2 | 2.5 | 9.0 | 2.5 |'], 'the table of the made-up corpus should have these two rows');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
