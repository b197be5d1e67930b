import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { loadSplit, writeCsv } from '../../../datasets/index';
import { ReviewSession, type Rating } from '../../../models/review/index';
import { runCli } from '../../helpers/cli';

const corpus = join(projectRoot(), 'datasets', 'sample');

describe('medigen review summary', () => {
  let dir: string;
  let alice: string;
  let bob: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-reviewcli-'));
    const valid = loadSplit('valid', corpus).encounters;
    const full = join(dir, 'full.csv');
    const short = join(dir, 'short.csv');
    writeFileSync(full, writeCsv(['encounter_id', 'note'], valid.map((e) => [e.encounterId, e.note])));
    writeFileSync(short, writeCsv(['encounter_id', 'note'], valid.map((e) => [e.encounterId, e.note.slice(0, 200)])));
    // Two reviewers rate the same 2 encounters × 2 systems through real sessions.
    const rate = (reviewer: string, by: (system: string, k: number) => Rating) => {
      const out = join(dir, `${reviewer}.json`);
      const s = ReviewSession.open({ reviewer, predictions: [{ file: full }, { file: short }], gold: 'valid', corpus, out, limit: 2 });
      s.items.forEach((it, k) => s.update(k, { rating: by(it.system, k), ...(it.system === 'short' ? { errors: [{ kind: 'omission' as const }] } : {}) }));
      return out;
    };
    alice = rate('alice', (sys) => (sys === 'full' ? 'usable-as-is' : 'major-edits'));
    bob = rate('bob', (sys, k) => (sys === 'full' ? (k < 2 ? 'usable-as-is' : 'minor-edits') : 'major-edits'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the share usable as is, errors, the preferred system and the kappa', async () => {
    const r = await runCli(['review', 'summary', alice, bob]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Reviewers: alice, bob/);
    // 8 ratings: alice full 2× usable; bob full usable for one encounter, minor for the other.
    assert.match(r.stdout, /Usable without corrections: 37\.5% \(3 of 8 rated notes/);
    assert.match(r.stdout, /omission 4, unsupported-statement 0, wrong-section 0/);
    assert.match(r.stdout, /Preferred \(4 note\(s\) rated for both systems\): full 4, short 0, ties 0\. Overall: full\./);
    assert.match(r.stdout, /Agreement alice vs bob: Cohen's kappa 0\.600 \(moderate\) on 4 note\(s\)/);
  });

  it('--json prints the summary object', async () => {
    const r = await runCli(['review', 'summary', alice, bob, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.overall.rated, 8);
    assert.equal(s.bySystem.short.usableShare, 0);
    assert.equal(s.preference.preferred, 'full');
    assert.equal(s.agreement[0].n, 4);
    assert.ok(Math.abs(s.agreement[0].kappa - 0.6) < 1e-12);
  });

  it('explains a missing or foreign file (exit 1) and no file (exit 2)', async () => {
    const missing = await runCli(['review', 'summary', join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    const foreign = await runCli(['review', 'summary', other]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /not a MediGen review file/);
    assert.equal((await runCli(['review', 'summary'])).code, 2);
  });
});
