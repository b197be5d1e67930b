/**
 * The arithmetic of BERTScore (Zhang et al. 2020, package `bert_score`), on token embeddings
 * that are already computed: idf weights, greedy cosine matching, and baseline rescaling.
 * Pure functions, no model: the model side lives in ./encoder.ts.
 */

/** One text after encoding: its token ids and one L2-normalised embedding row per token. */
export interface EmbeddedText {
  /** Token ids, special tokens included (as the tokenizer produced them). */
  ids: number[];
  /** `ids.length × dim` values, row-major; each row has length 1 (or is all zeros). */
  vectors: Float32Array;
  dim: number;
}

/** Precision, recall and F1 of one candidate/reference pair. */
export interface PairScore {
  precision: number;
  recall: number;
  f1: number;
}

/** Token ids whose weight bert_score forces to 0: the tokenizer's CLS and SEP tokens. */
export type SpecialIds = ReadonlySet<number>;

/**
 * Divides every row of a row-major `rows × dim` matrix by its Euclidean norm, in place.
 * An all-zero row stays zero (bert_score would produce NaN there).
 */
export function normalizeRows(vectors: Float32Array, dim: number): Float32Array {
  for (let at = 0; at < vectors.length; at += dim) {
    let sum = 0;
    for (let k = 0; k < dim; k++) sum += vectors[at + k]! * vectors[at + k]!;
    if (sum === 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let k = 0; k < dim; k++) vectors[at + k]! *= inv;
  }
  return vectors;
}

/**
 * bert_score's idf table over the references (`get_idf_dict`): for each token id,
 * log((M + 1) / (df + 1)) where M is the number of references (duplicates count) and df the
 * number of references that contain the id; ids never seen get log(M + 1). Special ids get 0.
 * Returns a lookup function.
 */
export function idfWeights(refIds: number[][], special: SpecialIds): (id: number) => number {
  const df = new Map<number, number>();
  for (const ids of refIds) for (const id of new Set(ids)) df.set(id, (df.get(id) ?? 0) + 1);
  const m = refIds.length;
  const unseen = Math.log(m + 1);
  return (id) => (special.has(id) ? 0 : df.has(id) ? Math.log((m + 1) / (df.get(id)! + 1)) : unseen);
}

/** bert_score's weights without idf: 1 for every token, 0 for the special (CLS/SEP) ids. */
export function uniformWeights(special: SpecialIds): (id: number) => number {
  return (id) => (special.has(id) ? 0 : 1);
}

/**
 * Greedy cosine matching of one pair (`greedy_cos_idf`): with S = cand · refᵀ over ALL tokens
 * (special tokens too: they can be the best match, they just carry weight 0),
 * P = Σᵢ wᶜᵢ · maxⱼ Sᵢⱼ / Σ wᶜ, R = Σⱼ wʳⱼ · maxᵢ Sᵢⱼ / Σ wʳ, F = 2PR / (P + R).
 * A 0/0 (all weights zero, or P + R = 0) gives 0 where bert_score would give NaN.
 */
export function greedyMatch(ref: EmbeddedText, cand: EmbeddedText, weight: (id: number) => number): PairScore {
  const dim = ref.dim;
  if (cand.dim !== dim) throw new Error(`greedyMatch: embedding sizes differ (${cand.dim} vs ${dim}).`);
  const nr = ref.ids.length;
  const nc = cand.ids.length;
  const bestForCand = new Float64Array(nc);
  const bestForRef = new Float64Array(nr).fill(-Infinity);
  const rv = ref.vectors;
  const cv = cand.vectors;
  for (let i = 0, ci = 0; i < nc; i++, ci += dim) {
    let best = -Infinity;
    for (let j = 0, rj = 0; j < nr; j++, rj += dim) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += cv[ci + k]! * rv[rj + k]!;
      if (s > best) best = s;
      if (s > bestForRef[j]!) bestForRef[j] = s;
    }
    bestForCand[i] = best;
  }
  const precision = weightedMean(bestForCand, cand.ids, weight);
  const recall = weightedMean(bestForRef, ref.ids, weight);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1: Number.isFinite(f1) ? f1 : 0 };
}

function weightedMean(values: Float64Array, ids: number[], weight: (id: number) => number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ids.length; i++) {
    const w = weight(ids[i]!);
    if (w === 0) continue;
    num += w * values[i]!;
    den += w;
  }
  return den === 0 ? 0 : num / den;
}

/** One row of a bert_score baseline file: the expected P, R, F of unrelated text pairs. */
export interface BaselineRow {
  layer: number;
  precision: number;
  recall: number;
  f1: number;
}

/** bert_score's rescaling `(x - b) / (1 - b)`, applied to P, R and F with their own baselines. */
export function rescale(score: PairScore, b: BaselineRow): PairScore {
  return {
    precision: (score.precision - b.precision) / (1 - b.precision),
    recall: (score.recall - b.recall) / (1 - b.recall),
    f1: (score.f1 - b.f1) / (1 - b.f1),
  };
}

/**
 * Parses a bert_score baseline file (header `LAYER,P,R,F`, comma- or tab-separated, one row per
 * layer; the package ships them as `rescale_baseline/<lang>/<model>.tsv`). Returns the rows,
 * or a string saying what is wrong.
 */
export function parseBaseline(text: string): BaselineRow[] | string {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return 'the file is empty';
  const split = (l: string) => l.split(/[,\t]/).map((c) => c.trim());
  const header = split(lines[0]!).map((h) => h.toUpperCase());
  const col = (name: string) => header.indexOf(name);
  const [li, pi, ri, fi] = [col('LAYER'), col('P'), col('R'), col('F')];
  if (li < 0 || pi < 0 || ri < 0 || fi < 0) return `the first line is "${lines[0]}", not the header LAYER,P,R,F`;
  const rows: BaselineRow[] = [];
  for (let n = 1; n < lines.length; n++) {
    const cells = split(lines[n]!);
    const nums = [li, pi, ri, fi].map((i) => Number(cells[i]));
    if (nums.some((x) => cells.length <= Math.max(li, pi, ri, fi) || !Number.isFinite(x))) {
      return `line ${n + 1} ("${lines[n]}") does not hold four numbers`;
    }
    rows.push({ layer: nums[0]!, precision: nums[1]!, recall: nums[2]!, f1: nums[3]! });
  }
  if (rows.length === 0) return 'the file has a header but no rows';
  return rows;
}
