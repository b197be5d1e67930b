import assert from 'node:assert/strict';
import { MedigenError } from '../../../../core/index';
import type { Encounter } from '../../../../datasets/index';
import { evaluateNotes, matchPredictions, metadataGroupValue, numpyMean, rouge, sourceWordCount, type GroupScores } from '../../../../models/eval/index';

const enc = (id: string, dataset: string, note: string, words = 600, metadata?: Record<string, string>): Encounter => ({
  dataset,
  encounterId: id,
  dialogue: Array.from({ length: words }, () => 'w').join(' '),
  note,
  ...(metadata ? { metadata } : {}),
});

const gold = [
  enc('D1', 'aci', 'CHIEF COMPLAINT\nKnee pain.\nASSESSMENT AND PLAN\nRest and ice.', 600, { patient_gender: 'male ', cc: 'knee pain', '2nd_complaints': '' }),
  enc('D2', 'virtscribe', 'HPI\nCough for two days.\nPHYSICAL EXAM\nLungs clear.', 300, { patient_gender: 'female', cc: 'cough', '2nd_complaints': 'NA' }),
  enc('D3', 'aci', 'HPI\nHeadache.\nRESULTS\nCT normal.', 1700, { patient_gender: 'male ', cc: 'headache', '2nd_complaints': 'none' }),
];
const preds = [
  { encounterId: 'D3', note: 'HPI\nHeadache today.\nRESULTS\nCT normal.' },
  { encounterId: 'D1', note: 'CHIEF COMPLAINT\nKnee pain.\nPLAN\nIce.' },
  { encounterId: 'D2', note: 'Cough.' },
];

function throwsMedigen(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MedigenError && pattern.test(e.message) && e.hint.length > 0);
}

describe('models/eval: matching and aggregation', () => {
  it('matches by encounter_id when every row has one, else by row order', () => {
    const m = matchPredictions(gold, preds);
    assert.equal(m.matchedBy, 'encounter_id');
    assert.deepEqual(m.predictions, [preds[1]!.note, preds[2]!.note, preds[0]!.note]);
    const r = matchPredictions(gold, preds.map((p) => ({ note: p.note })));
    assert.equal(r.matchedBy, 'row order');
    assert.equal(r.predictions[0], preds[0]!.note);
  });

  it('reports count mismatches, duplicate, missing and unknown ids with a hint', () => {
    throwsMedigen(() => matchPredictions(gold, [{ note: 'x' }]), /has 1 notes but the reference has 3/);
    throwsMedigen(() => matchPredictions(gold, [...preds, { encounterId: 'D1', note: 'again' }]), /more than one note for: D1/);
    throwsMedigen(() => matchPredictions(gold, preds.slice(1)), /1 reference encounter\(s\) have no prediction \(D3\)/);
    throwsMedigen(() => matchPredictions(gold, [...preds.slice(1), { encounterId: 'D9', note: 'x' }]), /not in the reference \(D9\)/);
    throwsMedigen(() => matchPredictions([...gold, gold[0]!], preds), /more than once: D1/);
    throwsMedigen(() => matchPredictions(gold, []), /has no notes/);
  });

  it('builds ACI-BENCH keys: subsets in order of appearance, divisions, source length, metadata groups', async () => {
    const ev = await evaluateNotes(gold, preds);
    assert.deepEqual(Object.keys(ev.results), [
      'num_test', 'ALL', 'dataset-aci', 'dataset-virtscribe',
      'division-subjective', 'division-objective_exam', 'division-objective_results', 'division-assessment_and_plan',
      'shorter-src', 'longer-src (support:2)',
      'patient_gender-male (support:2)', 'patient_gender-female(support:1)',
      'cc-knee pain(support:1)', 'cc-cough(support:1)', 'cc-headache(support:1)',
      '2nd_complaints-#####EMPTY#####(support:2)', '2nd_complaints-none(support:1)',
    ]);
    const note = (i: number) => ev.notes[i]!;
    assert.equal(note(0).full.rouge1.fmeasure, rouge(gold[0]!.note, preds[1]!.note).rouge1.fmeasure);
    const all = ev.results.ALL as GroupScores;
    assert.equal(all.rouge1, numpyMean(ev.notes.map((n) => n.full.rouge1.fmeasure)));
    assert.equal((ev.results['dataset-aci'] as GroupScores).rougeL, numpyMean([note(0).full.rougeL.fmeasure, note(2).full.rougeL.fmeasure]));
    // D2's prediction has no exam section: "#####EMPTY#####" against the reference's exam scores 0;
    // D1 and D3 lack an exam on both sides and score 1, as ACI-BENCH does.
    assert.equal(note(1).sections.objective_exam.rouge1.fmeasure, 0);
    assert.equal(note(0).sections.objective_exam.rouge1.fmeasure, 1);
    assert.deepEqual(note(1).present, { reference: ['subjective', 'objective_exam'], prediction: ['subjective'] });
    assert.equal(ev.bySourceLength.map((b) => `${b.label}:${b.support}`).join(' '), '0-999 words:2 1500-1999 words:1');
  });

  it('makes the longer-src threshold and the length bands options', async () => {
    const ev = await evaluateNotes(gold, preds, { longSourceWords: 100, sourceLengthBins: [500] });
    assert.ok('longer-src (support:3)' in ev.results);
    assert.ok(!('shorter-src' in ev.results));
    assert.deepEqual(ev.bySourceLength.map((b) => [b.label, b.support]), [['0-499 words', 1], ['500+ words', 2]]);
  });

  it('leaves out metadata groups when there is no metadata', async () => {
    const ev = await evaluateNotes(gold.map(({ metadata: _m, ...e }) => e), preds);
    assert.ok(!Object.keys(ev.results).some((k) => /^(patient_gender|cc|2nd_complaints)-/.test(k)));
  });

  it('stops between notes when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(evaluateNotes(gold, preds, { signal: ac.signal }));
  });

  it('reads metadata like pandas and counts words like Python', () => {
    assert.equal(metadataGroupValue(''), '#####EMPTY#####');
    assert.equal(metadataGroupValue('NA'), '#####EMPTY#####');
    assert.equal(metadataGroupValue('none'), 'none');
    assert.equal(metadataGroupValue('male '), 'male ');
    assert.equal(sourceWordCount('  [doctor] hi\n\n[patient]\u00a0hello  '), 4);
  });

  it('averages like numpy (pairwise summation)', () => {
    const xs = Array.from({ length: 300 }, (_, i) => 1 / (i + 3));
    const naive = xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(numpyMean(xs) - naive) < 1e-15);
    assert.equal(numpyMean([0.1, 0.2, 0.3]), (0.1 + 0.2 + 0.3) / 3);
    assert.ok(Number.isNaN(numpyMean([])));
  });
});
