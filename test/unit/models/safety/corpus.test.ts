import assert from 'node:assert/strict';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/paths';
import { loadSplit, type Encounter } from '../../../../datasets/index';
import { PLANT_KINDS, indexDialogue, measureFaithfulness, measureIdentifierGuard, plantUnsupported, traceFaithfulness } from '../../../../models/safety/index';

const DATA = join(projectRoot(), '..', 'shared', 'aci-bench', 'challenge_data');

describe('models/safety: measured on planted data built from the ACI-BENCH test notes (test1-3)', function () {
  this.timeout(300_000);
  let test: Encounter[];
  let measured: ReturnType<typeof measureFaithfulness> | undefined;
  const faithfulness = () => (measured ??= measureFaithfulness(test));
  before(() => (test = (['test1', 'test2', 'test3'] as const).flatMap((s) => loadSplit(s, DATA).encounters)));

  it('plants the same details for the same seed, each into one sentence, and really changes it', () => {
    const e = test[0]!;
    const index = indexDialogue(e.dialogue);
    const a = plantUnsupported(e.note, index, 3);
    assert.deepEqual(plantUnsupported(e.note, index, 3), a);
    assert.ok(a.length >= 4, `only ${a.length} plants`);
    for (const p of a) {
      assert.notEqual(p.note, e.note);
      assert.equal(p.note.slice(p.at, p.at + p.planted.length), p.planted);
      assert.equal(e.note.slice(p.original.start, p.original.end), p.original.text);
    }
  });

  it('faithfulness: flags at most 15% of the sentences of the unmodified reference notes', () => {
    const m = faithfulness();
    assert.equal(m.notes, 120);
    assert.ok(m.sentences > 4000, `${m.sentences} sentences`);
    assert.ok(m.flaggedRate <= 0.15, `flagged ${(100 * m.flaggedRate).toFixed(1)}% of reference sentences`);
  });

  it('faithfulness: catches at least 90% of planted details, each kind at least 80% (the issue targets)', () => {
    const m = faithfulness();
    for (const k of PLANT_KINDS) {
      assert.ok(m.planted[k].planted >= 150, `${k}: ${m.planted[k].planted} planted`);
      assert.ok(m.planted[k].rate >= 0.8, `${k}: caught ${(100 * m.planted[k].rate).toFixed(1)}%`);
    }
    assert.ok(m.caughtRate >= 0.9, `overall: caught ${(100 * m.caughtRate).toFixed(1)}%`);
  });

  it('faithfulness: a planted sentence whose original was not flagged is flagged in the changed note (whole-note tracing agrees)', () => {
    const e = test[5]!;
    const index = indexDialogue(e.dialogue);
    const flagged = new Set(traceFaithfulness(index, e.note).filter((s) => !s.supported).map((s) => s.start));
    const p = plantUnsupported(e.note, index, 1).find((x) => x.kind === 'medication' && !flagged.has(x.original.start))!;
    assert.ok(p, 'a medication plant in an unflagged sentence');
    const s = traceFaithfulness(index, p.note).find((x) => x.start <= p.at && p.at <= x.end)!;
    assert.equal(s.supported, false);
    assert.ok(s.issues.some((i) => i.kind === 'medication' && i.text.toLowerCase() === p.planted.toLowerCase()), JSON.stringify(s.issues));
  });

  it('identifier guard: removes >= 98% of planted identifiers (each kind >= 95%) and keeps >= 90% of the other words', () => {
    const m = measureIdentifierGuard(test);
    assert.equal(m.plantedTotal, 120 * 7 * 2);
    assert.ok(m.removedRate >= 0.98, `removed ${(100 * m.removedRate).toFixed(1)}%`);
    for (const [k, r] of Object.entries(m.planted)) assert.ok(r.rate >= 0.95, `${k}: removed ${(100 * r.rate).toFixed(1)}%`);
    assert.ok(m.keptRate >= 0.9, `kept ${(100 * m.keptRate).toFixed(1)}% of other words`);
  });
});
