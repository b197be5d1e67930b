/**
 * Expected and actual values of a failed check, made short enough to read: one-line values cut
 * around their first difference, values over several lines as a compact diff of the lines that
 * differ. The lesson card (extension/testing/feedback.ts) and `medigen curriculum check` show them.
 */

/** One line of a compact diff: in both values, only in the expected one, or only in what the code gave. */
export interface DiffLine {
  kind: 'same' | 'expected' | 'actual';
  text: string;
}

/** Longest value shown on one line. */
export const VALUE_CHARS = 80;
/** Most diff lines shown (the rest is counted). */
export const DIFF_LINES = 8;

/** `s` cut to `n` characters, with "…" where it was cut. */
export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, Math.max(n - 1, 0))}…` : s;
}

/** Where two one-line values first differ, both cut to `n` characters around that place. */
export function aroundFirstDifference(expected: string, actual: string, n = VALUE_CHARS): { expected: string; actual: string } {
  if (expected.length <= n && actual.length <= n) return { expected, actual };
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const start = Math.max(0, i - Math.floor(n / 3));
  const cut = (s: string) => {
    const body = s.slice(start, start + n);
    return `${start > 0 ? '…' : ''}${body}${start + n < s.length ? '…' : ''}`;
  };
  return { expected: cut(expected), actual: cut(actual) };
}

/** Lines of the longest common subsequence diff of `a` (expected) and `b` (actual). */
function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'expected', text: a[i++]! });
    else out.push({ kind: 'actual', text: b[j++]! });
  }
  while (i < n) out.push({ kind: 'expected', text: a[i++]! });
  while (j < m) out.push({ kind: 'actual', text: b[j++]! });
  return out;
}

/**
 * A compact diff of two multi-line values: the lines that differ with one line of context each,
 * at most `max` lines (each cut to VALUE_CHARS); `more` counts the differing lines left out.
 */
export function compactDiff(expected: string, actual: string, max = DIFF_LINES): { lines: DiffLine[]; more: number } {
  const all = diffLines(expected.split('\n'), actual.split('\n'));
  const keep = all.map((l, k) => l.kind !== 'same' || all[k - 1]?.kind === 'expected' || all[k - 1]?.kind === 'actual' || all[k + 1]?.kind === 'expected' || all[k + 1]?.kind === 'actual');
  const lines: DiffLine[] = [];
  let more = 0;
  all.forEach((l, k) => {
    if (!keep[k]) return;
    if (lines.length < max) lines.push({ kind: l.kind, text: truncate(l.text.trimEnd(), VALUE_CHARS) });
    else if (l.kind !== 'same') more++;
  });
  return { lines, more };
}

