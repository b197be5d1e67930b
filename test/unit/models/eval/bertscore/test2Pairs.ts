import { join } from 'node:path';
import { MedigenError } from '../../../../../core/index';
import { projectRoot } from '../../../../../core/index';
import { readCsvEncounters } from '../../../../../datasets/index';

/** ACI-BENCH test2 gold notes and BioBART's predictions, paired by encounter id (the files differ in order). */
export function test2Pairs(): { ids: string[]; refs: string[]; cands: string[] } {
  const aci = join(projectRoot(), '..', 'shared', 'aci-bench');
  const gold = readCsvEncounters(join(aci, 'challenge_data', 'clinicalnlp_taskC_test2.csv')).encounters;
  const pred = new Map(readCsvEncounters(join(aci, 'conformance', 'BioBART_clinicalnlp_taskC_test2_full.csv')).encounters.map((e) => [e.encounterId, e.note]));
  const cands = gold.map((e) => {
    const p = pred.get(e.encounterId);
    if (p === undefined) throw new MedigenError(`BioBART has no prediction for ${e.encounterId}.`, 'Check ../shared/aci-bench/conformance.');
    return p;
  });
  return { ids: gold.map((e) => e.encounterId), refs: gold.map((e) => e.note), cands };
}
