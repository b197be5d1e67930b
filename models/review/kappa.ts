/**
 * Cohen's kappa: how much two raters agree beyond what chance would give them.
 *
 *   kappa = (po - pe) / (1 - pe)
 *
 * where po is the share of items both raters put in the same category (observed agreement) and
 * pe = sum over categories k of (share rater A put in k) × (share rater B put in k), the agreement
 * two raters with these habits would reach by chance (expected agreement). 1 is perfect agreement,
 * 0 no better than chance, below 0 worse than chance.
 */

/** The result of {@link cohensKappa}. */
export interface Kappa {
  /** Items both raters rated. */
  n: number;
  /** Observed agreement po (0..1). */
  observed: number;
  /** Chance agreement pe (0..1). */
  expected: number;
  /** Cohen's kappa; null when pe = 1 (both raters used one and the same category for every item), where it is undefined. */
  kappa: number | null;
}

/**
 * Cohen's kappa of two raters' labels for the same items (`a[i]` and `b[i]` are the two ratings of
 * item i). Throws when the lists differ in length or are empty.
 */
export function cohensKappa<T>(a: readonly T[], b: readonly T[]): Kappa {
  if (a.length !== b.length) throw new Error(`cohensKappa: ${a.length} ratings from the first rater but ${b.length} from the second; give both raters' ratings of the same items.`);
  const n = a.length;
  if (n === 0) throw new Error('cohensKappa: no items rated by both raters.');
  let agree = 0;
  const countA = new Map<T, number>();
  const countB = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
    countB.set(b[i]!, (countB.get(b[i]!) ?? 0) + 1);
  }
  const observed = agree / n;
  let expected = 0;
  for (const [k, ca] of countA) expected += (ca / n) * ((countB.get(k) ?? 0) / n);
  const kappa = expected === 1 ? null : (observed - expected) / (1 - expected);
  return { n, observed, expected, kappa };
}

/** Landis & Koch's words for a kappa (1977), for reports. */
export function kappaWords(kappa: number | null): string {
  if (kappa === null) return 'undefined (both reviewers gave every note the same rating)';
  if (kappa < 0) return 'poor (less than chance)';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}
