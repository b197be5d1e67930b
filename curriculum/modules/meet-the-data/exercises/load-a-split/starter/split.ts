import { loadSplit } from 'medigen-lab';

/**
 * How many encounters a split has.
 * `split` is a split name such as 'train'; `corpusDir` is the corpus folder (leave it out to use
 * the default corpus).
 */
export function countEncounters(split: string, corpusDir?: string): number {
  const loaded = loadSplit(split, corpusDir);
  // TODO: return how many encounters `loaded.encounters` holds.
  throw new Error(`TODO: count the encounters of ${loaded.name}`);
}

/**
 * How many encounters come from each subset (the `dataset` field), e.g.
 * { aci: 2, virtassist: 3, virtscribe: 1 }.
 */
export function encountersPerSubset(split: string, corpusDir?: string): Record<string, number> {
  const counts: Record<string, number> = {};
  // TODO: load the split, then for each encounter add 1 to counts[encounter.dataset].
  throw new Error(`TODO: count encounters per subset of ${split} in ${corpusDir ?? 'the default corpus'} (so far: ${JSON.stringify(counts)})`);
}
