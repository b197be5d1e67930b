/**
 * Finding the reference note of a dialogue: the encounters of every split of the configured
 * corpus, and which one (if any) a dialogue in the editor belongs to — the same dialogue text, or
 * an encounter id in the file's name. Plain Node: no `vscode` import.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadSplit, resolveCorpusDir, SPLIT_FILES } from '../../datasets/index';
import { SPLITS, type Encounter, type SplitName } from '../../datasets/index';

/** An encounter and the split it belongs to. */
export interface CorpusEncounter {
  split: SplitName;
  encounter: Encounter;
}

/** The splits a corpus folder has (CSV or JSON form), in ACI-BENCH's order. */
export function availableSplits(corpusDir: string): SplitName[] {
  return SPLITS.filter((s) => {
    const f = join(corpusDir, SPLIT_FILES[s]);
    return existsSync(f) || existsSync(f.replace(/\.csv$/, '.json'));
  });
}

/**
 * Every encounter of every split in a corpus folder (resolved like the CLI's --corpus: a folder,
 * or a clone holding challenge_data/; empty means ACI_BENCH_DIR, else the shipped sample).
 */
export function loadCorpusEncounters(corpusFolder?: string): { corpusDir: string; encounters: CorpusEncounter[] } {
  const corpusDir = resolveCorpusDir(corpusFolder || undefined);
  const encounters: CorpusEncounter[] = [];
  for (const split of availableSplits(corpusDir)) {
    for (const encounter of loadSplit(split, corpusDir).encounters) encounters.push({ split, encounter });
  }
  return { corpusDir, encounters };
}

/**
 * A dialogue reduced to its words, so the same conversation matches whether it was copied from a
 * CSV cell (surrounding quotes, doubled "" quotes, \r\n) or from a plain text file.
 */
export function normalizeDialogue(text: string): string {
  let t = text.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1).replace(/""/g, '"');
  return t.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** How a reference was found. */
export type ReferenceMatch = 'dialogue' | 'file name' | 'given';

/**
 * The corpus encounter a dialogue belongs to: first one whose dialogue is the same text (see
 * `normalizeDialogue`), else one whose encounter id appears as a word in the file name (e.g.
 * `D2N068.txt`, `SYN003-dialogue.txt`). Undefined when neither matches.
 */
export function findReference(text: string, fileName: string | undefined, all: readonly CorpusEncounter[]): (CorpusEncounter & { matchedBy: ReferenceMatch }) | undefined {
  const wanted = normalizeDialogue(text);
  if (wanted) {
    const same = all.find((c) => normalizeDialogue(c.encounter.dialogue) === wanted);
    if (same) return { ...same, matchedBy: 'dialogue' };
  }
  if (fileName) {
    const words = new Set(basename(fileName).split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toUpperCase()));
    const byId = all.find((c) => c.encounter.encounterId !== '' && words.has(c.encounter.encounterId.toUpperCase()));
    if (byId) return { ...byId, matchedBy: 'file name' };
  }
  return undefined;
}

/** The encounter with an id (optionally in one split). */
export function findEncounter(all: readonly CorpusEncounter[], encounterId: string, split?: string): CorpusEncounter | undefined {
  return all.find((c) => c.encounter.encounterId === encounterId && (!split || c.split === split));
}
