import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/paths';
import { loadSplit, parseCsv, writeCsv } from '../../../../datasets/index';
import { runCli } from '../../../helpers/cli';

const DATA = join(projectRoot(), '..', 'shared', 'aci-bench', 'challenge_data');

describe('medigen faithfulness / medigen phi', function () {
  this.timeout(120_000);
  let dir: string;
  let pred: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-safety-'));
    // Predictions: the reference notes of test1, two of them with a planted dose and side.
    const gold = loadSplit('test1', DATA).encounters;
    const notes = gold.map((e) => e.note);
    notes[0] = `${notes[0]}\nContinue metformin 850 mg three times a day.`;
    notes[1] = `${notes[1]}\nWe will obtain an x-ray of the left ankle.`;
    pred = join(dir, 'pred.csv');
    writeFileSync(pred, writeCsv(['encounter_id', 'note'], gold.map((e, k) => [e.encounterId, notes[k]!])));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('faithfulness --json prints the documented shape, with the planted sentences unsupported', async () => {
    const r = await runCli(['faithfulness', '--gold', 'test1', '--corpus', DATA, '--pred', pred, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(got), ['notes', 'summary']);
    assert.equal(got.notes.length, 40);
    const first = got.notes[0];
    assert.deepEqual(Object.keys(first), ['encounter_id', 'sentences']);
    assert.deepEqual(Object.keys(first.sentences[0]).sort(), ['evidence', 'issues', 'supported', 'text']);
    const planted = first.sentences.find((s: { text: string }) => s.text === 'Continue metformin 850 mg three times a day.');
    assert.ok(planted, 'the sentence is given exactly as in the note');
    assert.equal(planted.supported, false);
    assert.ok(planted.issues.some((i: { kind: string; text: string }) => i.kind === 'number' && i.text === '850 mg'), JSON.stringify(planted.issues));
    assert.equal(got.summary.notes, 40);
    assert.ok(got.summary.unsupported >= 2 && got.summary.unsupported < got.summary.sentences * 0.15);
  });

  it('faithfulness lists unsupported sentences with their evidence turns for people', async () => {
    const r = await runCli(['faithfulness', '--gold', 'test1', '--corpus', DATA, '--pred', pred]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"Continue metformin 850 mg three times a day\."\n\s+number: "850 mg" is not in the dialogue/);
    assert.match(r.stdout, /evidence turn \d+ \(line \d+\): \[(doctor|patient)\]/);
    assert.match(r.stdout, /sentences \([\d.]+%\) in \d+ of 40 notes carry a detail the dialogue does not/);
  });

  it('faithfulness: missing flags are usage errors (exit 2), a missing file says which (exit 1)', async () => {
    const a = await runCli(['faithfulness', '--pred', pred]);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--gold is required/);
    const b = await runCli(['faithfulness', '--gold', 'test1', '--corpus', DATA, '--pred', join(dir, 'nope.csv')]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /nope\.csv does not exist/);
  });

  it('phi scan --json lists identifiers with positions in dialogues and notes', async () => {
    const r = await runCli(['phi', 'scan', 'test1', '--corpus', DATA, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    const gold = loadSplit('test1', DATA).encounters;
    assert.equal(got.encounters.length, 40);
    const first = got.encounters[0];
    for (const h of first.dialogue) assert.equal(gold[0]!.dialogue.slice(h.start, h.end), h.text);
    assert.ok(got.summary.by_kind.name > 0, 'the real dialogues name people');
  });

  it('phi scan demo scans the shipped made-up visit: every kind ACI-BENCH lacks, in the dialogue and the note', async () => {
    const r = await runCli(['phi', 'scan', 'demo', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [e] = JSON.parse(r.stdout).encounters as { dialogue: { kind: string; text: string }[]; note: { kind: string; text: string }[] }[];
    assert.deepEqual(e!.dialogue.map((h) => h.kind), ['name', 'dob', 'phone', 'email', 'address']);
    assert.deepEqual(e!.note.map((h) => [h.kind, h.text]), [['name', 'Okonkwo'], ['dob', '03/03/1962'], ['phone', '617-442-9013']]);
  });

  it('phi scrub writes the same CSV with placeholders, and refuses its input or an existing file as --out', async () => {
    const src = join(dir, 'in.csv');
    writeFileSync(src, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note', 'extra'], [['aci', 'X1', '[doctor] hi jerry .\n[patient] my number is five five five , two three four , five six seven eight .', 'Jerry was seen.', 'kept']]));
    const out = join(dir, 'out.csv');
    const r = await runCli(['phi', 'scrub', src, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const t = parseCsv(readFileSync(out), out);
    assert.deepEqual(t.header, ['dataset', 'encounter_id', 'dialogue', 'note', 'extra']);
    assert.deepEqual(t.rows[0]!.cells, ['aci', 'X1', '[doctor] hi [NAME] .\n[patient] my number is [PHONE] .', '[NAME] was seen.', 'kept']);
    const same = await runCli(['phi', 'scrub', src, '--out', src]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /never writes over its input/);
    const again = await runCli(['phi', 'scrub', src, '--out', out]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    assert.equal((await runCli(['phi', 'scrub', src, '--out', out, '--force'])).code, 0);
  });
});
