import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPLITS } from '../../../datasets/index';
import { loadSplit } from '../../../datasets/index';
import { writeCsv } from '../../../datasets/index';
import { formatValidation } from '../../../datasets/index';
import { closestColumn, validateCorpus, validateFile, validateSplit, type ValidationReport } from '../../../datasets/index';
import { FIXTURES, SAMPLE, requireCorpus } from './helpers';

const codes = (r: ValidationReport, severity?: string) => r.problems.filter((p) => !severity || p.severity === severity).map((p) => p.code);
const fixture = (name: string) => validateFile(join(FIXTURES, name));

describe('datasets/validate', () => {
  it('passes the shipped sample with no problems at all', () => {
    const reports = validateCorpus(SAMPLE);
    assert.deepEqual(reports.map((r) => r.name), [...SPLITS]);
    for (const r of reports) assert.deepEqual(r.problems, [], r.name);
    assert.match(formatValidation(reports), /No errors\. The data is ready to use\./);
  });

  it('passes every real ACI-BENCH split with no errors, every row counted', () => {
    const dir = requireCorpus();
    const reports = validateCorpus(dir);
    assert.deepEqual(reports.map((r) => [r.name, r.rows, r.errors]), [['train', 67, 0], ['valid', 20, 0], ['test1', 40, 0], ['test2', 40, 0], ['test3', 40, 0]]);
    // The real corpus has a few dialogue lines without a speaker tag: warnings, with their place.
    const d2n005 = reports[0]!.problems.find((p) => p.encounterId === 'D2N005')!;
    assert.equal(d2n005.code, 'untagged-lines');
    assert.match(d2n005.message, /dialogue line 37/);
    assert.ok(reports.every((r) => r.problems.every((p) => p.code === 'untagged-lines')));
  });

  it('names missing and renamed columns and suggests the closest name', () => {
    const r = fixture('renamed-columns.csv');
    assert.deepEqual(codes(r), ['missing-column', 'missing-column', 'missing-column']);
    assert.match(r.problems[0]!.hint, /Rename "Encounter ID" to "encounter_id"/);
    assert.match(r.problems[1]!.hint, /Rename "dialog" to "dialogue"/);
    assert.match(r.problems[2]!.hint, /Rename "summary" to "note"/);
    const m = fixture('missing-column.csv');
    assert.deepEqual(codes(m), ['missing-column']);
    assert.match(m.problems[0]!.message, /Column "note" is missing/);
    assert.equal(closestColumn('encounter_id', ['encounterid']), 'encounterid');
    assert.equal(closestColumn('note', ['text', 'xyz']), undefined);
  });

  it('reports empty dialogues, notes and ids with their line', () => {
    const r = fixture('empty-texts.csv');
    assert.deepEqual(r.problems.map((p) => [p.code, p.line, p.severity]), [['empty-dialogue', 2, 'error'], ['empty-note', 5, 'error'], ['empty-id', 7, 'error']]);
  });

  it('reports duplicate encounter ids with both lines', () => {
    const r = fixture('duplicate-ids.csv');
    assert.deepEqual(codes(r), ['duplicate-id']);
    assert.match(r.problems[0]!.message, /"FX001" on line 6 was already used on line 2/);
  });

  it('reports unbalanced quotes, rows swallowed by them and wrong cell counts', () => {
    const end = fixture('unclosed-at-end.csv');
    assert.deepEqual(codes(end, 'error'), ['unclosed-quote']);
    assert.equal(end.problems[0]!.line, 5);
    const mid = fixture('unbalanced-quotes.csv');
    assert.equal(mid.rows, 3);
    assert.ok(codes(mid, 'error').includes('swallowed-rows'));
    assert.equal(mid.problems.find((p) => p.code === 'swallowed-rows')!.line, 6);
    const inner = fixture('inner-quotes.csv');
    assert.ok(codes(inner).includes('text-after-quote'));
    assert.ok(codes(inner, 'error').includes('cell-count'));
    const cells = fixture('cell-count.csv');
    assert.deepEqual(cells.problems.map((p) => [p.code, p.line]), [['cell-count', 3], ['cell-count', 4]]);
    assert.match(cells.problems[0]!.message, /has 5 cells but the header has 4/);
  });

  it('reports non-UTF-8 bytes as an error, and a BOM and CRLF as warnings', () => {
    const latin = fixture('latin1.csv');
    assert.deepEqual(codes(latin), ['not-utf8']);
    assert.equal(latin.errors, 1);
    assert.equal(latin.problems[0]!.line, 4);
    const bom = fixture('bom-crlf.csv');
    assert.deepEqual(codes(bom).sort(), ['bom', 'crlf']);
    assert.equal(bom.errors, 0);
    assert.equal(loadSplit(join(FIXTURES, 'bom-crlf.csv')).encounters[0]!.dialogue, '[doctor] hi .\n[patient] hello .');
  });

  it('warns about untagged dialogue lines, swapped columns and unknown subsets', () => {
    const r = fixture('untagged-lines.csv');
    assert.equal(r.errors, 0);
    assert.deepEqual(r.problems.map((p) => [p.code, p.encounterId, p.line]), [
      ['untagged-lines', 'FX001', 4],
      ['no-speaker-tags', 'FX002', 8],
      ['swapped-columns', 'FX003', 12],
      ['unknown-subset', undefined, 12],
    ]);
  });

  it('handles an empty file and a missing file without throwing', () => {
    assert.deepEqual(codes(fixture('empty.csv')), ['empty-file']);
    assert.deepEqual(codes(fixture('no-such-file.csv')), ['missing-file']);
    assert.throws(() => validateSplit('no-such-split.csv'), /No file or split named/);
  });

  it('groups problems by kind in the text report, errors first, with a hint per group', () => {
    const text = formatValidation([fixture('unbalanced-quotes.csv'), fixture('duplicate-ids.csv')]);
    assert.ok(text.indexOf('ERROR · Rows read into another row') < text.indexOf('warning ·'));
    assert.match(text, /unbalanced-quotes\.csv:6 {2}Row 2 \(line 4\)/);
    assert.match(text, /What to do: Each encounter needs its own id/);
    assert.match(text, /4 errors and 2 warnings\. Fix the errors above/);
  });

  describe('a 50 MB file', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-validate-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('is validated completely, finding the two broken rows among ~20,000', () => {
      const sample = loadSplit('train', SAMPLE).encounters;
      const rows: string[][] = [];
      let bytes = 0;
      for (let k = 0; bytes < 50 * 1024 * 1024; k++) {
        const e = sample[k % sample.length]!;
        rows.push([e.dataset, `BIG${k}`, e.dialogue, e.note]);
        bytes += e.dialogue.length + e.note.length + 30;
      }
      rows[rows.length - 3]![1] = 'BIG7';
      rows[rows.length - 2]![3] = '';
      const file = join(dir, 'big.csv');
      writeFileSync(file, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], rows));
      assert.ok(statSync(file).size >= 50 * 1024 * 1024);
      let reports = 0;
      const r = validateFile(file, { progress: { report: () => reports++ } });
      assert.equal(r.rows, rows.length);
      assert.equal(reports, rows.length);
      assert.deepEqual(r.problems.map((p) => [p.code, p.row]), [['duplicate-id', rows.length - 2], ['empty-note', rows.length - 1]]);
    });
  });
});
