/** Paths shared by the datasets tests. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { sampleCorpusDir } from '../../../datasets/index';

/** The real ACI-BENCH corpus (CI has it at ../shared/aci-bench). */
export const ACI_ROOT = join(projectRoot(), '..', 'shared', 'aci-bench');
export const ACI_DATA = join(ACI_ROOT, 'challenge_data');

/** The broken CSV fixtures. */
export const FIXTURES = join(projectRoot(), 'test', 'fixtures', 'datasets');

/** Fails loudly (never skips) when the real corpus is missing: these tests are part of CI. */
export function requireCorpus(): string {
  if (!existsSync(join(ACI_DATA, 'train.csv'))) throw new Error(`The real ACI-BENCH corpus is missing at ${ACI_ROOT}; the datasets tests need it.`);
  return ACI_DATA;
}

/** The shipped sample corpus, named explicitly so an ACI_BENCH_DIR in the environment does not change it. */
export const SAMPLE = sampleCorpusDir();
