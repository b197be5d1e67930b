/**
 * Uncertainty of corpus-level scores: percentile bootstrap 95% confidence intervals of a mean over
 * notes, and a paired approximate randomization (sign-flip permutation) test between two systems
 * scored on the same notes. Seeded, so the same inputs give the same intervals and p-values.
 */

/** A small seeded generator (mulberry32): reproducible resampling. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
};

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

/** Percentile bootstrap CI of the mean (defaults: 1000 resamples, 95%, seed 0). */
export function bootstrapCi(values: readonly number[], o: { resamples?: number; level?: number; seed?: number } = {}): Interval {
  const n = values.length;
  if (!n) return { mean: NaN, low: NaN, high: NaN };
  const B = o.resamples ?? 1000;
  const rand = seededUniform(o.seed ?? 0);
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rand() * n)]!;
    means[b] = s / n;
  }
  means.sort();
  const alpha = (1 - (o.level ?? 0.95)) / 2;
  const at = (q: number) => means[Math.min(B - 1, Math.max(0, Math.round(q * (B - 1))))]!;
  return { mean: mean(values), low: at(alpha), high: at(1 - alpha) };
}

/**
 * Two-sided paired approximate randomization test of mean(a) - mean(b): each note's difference
 * keeps or flips its sign at random. Returns the observed difference and the p-value
 * ((count of |diff*| >= |diff|) + 1) / (resamples + 1). Defaults: 10000 resamples, seed 0.
 */
export function pairedPermutationTest(a: readonly number[], b: readonly number[], o: { resamples?: number; seed?: number } = {}): { difference: number; p: number } {
  if (a.length !== b.length) throw new Error('paired test: the two systems must be scored on the same notes');
  const d = a.map((x, i) => x - b[i]!);
  const observed = Math.abs(mean(d));
  const R = o.resamples ?? 10000;
  const rand = seededUniform(o.seed ?? 0);
  let hits = 0;
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += rand() < 0.5 ? -d[i]! : d[i]!;
    if (Math.abs(s / d.length) >= observed - 1e-12) hits++;
  }
  return { difference: mean(d), p: (hits + 1) / (R + 1) };
}
