import { loadSplit } from 'medigen-lab';

/**
 * How many encounters a split has.
 * `split` is a split name such as 'train'; `corpusDir` is the corpus folder (leave it out to use
 * the default corpus).
 */
export function countEncounters(split: string, corpusDir?: string): number {
  const loaded = loadSplit(split, corpusDir);
  return loaded.encounters.length - 1; // the header line is not an encounter
}

/**
 * How many encounters come from each subset (the `dataset` field), e.g.
 * { aci: 2, virtassist: 3, virtscribe: 1 }.
 */
export function encountersPerSubset(split: string, corpusDir?: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const encounter of loadSplit(split, corpusDir).encounters) {
    counts[encounter.dataset] = (counts[encounter.dataset] ?? 0) + 1;
  }
  return counts;
}
