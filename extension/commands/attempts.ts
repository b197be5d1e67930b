/**
 * How the restore list names a saved attempt: when, how its check ended, what it changed.
 * Plain TypeScript (no `vscode`): unit-tested; the restore command shows these as a quick pick.
 */
import type { Checkpoint } from '../../sandbox/index';

/** One row of the restore list. */
export interface AttemptRow {
  /** What the attempt is, with its result: "$(pass) Check passed: 4 of 4 checks". */
  label: string;
  /** When it was saved. */
  description: string;
  /** The files it changed, and its checkpoint id. */
  detail: string;
  hash: string;
}

/** "3 of 4 checks pass" / "passed: 4 of 4 checks" and an icon, for a check result. */
export function resultText(r: NonNullable<Checkpoint['result']>): { icon: string; text: string } {
  if (r.status === 'passed') return { icon: '$(pass)', text: `passed, ${r.passed} of ${r.total} checks` };
  if (r.status === 'load-error') return { icon: '$(error)', text: 'failed: the checks could not start' };
  return { icon: '$(error)', text: `failed, ${r.passed} of ${r.total} checks pass${r.status === 'timeout' ? ' (stopped: too slow)' : ''}` };
}

/** What kind of attempt a checkpoint is, from its reason and message. */
function kind(c: Checkpoint): string {
  if (/^Install module /.test(c.message)) return 'The starter files (as installed)';
  if (/^Editor settings for /.test(c.message)) return 'The starter files after a reset';
  if (c.reason === 'check') return 'Check';
  if (c.reason === 'start') return 'Started (the starter files)';
  if (c.reason === 'reset') return /^Before reset/.test(c.message) ? 'Your files before a reset' : 'The starter files after a reset';
  if (c.reason === 'restore') return /^Before restoring/.test(c.message) ? 'Your files before a restore' : `Restored attempt ${/to attempt (\w+)/.exec(c.message)?.[1] ?? ''}`.trim();
  if (c.reason === 'update') return /^Before updating/.test(c.message) ? 'Your files before a module update' : 'After a module update';
  return c.message.split('\n')[0] ?? 'Saved';
}

const MAX_FILES = 4;

/** "turns.ts, notes.md" (at most 4 names, then "and N more"). */
export function filesText(files: string[]): string {
  if (!files.length) return 'no file changed';
  const shown = files.slice(0, MAX_FILES).join(', ');
  return files.length > MAX_FILES ? `${shown} and ${files.length - MAX_FILES} more` : shown;
}

/** The restore list's row for a checkpoint. `locale` and `timeZone` make the time testable. */
export function attemptRow(c: Checkpoint, opts: { locale?: string; timeZone?: string } = {}): AttemptRow {
  const r = c.result ? resultText(c.result) : undefined;
  const what = kind(c);
  const label = r ? `${r.icon} ${what === 'Check' ? 'Check' : what}: ${r.text}` : `$(history) ${what === 'Check' ? 'Check (no result: the run was stopped)' : what}`;
  const when = new Date(c.date).toLocaleString(opts.locale, { dateStyle: 'medium', timeStyle: 'short', ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) });
  return { label, description: when, detail: `Changed: ${filesText(c.files)} · checkpoint ${c.hash.slice(0, 8)}`, hash: c.hash };
}
