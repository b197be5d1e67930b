import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSplit, writeCsv } from '../../../../datasets/index';
import { projectRoot } from '../../../../core/index';
import { ReviewSession, blindOrder, readReviewFile, saveReviewFile, staleTemps, summarizeReviews } from '../../../../models/review/index';

const corpus = join(projectRoot(), 'datasets', 'sample');

describe('review: sessions and review files', () => {
  let dir: string;
  let predA: string;
  let predB: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-review-'));
    const valid = loadSplit('valid', corpus).encounters;
    predA = join(dir, 'reference.csv');
    predB = join(dir, 'short.csv');
    writeFileSync(predA, writeCsv(['encounter_id', 'note'], valid.map((e) => [e.encounterId, e.note])));
    writeFileSync(predB, writeCsv(['encounter_id', 'note'], valid.map((e) => [e.encounterId, e.note.split('\n').slice(0, 3).join('\n')])));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('orders two systems blind from a recorded seed: same seed, same order; both positions used', () => {
    const ids = Array.from({ length: 40 }, (_, k) => `E${k}`);
    const a = blindOrder(ids, ['x', 'y'], 'seed-1');
    assert.deepEqual(blindOrder(ids, ['x', 'y'], 'seed-1'), a);
    assert.notDeepEqual(blindOrder(ids, ['x', 'y'], 'seed-2').encounters, a.encounters);
    assert.deepEqual(a.encounters.map((e) => e.encounterId), ids);
    const xFirst = a.encounters.filter((e) => e.systems[0] === 'x').length;
    assert.ok(xFirst > 8 && xFirst < 32, `x shown first ${xFirst} of 40 times`);
  });

  it('starts a blind review of two systems, saving the file with hashes, seed and order', () => {
    const out = join(dir, 'alice.json');
    const s = ReviewSession.open({ reviewer: 'alice', predictions: [{ file: predA }, { file: predB }], gold: 'valid', corpus, out, seed: 'fixed', limit: 2 });
    assert.equal(s.items.length, 4);
    assert.deepEqual(s.items.map((i) => i.label), ['A', 'B', 'A', 'B']);
    const saved = readReviewFile(out);
    assert.equal(saved.blind, true);
    assert.equal(saved.order.seed, 'fixed');
    assert.deepEqual(saved.systems.map((x) => x.name), ['reference', 'short']);
    assert.match(saved.systems[0]!.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(saved.order, blindOrder(saved.order.encounters.map((e) => e.encounterId), ['reference', 'short'], 'fixed'));
    assert.ok(s.items[0]!.dialogue.includes('[doctor]'));
    assert.equal(s.progress().rated, 0);
  });

  it('saves every change at once, and reopening resumes with the earlier reviews and order', () => {
    const out = join(dir, 'alice.json');
    const s = ReviewSession.open({ reviewer: 'alice', predictions: [{ file: predA }, { file: predB }], gold: 'valid', corpus, out });
    s.update(0, { opened: true });
    s.update(0, { rating: 'usable-as-is' });
    s.update(1, { rating: 'major-edits', errors: [{ kind: 'omission', text: 'the exam' }], editedNote: 'corrected' });
    const again = ReviewSession.open({ reviewer: 'alice', predictions: [{ file: predA }, { file: predB }], gold: 'valid', corpus, out });
    assert.equal(again.review.order.seed, 'fixed', 'the order of the first session is kept');
    assert.deepEqual(again.progress(), { rated: 2, total: 4 });
    assert.equal(again.firstUnrated(), 2);
    const r1 = again.reviewOf(1)!;
    assert.equal(r1.rating, 'major-edits');
    assert.equal(r1.editedNote, 'corrected');
    assert.equal(r1.errors[0]!.kind, 'omission');
    assert.ok(again.reviewOf(0)!.openedAt && again.reviewOf(0)!.ratedAt);
    assert.equal(r1.system, again.items[1]!.system);
    const sum = summarizeReviews([readReviewFile(out)]);
    assert.equal(sum.overall.rated, 2);
    assert.equal(sum.preference.notes.length, 1);
    assert.equal(sum.preference.notes[0]!.preferred, again.items[0]!.system);
  });

  it('refuses another reviewer\'s file, changed predictions, and an output that is an input', () => {
    const out = join(dir, 'alice.json');
    assert.throws(() => ReviewSession.open({ reviewer: 'bob', predictions: [{ file: predA }, { file: predB }], gold: 'valid', corpus, out }), /holds the review of alice/);
    assert.throws(() => ReviewSession.open({ reviewer: 'alice', predictions: [{ file: predA }], gold: 'valid', corpus, out: predA }), /is one of the inputs/);
    const before = readFileSync(predB);
    writeFileSync(predB, before.toString().replace(/\n$/, '\n') + '\n');
    try {
      assert.throws(() => ReviewSession.open({ reviewer: 'alice', predictions: [{ file: predA }, { file: predB }], gold: 'valid', corpus, out }), /changed since the review/);
    } finally {
      writeFileSync(predB, before);
    }
    assert.throws(() => ReviewSession.open({ reviewer: ' ', predictions: [{ file: predA }], gold: 'valid', corpus, out: join(dir, 'x.json') }), /reviewer's name/);
  });

  it('a single system is reviewed open (not blind), all encounters by default', () => {
    const s = ReviewSession.open({ reviewer: 'carol', predictions: [{ file: predA, name: 'mine' }], gold: 'valid', corpus, out: join(dir, 'carol.json') });
    assert.equal(s.review.blind, false);
    assert.equal(s.items.length, loadSplit('valid', corpus).encounters.length);
    assert.ok(s.items.every((i) => i.system === 'mine' && i.label === 'A'));
  });

  it('takes the dialogues from a plain CSV, or from the predictions file itself when it keeps them', () => {
    const valid = loadSplit('valid', corpus).encounters;
    const withDialogue = join(dir, 'with-dialogue.csv');
    writeFileSync(withDialogue, writeCsv(['encounter_id', 'dialogue', 'note'], valid.map((e) => [e.encounterId, e.dialogue, 'generated'])));
    const s = ReviewSession.open({ reviewer: 'dana', predictions: [{ file: withDialogue }], out: join(dir, 'dana.json') });
    assert.equal(s.items.length, valid.length);
    assert.equal(s.items[1]!.dialogue, valid[1]!.dialogue);
    assert.equal(s.review.gold.file, withDialogue);
    const dialoguesOnly = join(dir, 'dialogues.csv');
    writeFileSync(dialoguesOnly, writeCsv(['encounter_id', 'dialogue'], valid.map((e) => [e.encounterId, e.dialogue])));
    assert.equal(ReviewSession.open({ reviewer: 'dana', predictions: [{ file: predA }], gold: dialoguesOnly, out: join(dir, 'dana2.json') }).items.length, valid.length);
    assert.throws(() => ReviewSession.open({ reviewer: 'dana', predictions: [{ file: predA }], out: join(dir, 'dana3.json') }), /Column "dialogue" is missing/);
  });

  it('a crash in the middle of saving never leaves a broken file: killed writers, then the next save cleans up', async function () {
    this.timeout(60_000);
    const out = join(dir, 'crash.json');
    const base = readReviewFile(join(dir, 'alice.json'));
    saveReviewFile(out, base);
    // A child process saves bigger and bigger reviews as fast as it can, and is killed mid-way.
    const script = `
      import { saveReviewFile } from ${JSON.stringify(join(projectRoot(), 'models', 'review', 'index.ts'))};
      const base = ${JSON.stringify(base)};
      for (let k = 0; ; k++) {
        base.notes.push({ encounterId: 'E' + k, system: 'reference', label: 'A', errors: [], rating: 'minor-edits', editedNote: 'x'.repeat(20000) });
        saveReviewFile(${JSON.stringify(out)}, base);
        if (k === 0) process.stdout.write('saved\\n');
      }`;
    const scriptFile = join(dir, 'writer.ts');
    writeFileSync(scriptFile, script);
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', scriptFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      await new Promise((r) => setTimeout(r, 150 + 100 * round));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const saved = readReviewFile(out); // parses and checks: never half a file
      assert.ok(saved.notes.length > base.notes.length, 'the writer saved at least once');
    }
    const after = readReviewFile(out);
    saveReviewFile(out, after);
    assert.deepEqual(staleTemps(out), []);
    assert.deepEqual(readReviewFile(out).notes.length, after.notes.length);
    assert.ok(existsSync(out));
  });
});
