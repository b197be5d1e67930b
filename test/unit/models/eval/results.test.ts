import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { bootstrapCi, pairedPermutationTest } from '../../../../models/eval/index';
import { runCli } from '../../../helpers/cli';

const DATA = join(projectRoot(), '..', 'shared', 'aci-bench', 'challenge_data');
const BIOBART = join(projectRoot(), '..', 'shared', 'aci-bench', 'conformance', 'BioBART_clinicalnlp_taskC_test2_full.csv');

describe('medigen results: confidence intervals and paired significance across systems', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-results-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('bootstrap intervals hold the mean, narrow with more notes, and repeat with the seed', () => {
    const xs = Array.from({ length: 40 }, (_, i) => (i % 10) / 10);
    const ci = bootstrapCi(xs, { seed: 1 });
    assert.ok(ci.low < ci.mean && ci.mean < ci.high);
    assert.deepEqual(bootstrapCi(xs, { seed: 1 }), ci);
    const wide = bootstrapCi(xs.slice(0, 10), { seed: 1 });
    assert.ok(wide.high - wide.low > ci.high - ci.low);
  });

  it('the paired test finds a consistent shift and not a null difference', () => {
    const a = Array.from({ length: 30 }, (_, i) => 0.3 + (i % 7) / 50);
    assert.ok(pairedPermutationTest(a.map((x) => x + 0.05), a).p < 0.001);
    assert.equal(pairedPermutationTest(a, a).p, 1);
  });

  it('one table for a baseline and a published system on test2, as Markdown, CSV and LaTeX', async () => {
    const base = join(dir, 'base.csv');
    let r = await runCli(['baseline', '--split', 'test2', '--method', '12-doctor-turns', '--out', base, '--corpus', DATA]);
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['results', '--gold', 'test2', '--corpus', DATA, base, BIOBART, '--names', 'turns,BioBART']);
    assert.equal(r.code, 0, r.stderr);
    // BioBART's published full-note ROUGE-1 on test2 is 39.20 (the conformance figures).
    assert.match(r.stdout, /\| BioBART \| 39\.20 \[\d\d\.\d\d, \d\d\.\d\d\] [+-]\d+\.\d\d\**/);
    assert.match(r.stdout, /40 notes\. Each cell: mean F1 × 100 \[bootstrap 95% CI, 1000 resamples\]/);
    r = await runCli(['results', '--gold', 'test2', '--corpus', DATA, base, BIOBART, '--format', 'csv', '--out', join(dir, 't.csv')]);
    assert.equal(r.code, 0, r.stderr);
    const csv = readFileSync(join(dir, 't.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 1 + 2 * 8);
    assert.match(csv.find((l) => l.startsWith('BioBART_clinicalnlp_taskC_test2_full,rouge1,'))!, /,39\.20,/);
    r = await runCli(['results', '--gold', 'test2', '--corpus', DATA, base, BIOBART, '--format', 'tex']);
    assert.match(r.stdout, /\\begin\{tabular\}/);
    assert.match(r.stdout, /BioBART\\_clinicalnlp\\_taskC\\_test2\\_full/);
  });
});
