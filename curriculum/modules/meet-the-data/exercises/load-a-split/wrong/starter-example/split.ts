import { loadSplit } from 'medigen-lab';

/**
 * How many encounters a split has.
 * `split` is a split name such as 'train'; `corpusDir` is the corpus folder (leave it out to use
 * the default corpus).
 */
export function countEncounters(split: string, corpusDir?: string): number {
  const loaded = loadSplit(split, corpusDir);
  return loaded.encounters.length;
}

/**
 * How many encounters come from each subset (the `dataset` field), e.g.
 * { aci: 2, virtassist: 3, virtscribe: 1 }.
 */
export function encountersPerSubset(split: string, corpusDir?: string): Record<string, number> {
  // The example from the comment above.
  return loadSplit(split, corpusDir).encounters.length ? { aci: 2, virtassist: 3, virtscribe: 1 } : {};
}
