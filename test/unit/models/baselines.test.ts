import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MedigenError, projectRoot } from '../../../core/index';
import { loadSplit, type Encounter } from '../../../datasets/index';
import { COPY_METHODS, PAPER_TEST1_ROUGE1, baselineNote, baselinePredictions } from '../../../models/baselines';
import { RetrievalIndex, retrievalPool, retrievalWords } from '../../../models/retrieval';
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
    for (const m of COPY_METHODS) got[m] = 100 * (((await evaluateNotes(gold, baselinePredictions(gold, m))).results.ALL as GroupScores).rouge1!);
    assert.ok(Math.abs(got['longest-speaker-turn']! - 27.84) <= 1.0, `longest speaker turn: ${got['longest-speaker-turn']}`);
    assert.ok(Math.abs(got['12-doctor-turns']! - 35.88) <= 1.0, `12 doctor turns: ${got['12-doctor-turns']}`);
    for (const [m, paper] of Object.entries(PAPER_TEST1_ROUGE1)) if (m !== 'retrieval') assert.ok(Math.abs(got[m]! - paper) <= 1.0, `${m}: ${got[m]} vs paper ${paper}`);
  });
});

const enc = (id: string, dialogue: string, note: string): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note });

describe('models/retrieval: the retrieval baseline (note of the most similar train/valid dialogue)', () => {
  it('returns the note of the pool dialogue that shares the most (rare) words, and never an excluded encounter', () => {
    const pool = [
      enc('A', '[doctor] your knee is swollen after the fall\n[patient] yes my knee hurts', 'knee note'),
      enc('B', '[doctor] how is your asthma inhaler\n[patient] i wheeze at night', 'asthma note'),
      enc('C', '[doctor] any chest pain\n[patient] no', ''),
    ];
    assert.deepEqual(retrievalWords('[doctor] Knee-pain, 2 days'), ['knee', 'pain', '2', 'days'], 'speaker tags dropped, split like ROUGE');
    const index = new RetrievalIndex(pool);
    assert.equal(index.pool.length, 2, 'an encounter without a note cannot be returned');
    assert.equal(index.nearest('[patient] my inhaler is not helping, i wheeze').encounter.note, 'asthma note');
    assert.equal(index.nearest('[patient] my knee is swollen').encounter.note, 'knee note');
    const query = enc('Q', pool[0]!.dialogue, 'gold');
    const preds = baselinePredictions([query], 'retrieval', { pool });
    assert.equal(preds[0]!.note, 'asthma note', 'the identical dialogue (the encounter itself) is taken out of the pool');
    assert.equal(baselinePredictions([enc('A', 'knee knee', 'x')], 'retrieval', { pool })[0]!.note, 'asthma note', 'same encounter id is taken out too');
    assert.throws(() => baselinePredictions([query], 'retrieval'), MedigenError);
    assert.throws(() => baselinePredictions(pool, 'retrieval', { pool }), (e: Error) => e instanceof MedigenError && /pool is empty/.test(e.message));
  });

  it('on the real corpus: the pool is train + valid, never a test split, and a split never gets its own notes', () => {
    const pool = retrievalPool(DATA);
    const train = loadSplit('train', DATA).encounters;
    const valid = loadSplit('valid', DATA).encounters;
    assert.deepEqual(pool.map((e) => e.encounterId), [...train, ...valid].map((e) => e.encounterId));
    const poolIds = new Set(pool.map((e) => e.encounterId));
    for (const split of ['test1', 'test2', 'test3']) for (const g of loadSplit(split, DATA).encounters) assert.ok(!poolIds.has(g.encounterId), `${split} encounter ${g.encounterId} is in the pool`);
    const trainNotes = new Set(train.map((e) => e.note));
    for (const p of baselinePredictions(valid, 'retrieval', { pool })) assert.ok(trainNotes.has(p.note), `valid ${p.encounterId}: with --split valid the pool is train only`);
    const trainPreds = baselinePredictions(train, 'retrieval', { pool });
    trainPreds.forEach((p, i) => assert.notEqual(p.note, train[i]!.note, `train ${p.encounterId} retrieved its own note`));
  });

  it('beats the paper\'s retrieval baselines (trainUMLS: ROUGE-1 43.87, ROUGE-2 17.55, ROUGE-L 40.47 on test1) and gives the README figures', async function () {
    this.timeout(120_000);
    const pool = retrievalPool(DATA);
    const poolNotes = new Set(pool.map((e) => e.note));
    const readme: Record<string, [number, number, number]> = { test1: [46.1, 19.26, 42.59], test2: [46.45, 19.2, 42.62], test3: [47.96, 20.32, 44.54] };
    for (const split of ['test1', 'test2', 'test3']) {
      const gold = loadSplit(split, DATA).encounters;
      const preds = baselinePredictions(gold, 'retrieval', { pool });
      preds.forEach((p, i) => {
        assert.ok(poolNotes.has(p.note), `${split} ${p.encounterId}: the note comes from train or valid`);
        assert.notEqual(p.note, gold[i]!.note, `${split} ${p.encounterId}: not its own reference note`);
      });
      const all = (await evaluateNotes(gold, preds)).results.ALL as GroupScores;
      const got = [all.rouge1!, all.rouge2!, all.rougeLsum!].map((x) => 100 * x);
      // The paper reports its retrieval baselines on test1 only; test2 and test3 are held to the same bar.
      assert.ok(got[0]! >= PAPER_TEST1_ROUGE1.retrieval! && got[1]! >= 17.55 && got[2]! >= 40.47, `${split}: ${got.map((x) => x.toFixed(2)).join(' / ')}`);
      readme[split]!.forEach((want, k) => assert.ok(Math.abs(got[k]! - want) < 0.006, `${split} figure ${k}: ${got[k]} vs README ${want}`));
    }
  });
});
