/**
 * The retrieval baseline's search: for a new dialogue, find the most similar dialogue of a pool of
 * encounters that have notes, and reuse that encounter's note.
 *
 * How similarity is measured (so a student can reproduce it by hand):
 * - Words: the dialogue in lower case, speaker tags such as `[doctor]` removed, split at every
 *   character outside a-z and 0-9 (the same word rule ROUGE uses).
 * - Score: BM25 (the BM25+ variant, k1 = 1.2, b = 0.7, δ = 0.5), computed by the MiniSearch
 *   library (npm `minisearch`) over the pool's dialogues. The whole new dialogue is the query;
 *   a word said n times in it counts n times (MiniSearch's `boostTerm`), which equals querying
 *   every occurrence.
 * - The pool encounter with the highest score wins (ties: the earlier one in the pool).
 *
 * The pool is the train and valid splits (retrievalPool). The encounters being written are always
 * taken out of the pool (same encounter id or the same dialogue text), so a split never retrieves
 * its own reference notes: for test1-3 the pool is all of train + valid; for valid it is train.
 */
import MiniSearch from 'minisearch';
import { MedigenError } from '../core/index';
import { loadSplit, resolveCorpusDir, type Encounter } from '../datasets/index';

/** The splits whose notes the retrieval baseline may return. Never a test split. */
export const RETRIEVAL_POOL_SPLITS = ['train', 'valid'] as const;

/** The words of a text as the retrieval baseline compares them (see the file comment). */
export function retrievalWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\[[^\]\n]*\]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The train and valid encounters of a corpus folder (ACI_BENCH_DIR or the sample when not given). */
export function retrievalPool(corpusDir?: string): Encounter[] {
  const dir = resolveCorpusDir(corpusDir);
  return RETRIEVAL_POOL_SPLITS.flatMap((s) => loadSplit(s, dir).encounters);
}

export interface RetrievalMatch {
  /** The pool encounter whose dialogue is most similar; its note is the prediction. */
  encounter: Encounter;
  /** The BM25 score (higher is more similar; only comparable within one query). */
  score: number;
}

interface Doc {
  i: number;
  dialogue: string;
}

/** A BM25 index over a pool's dialogues. Build once, then ask `nearest` for each new dialogue. */
export class RetrievalIndex {
  /** The pool encounters that may be returned, after the exclusions. */
  readonly pool: readonly Encounter[];
  private readonly search: MiniSearch<Doc>;

  /**
   * @param pool encounters with notes (those with an empty note are skipped).
   * @param options.exclude encounters that must never be returned: any pool encounter with the
   *   same encounter id or the same dialogue is left out (pass the encounters being written).
   */
  constructor(pool: readonly Encounter[], options: { exclude?: readonly Encounter[] } = {}) {
    const ids = new Set((options.exclude ?? []).map((e) => e.encounterId));
    const dialogues = new Set((options.exclude ?? []).map((e) => e.dialogue.trim()));
    this.pool = pool.filter((e) => e.note.trim() !== '' && !ids.has(e.encounterId) && !dialogues.has(e.dialogue.trim()));
    if (this.pool.length === 0) {
      throw new MedigenError(
        'The retrieval baseline has no encounters to choose a note from: the pool is empty once the encounters being written are taken out.',
        'The pool is the train and valid splits of the corpus; point --corpus at a folder with train.csv and valid.csv (the ACI-BENCH challenge_data folder).',
      );
    }
    this.search = new MiniSearch<Doc>({ idField: 'i', fields: ['dialogue'], tokenize: retrievalWords, processTerm: (t) => t });
    this.search.addAll(this.pool.map((e, i) => ({ i, dialogue: e.dialogue })));
  }

  /** The pool encounter whose dialogue is most similar to `dialogue`. */
  nearest(dialogue: string): RetrievalMatch {
    const counts = new Map<string, number>();
    for (const w of retrievalWords(dialogue)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const hits = counts.size
      ? this.search.search([...counts.keys()].join(' '), { tokenize: (q) => q.split(' '), boostTerm: (term) => counts.get(term) ?? 1 })
      : [];
    let best = hits[0];
    for (const h of hits) if (h.score === best!.score && (h.id as number) < (best!.id as number)) best = h;
    // A dialogue sharing no word with the pool still gets a note: the first pool encounter's.
    return best ? { encounter: this.pool[best.id as number]!, score: best.score } : { encounter: this.pool[0]!, score: 0 };
  }
}
