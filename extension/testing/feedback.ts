/**
 * What a failed check says on the lesson card: short and readable. Plain TypeScript (no `vscode`),
 * unit-tested. The Testing peek keeps the full text; the card gets
 * - the first line of the message, with paths made relative to the student's exercise folder and
 *   temporary folders (the checks' own test data) named as such;
 * - expected and actual, each cut to a line, around the first place they differ;
 * - for values that span lines (objects, arrays), a compact diff of only the lines that differ.
 */
import { tmpdir } from 'node:os';
import { sep } from 'node:path';
import { explainJsError, type CheckResult } from '../../curriculum/engine/index';
import type { CheckFailureView, FailureDiffLine } from '../lesson/failures';

/** Longest value shown on one line of the card. */
export const VALUE_CHARS = 80;
/** Most diff lines shown on the card (the rest is counted). */
export const DIFF_LINES = 8;
/** Longest message line shown on the card. */
export const MESSAGE_CHARS = 300;

/** `s` cut to `n` characters, with "…" where it was cut. */
export function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, Math.max(n - 1, 0))}…` : s;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with paths a student cannot use rewritten: `<workDir>/x.ts` becomes `x.ts`, the folder
 * itself "your exercise folder", and a temporary folder (the checks' test data, gone after the run)
 * "a temporary test folder".
 */
export function readablePaths(text: string, workDir: string | undefined, tmp = tmpdir()): string {
  let out = text;
  if (workDir) {
    for (const s of new Set([sep, '/'])) out = out.replace(new RegExp(`${escapeRegExp(workDir + s)}`, 'g'), '');
    out = out.replace(new RegExp(`${escapeRegExp(workDir)}(?![\\w.-])`, 'g'), 'your exercise folder');
  }
  const t = escapeRegExp(tmp.replace(/[\\/]+$/, ''));
  // A temporary folder and anything under it: /tmp/meet-the-data-ntFCXq/train.csv.
  return out.replace(new RegExp(`${t}(?:[\\\\/][\\w.-]*[\\w-])+`, 'g'), 'a temporary test folder');
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
function diffLines(a: string[], b: string[]): FailureDiffLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: FailureDiffLine[] = [];
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
export function compactDiff(expected: string, actual: string, max = DIFF_LINES): { lines: FailureDiffLine[]; more: number } {
  const all = diffLines(expected.split('\n'), actual.split('\n'));
  const keep = all.map((l, k) => l.kind !== 'same' || all[k - 1]?.kind === 'expected' || all[k - 1]?.kind === 'actual' || all[k + 1]?.kind === 'expected' || all[k + 1]?.kind === 'actual');
  const lines: FailureDiffLine[] = [];
  let more = 0;
  all.forEach((l, k) => {
    if (!keep[k]) return;
    if (lines.length < max) lines.push({ kind: l.kind, text: truncate(l.text.trimEnd(), VALUE_CHARS) });
    else if (l.kind !== 'same') more++;
  });
  return { lines, more };
}

/** The first line of a check's message, readable; for Node's assertion headers, what they mean. */
function headline(message: string, hasValues: boolean): string {
  const first = message.split('\n').find((l) => l.trim()) ?? '';
  // "Expected values to be strictly deep-equal:" and the like: the values below say more.
  if (hasValues && /^Expected values to be .*:$/.test(first.trim())) return 'Your code gave a different value than the check expected.';
  return first;
}

/** What the card shows for one failed check. */
export function failureView(r: Pick<CheckResult, 'title' | 'message' | 'expected' | 'actual'>, workDir?: string): CheckFailureView {
  const hasValues = r.expected !== undefined && r.actual !== undefined;
  const message = truncate(readablePaths(headline(r.message ?? 'The check did not pass.', hasValues), workDir), MESSAGE_CHARS);
  const plain = r.message ? explainJsError(r.message) : undefined;
  if (!hasValues) return { title: r.title, message, ...(plain ? { plain } : {}) };
  const expected = readablePaths(r.expected!, workDir);
  const actual = readablePaths(r.actual!, workDir);
  if (!expected.includes('\n') && !actual.includes('\n')) return { title: r.title, message, ...aroundFirstDifference(expected, actual) };
  const { lines, more } = compactDiff(expected, actual);
  return { title: r.title, message, diff: lines, ...(more ? { diffMore: more } : {}) };
}
