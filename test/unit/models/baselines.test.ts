import assert from 'node:assert/strict';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { loadSplit } from '../../../datasets/index';
import { BASELINE_METHODS, PAPER_TEST1_ROUGE1, baselineNote, baselinePredictions } from '../../../models/baselines';
import { evaluateNotes, type GroupScores } from '../../../models/eval/index';

const DATA = join(projectRoot(), '..', 'shared', 'aci-bench', 'challenge_data');

const dialogue = ['[doctor] hi there', '[patient] my knee hurts a lot since monday', 'it is swollen', '[doctor] ok', ...Array.from({ length: 14 }, (_, k) => `[${k % 2 ? 'patient' : 'doctor'}] turn ${k}`)].join('\n');

describe('models/baselines: the ACI-BENCH paper\'s copy baselines', () => {
  it('builds each baseline note from the dialogue turns, without speaker tags', () => {
    assert.equal(baselineNote(dialogue, 'transcript'), dialogue);
    assert.equal(baselineNote(dialogue, 'longest-speaker-turn'), 'my knee hurts a lot since monday\nit is swollen');
    assert.equal(baselineNote(dialogue, 'longest-doctor-turn'), 'hi there', 'the longest doctor turn by words; ties keep the first');
    const twelve = baselineNote(dialogue, '12-speaker-turns').split('\n\n');
    assert.equal(twelve.length, 12);
    assert.deepEqual(twelve.slice(0, 3), ['hi there', 'my knee hurts a lot since monday\nit is swollen', 'turn 4']);
    assert.equal(twelve.at(-1), 'turn 13');
    const doc = baselineNote(dialogue, '12-doctor-turns').split('\n\n');
    assert.deepEqual(doc, ['hi there', 'ok', 'turn 0', 'turn 2', 'turn 4', 'turn 6', 'turn 8', 'turn 10', 'turn 12']);
  });

  it('reproduces the paper\'s test1 ROUGE-1 figures within 1.0 (longest speaker turn 27.84, 12 doctor turns 35.88)', async () => {
    const gold = loadSplit('test1', DATA).encounters;
    const got: Record<string, number> = {};
    for (const m of BASELINE_METHODS) got[m] = 100 * (((await evaluateNotes(gold, baselinePredictions(gold, m))).results.ALL as GroupScores).rouge1!);
    assert.ok(Math.abs(got['longest-speaker-turn']! - 27.84) <= 1.0, `longest speaker turn: ${got['longest-speaker-turn']}`);
    assert.ok(Math.abs(got['12-doctor-turns']! - 35.88) <= 1.0, `12 doctor turns: ${got['12-doctor-turns']}`);
    for (const [m, paper] of Object.entries(PAPER_TEST1_ROUGE1)) assert.ok(Math.abs(got[m]! - paper) <= 1.0, `${m}: ${got[m]} vs paper ${paper}`);
  });
});
