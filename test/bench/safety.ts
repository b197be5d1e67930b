/**
 * "Is this note safe?" benchmark: faithfulness tracing and the identifier guard, measured on
 * planted data built from the ACI-BENCH test notes and dialogues (test1-3, 120 encounters; see
 * models/safety/plant.ts and plantIdentifiers.ts). Targets are the issue's: faithfulness catches
 * >= 90% of planted details (each kind >= 80%) while flagging <= 15% of reference sentences; the
 * guard removes >= 98% of planted identifiers (each kind >= 95%) and keeps >= 90% of other words.
 */
import { join } from 'node:path';
import { projectRoot } from '../../core/paths';
import { loadSplit } from '../../datasets/index';
import { PLANT_KINDS, measureFaithfulness, measureIdentifierGuard } from '../../models/safety/index';
import type { BenchResult } from './rouge';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function benchSafety(corpusDir = join(projectRoot(), '..', 'shared', 'aci-bench')): Promise<BenchResult[]> {
  const data = join(corpusDir, 'challenge_data');
  const splits = (['test1', 'test2', 'test3'] as const).map((s) => [s, loadSplit(s, data).encounters] as const);
  const test = splits.flatMap(([, e]) => e);
  const f = measureFaithfulness(test);
  // Each split on its own too: the rules were developed looking at test1 (and train, valid); test2 and test3 were only measured.
  const perSplit = splits
    .map(([s, e]) => {
      const m = measureFaithfulness(e);
      return `${s}${s === 'test1' ? ' (development)' : ''} ${pct(m.caughtRate)} (${PLANT_KINDS.map((k) => `${k} ${pct(m.planted[k].rate)}`).join(', ')}; flagged ${pct(m.flaggedRate)})`;
    })
    .join('; ');
  const kinds = PLANT_KINDS.map((k) => `${k} ${f.planted[k].caught}/${f.planted[k].planted} (${pct(f.planted[k].rate)})`).join(', ');
  const fOk = f.caughtRate >= 0.9 && PLANT_KINDS.every((k) => f.planted[k].rate >= 0.8) && f.flaggedRate <= 0.15;
  const faith: BenchResult = {
    name: 'faithfulness',
    ok: fOk,
    line:
      `Faithfulness (test1-3, ${f.notes} notes): caught ${f.caughtTotal}/${f.plantedTotal} planted details (${pct(f.caughtRate)}, target >= 90%): ${kinds} (each target >= 80%); ` +
      `flagged ${f.flagged}/${f.sentences} reference sentences (${pct(f.flaggedRate)}, target <= 15%); ${f.msPerNote.toFixed(1)} ms per note. Per split, caught: ${perSplit}`,
    figures: { caughtRate: f.caughtRate, flaggedRate: f.flaggedRate, msPerNote: f.msPerNote, ...Object.fromEntries(PLANT_KINDS.map((k) => [`caught_${k}`, f.planted[k].rate])) },
  };
  const g = measureIdentifierGuard(test);
  const gKinds = Object.entries(g.planted).map(([k, r]) => `${k} ${r.removed}/${r.planted}`).join(', ');
  const guard: BenchResult = {
    name: 'identifier guard',
    ok: g.removedRate >= 0.98 && Object.values(g.planted).every((r) => r.rate >= 0.95) && g.keptRate >= 0.9,
    line: `Identifier guard (test1-3, ${g.dialogues} dialogues): removed ${g.removedTotal}/${g.plantedTotal} planted identifiers (${pct(g.removedRate)}, target >= 98%): ${gKinds} (each target >= 95%); kept ${pct(g.keptRate)} of ${g.otherWords} other words (target >= 90%)`,
    figures: { removedRate: g.removedRate, keptRate: g.keptRate },
  };
  return [faith, guard];
}
