import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { loadSplit, readCsvEncounters } from '../../../../datasets/index';
import { baselinePredictions, predictionsCsv } from '../../../../models/baselines';
import { evaluateNotes, ROUGE_TYPES, type GroupScores } from '../../../../models/eval/index';

const ACI = join(projectRoot(), '..', 'shared', 'aci-bench');
const DATA = join(ACI, 'challenge_data');

describe('models/eval: conformance with ACI-BENCH on the real corpus', () => {
  it('reproduces every ROUGE figure of the official BioBART test2 results (1e-9), keys included', async () => {
    const official = JSON.parse(readFileSync(join(ACI, 'conformance', 'BioBART_clinicalnlp_taskC_test2_full.official.json'), 'utf8')) as Record<string, number | GroupScores>;
    const gold = loadSplit('test2', DATA);
    const preds = readCsvEncounters(join(ACI, 'conformance', 'BioBART_clinicalnlp_taskC_test2_full.csv')).encounters;
    const ev = await evaluateNotes(gold.encounters, preds.map((p) => ({ encounterId: p.encounterId, note: p.note })));
    assert.equal(ev.matchedBy, 'encounter_id');
    assert.deepEqual(Object.keys(ev.results).sort(), Object.keys(official).sort(), 'same keys as the official results');
    assert.equal(ev.results.num_test, official.num_test);
    // Subsets and divisions come in the official order (first appearance, tagger order).
    const ordered = (o: object) => Object.keys(o).filter((k) => /^(dataset|division)-/.test(k));
    assert.deepEqual(ordered(ev.results), ordered(official));
    let compared = 0;
    for (const [key, want] of Object.entries(official)) {
      if (key === 'num_test') continue;
      for (const t of ROUGE_TYPES) {
        const got = (ev.results[key] as GroupScores)[t]!;
        assert.ok(Math.abs(got - (want as GroupScores)[t]!) <= 1e-9, `${key} ${t}: got ${got}, official ${(want as GroupScores)[t]}`);
        compared++;
      }
    }
    assert.equal(compared, 71 * 4);
    assert.ok('patient_gender-male (support:3)' in ev.results, 'a trailing space in the metadata value makes its own group');
    assert.ok('2nd_complaints-#####EMPTY#####(support:14)' in ev.results);
  });

  it('matches the Python reference scripts run as subprocesses on other predictions (test1, a baseline)', async function () {
    this.timeout(300_000); // the pure-Python reference is slow, on purpose (it is the benchmark's peer)
    const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    assert.equal(py.status, 0, 'python3 is needed for this cross-check (it is part of the project\'s test requirements)');
    const gold = loadSplit('test1', DATA);
    const preds = baselinePredictions(gold.encounters, 'longest-speaker-turn');
    const dir = mkdtempSync(join(tmpdir(), 'medigen-eval-'));
    try {
      const predFile = join(dir, 'pred.csv');
      writeFileSync(predFile, predictionsCsv(preds));
      const run = (script: string) => {
        const r = spawnSync('python3', [join(ACI, 'reference', script), gold.file, predFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as Record<string, number> & Record<string, GroupScores>;
      };
      const full = run('rouge_reference.py');
      const sections = run('sections_reference.py');
      const ev = await evaluateNotes(gold.encounters, preds);
      for (const t of ROUGE_TYPES) assert.ok(Math.abs((ev.results.ALL as GroupScores)[t]! - full[t]!) <= 1e-9, `ALL ${t}`);
      for (const [key, want] of Object.entries(sections)) {
        for (const t of ROUGE_TYPES) assert.ok(Math.abs((ev.results[key] as GroupScores)[t]! - (want as GroupScores)[t]!) <= 1e-9, `${key} ${t}`);
      }
      assert.equal(Object.keys(sections).length, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
