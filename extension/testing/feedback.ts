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
import { aroundFirstDifference, checkMessageLines, compactDiff, explainJsError, explainValues, truncate, type CheckResult } from '../../curriculum/engine/index';
import type { CheckFailureView } from '../lesson/failures';

/** Longest line of a message shown on the card. */
export const MESSAGE_CHARS = 300;

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

/** What the card shows for one failed check. */
export function failureView(r: Pick<CheckResult, 'title' | 'message' | 'generatedMessage' | 'expected' | 'actual' | 'location'>, workDir?: string): CheckFailureView {
  const hasValues = r.expected !== undefined && r.actual !== undefined;
  const message = checkMessageLines(r).map((l) => truncate(readablePaths(l, workDir), MESSAGE_CHARS)).join('\n');
  const plain = (r.message ? explainJsError(r.message, r.location) : undefined) ?? explainValues(r);
  const head = { title: r.title, message, ...(plain ? { plain } : {}) };
  if (!hasValues) return head;
  const expected = readablePaths(r.expected!, workDir);
  const actual = readablePaths(r.actual!, workDir);
  if (!expected.includes('\n') && !actual.includes('\n')) return { ...head, ...aroundFirstDifference(expected, actual) };
  const { lines, more } = compactDiff(expected, actual);
  return { ...head, diff: lines, ...(more ? { diffMore: more } : {}) };
}
