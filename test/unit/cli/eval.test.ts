import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { runCli } from '../../helpers/cli';

const ACI = join(projectRoot(), '..', 'shared', 'aci-bench');
const DATA = join(ACI, 'challenge_data');
const BIOBART = join(ACI, 'conformance', 'BioBART_clinicalnlp_taskC_test2_full.csv');

describe('medigen eval / medigen baseline', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-evalcli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('eval --json prints the official results object for the conformance predictions', async () => {
    const r = await runCli(['eval', '--gold', 'test2', '--corpus', DATA, '--pred', BIOBART, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    const official = JSON.parse(readFileSync(join(ACI, 'conformance', 'BioBART_clinicalnlp_taskC_test2_full.official.json'), 'utf8'));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(official).sort());
    assert.ok(Math.abs(got.ALL.rougeLsum - official.ALL.rougeLsum) < 1e-12);
  });

  it('eval prints a readable table and writes Markdown and HTML reports', async () => {
    const md = join(dir, 'r.md');
    const html = join(dir, 'r.html');
    const r = await runCli(['eval', '--gold', join(DATA, 'clinicalnlp_taskC_test2.csv'), '--pred', BIOBART, '--markdown', md, '--html', html]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /All notes\s+40\s+39\.20\s+19\.02\s+22\.68\s+33\.31/);
    assert.match(r.stdout, /_metadata\.csv/, 'metadata found next to the gold file');
    assert.match(readFileSync(md, 'utf8'), /## By patient gender \(metadata\)\n[^#]*\| female \| 24 \|[^#]*\| male \| 16 \|/, 'female and "female " are one group (19 + 5), as are male and "male " (13 + 3)');
    assert.match(readFileSync(html, 'utf8'), /<table>/);
    assert.match(r.stderr, /open it in a browser/);
  });

  it('eval explains bad input with exit 1 and bad usage with exit 2', async () => {
    const noNote = join(dir, 'nonote.csv');
    writeFileSync(noNote, 'encounter_id,summary\nD2N001,hello\n');
    let r = await runCli(['eval', '--gold', 'test2', '--corpus', DATA, '--pred', noNote]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no "note" column; its header is: encounter_id, summary/);
    assert.match(r.stderr, /What to do:/);

    const short = join(dir, 'short.csv');
    writeFileSync(short, 'note\nonly one note\n');
    r = await runCli(['eval', '--gold', 'test2', '--corpus', DATA, '--pred', short]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has 1 notes but the reference has 40/);

    r = await runCli(['eval', '--gold', 'test2', '--corpus', DATA, '--pred', join(dir, 'missing.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /predictions file .*missing\.csv does not exist/);

    r = await runCli(['eval', '--pred', BIOBART]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--gold is required/);

    r = await runCli(['eval', '--gold', 'test2', '--pred', BIOBART, '--bertscore-layer', 'x']);
    assert.equal(r.code, 2);
  });

  it('eval with --bertscore-model reports a missing model folder clearly (exit 1)', async () => {
    const r = await runCli(['eval', '--gold', 'test2', '--corpus', DATA, '--pred', BIOBART, '--bertscore-model', join(dir, 'no-model')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /What to do:/);
    assert.ok(!/bug in MediGen Lab/.test(r.stderr), r.stderr);
  });

  it('baseline writes an ACI-BENCH CSV that eval accepts, and --method all writes one per method', async () => {
    const out = join(dir, 'b.csv');
    let r = await runCli(['baseline', '--split', 'test1', '--corpus', DATA, '--method', 'longest-speaker-turn', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /longest-speaker-turn\s+rouge1 27\.84 \(ACI-BENCH paper: 27\.84\)/);
    assert.match(readFileSync(out, 'utf8'), /^dataset,encounter_id,dialogue,note\n/);
    r = await runCli(['eval', '--gold', 'test1', '--corpus', DATA, '--pred', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Math.abs(JSON.parse(r.stdout).ALL.rouge1 * 100 - 27.84) < 0.01);

    const folder = join(dir, 'all');
    r = await runCli(['baseline', '--split', 'test1', '--corpus', DATA, '--method', 'all', '--out', folder, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(summary), ['transcript', 'longest-speaker-turn', 'longest-doctor-turn', '12-speaker-turns', '12-doctor-turns', 'retrieval']);
    for (const m of Object.keys(summary)) assert.ok(existsSync(join(folder, `test1_${m}.csv`)), m);
    assert.ok(Math.abs(summary.retrieval.rouge1 * 100 - 46.1) < 0.006, `retrieval: ${summary.retrieval.rouge1}`);

    r = await runCli(['baseline', '--split', 'test1', '--corpus', DATA, '--method', 'retrieval', '--out', join(dir, 'r.csv')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /retrieval\s+rouge1 46\.10 \(ACI-BENCH paper: 43\.87\)/);
    r = await runCli(['baseline', '--help']);
    assert.match(r.stdout, /never a test split/);

    r = await runCli(['baseline', '--split', 'test1', '--corpus', DATA, '--method', 'magic', '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a baseline method/);
  });

  it('after a --limit run: --only-predicted scores the subset and says so; a repeated --pred is refused; blank notes warn', async () => {
    const preds = join(dir, 'four.csv');
    writeFileSync(preds, 'encounter_id,note\nD2N068,"CHIEF COMPLAINT\n\nKnee pain."\nD2N069,""\n');
    let r = await runCli(['eval', '--gold', 'valid', '--pred', preds, '--corpus', DATA]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /add --only-predicted/);
    r = await runCli(['eval', '--gold', 'valid', '--pred', preds, '--corpus', DATA, '--only-predicted']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Scoring only the 2 of 20 reference encounters that have a prediction/);
    assert.match(r.stderr, /Warning: 1 of 2 predicted notes are blank and score 0 \(D2N069\)/);
    assert.match(r.stdout, /2 notes, matched by encounter_id/);
    r = await runCli(['eval', '--gold', 'valid', '--pred', preds, '--pred', BIOBART, '--corpus', DATA]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pred was given 2 times/);
  });
});
