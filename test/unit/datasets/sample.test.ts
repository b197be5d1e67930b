import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPLIT_FILES, loadSplit } from '../../../datasets/index';
import { divideNote } from '../../../datasets/index';
import { parseTurns } from '../../../datasets/index';
import { SPLITS } from '../../../datasets/index';
import { ACI_DATA, SAMPLE, requireCorpus } from './helpers';

describe('datasets/sample (the shipped synthetic corpus)', () => {
  it('has every split file, its metadata and a README', () => {
    for (const s of SPLITS) {
      assert.ok(existsSync(join(SAMPLE, SPLIT_FILES[s])), s);
      assert.ok(existsSync(join(SAMPLE, SPLIT_FILES[s].replace('.csv', '_metadata.csv'))), s);
    }
    assert.match(readFileSync(join(SAMPLE, 'README.md'), 'utf8'), /synthetic/i);
  });

  it('looks like ACI-BENCH: subsets, speaker tags, ASR spacing, section headers, metadata', () => {
    const sizes = SPLITS.map((s) => loadSplit(s, SAMPLE).encounters.length);
    assert.deepEqual(sizes, [3, 2, 2, 2, 2]);
    for (const s of SPLITS) {
      for (const e of loadSplit(s, SAMPLE).encounters) {
        assert.ok(['virtassist', 'virtscribe', 'aci'].includes(e.dataset));
        const p = parseTurns(e.dialogue);
        assert.deepEqual(p.untaggedLines, [], e.encounterId);
        assert.ok(p.turns.some((t) => t.speaker === 'doctor') && p.turns.some((t) => t.speaker === 'patient'));
        assert.match(e.dialogue, / , /);
        const d = divideNote(e.note);
        assert.ok(d.subjective && d.objective_exam && d.assessment_and_plan, e.encounterId);
        assert.match(e.note, /^CHIEF COMPLAINT\n/);
        assert.ok(e.metadata?.patient_age, e.encounterId);
      }
    }
  });

  it('shares no dialogue line or note sentence with the real ACI-BENCH corpus', () => {
    requireCorpus();
    const real = new Set<string>();
    for (const s of SPLITS) {
      for (const e of loadSplit(s, ACI_DATA).encounters) {
        for (const l of e.dialogue.split('\n')) real.add(l.trim());
        for (const l of e.note.split(/(?<=\.)\s+|\n/)) real.add(l.trim());
      }
    }
    const shared: string[] = [];
    for (const s of SPLITS) {
      for (const e of loadSplit(s, SAMPLE).encounters) {
        for (const l of [...e.dialogue.split('\n'), ...e.note.split(/(?<=\.)\s+|\n/)].map((x) => x.trim())) {
          // Short stock phrases ("[patient] okay .", "Cough.") are allowed; anything longer must be ours.
          if (l.split(' ').length > 4 && real.has(l)) shared.push(l);
        }
      }
    }
    assert.deepEqual(shared, []);
  });
});
