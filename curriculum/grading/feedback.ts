/**
 * Per-student feedback (Markdown) and the grades CSV. Feedback says what passed and what failed
 * and why, in the words of the checks' assertion messages, and never shows a grading check's
 * source: no stack, no file path, and a failed `assert(expression)` without a message (whose
 * text would quote the check's code) is said in words instead.
 */
import { writeCsv } from '../../datasets/index';
import { formatScore } from '../engine/index';
import type { ClassGrades, GradedCheck, StudentGrade } from './grade';

const STATUS_WORDS: Record<GradedCheck['status'], string> = { passed: 'passed', failed: 'failed', timeout: 'timed out', 'not-run': 'did not run' };

/** A generated message of a failed assert(expression) / assert.ok: it quotes the check's code or says nothing useful. */
const BARE_ASSERT = /^(?:The expression evaluated to a falsy value|false == true|true == false|(?:false|true|null|undefined|0|'') == true)\b/;

/** True when the failure message would show a grading check's own code (then it is said in words instead). */
export function hidesSource(c: GradedCheck): boolean {
  return c.grading && BARE_ASSERT.test((c.message ?? '').trim());
}

/** A check's failure message safe to show a student: its first paragraph, no code of a grading check, no stack, no paths. */
export function studentMessage(c: GradedCheck): string {
  const raw = (c.message ?? '').trim();
  if (!raw) return c.status === 'not-run' ? 'This check did not run (an earlier problem stopped the checks).' : 'No reason was given.';
  if (hidesSource(c)) return 'The condition this check tests was not met.';
  const para = raw.split(/\n\s*\n/)[0]!;
  const lines = para.split('\n').filter((l) => !/^\s+at\s/.test(l)).slice(0, 4).join(' ').replace(/\s+/g, ' ');
  const noPaths = lines.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:]+){2,}[\\/]([^\s\\/:]+)/g, '$1');
  return noPaths.length > 400 ? `${noPaths.slice(0, 400)}…` : noPaths;
}

const oneLine = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s).replace(/\s+/g, ' ');
const md = (s: string) => s.replace(/([\\`*_[\]<>|#])/g, '\\$1');

/** The feedback file of one student (Markdown). */
export function feedbackMarkdown(grades: ClassGrades, s: StudentGrade): string {
  const titles = new Map(grades.exercises.map((e) => [e.id, e.title]));
  const out = [`# ${md(grades.module.title)}: feedback for ${md(s.name ?? s.student)}`, '', `Module ${md(grades.module.id)} version ${md(grades.module.version)}. **Total: ${formatScore({ points: s.total, max: s.max })}.**`, ''];
  if (s.notes.length) out.push('About your submission:', '', ...s.notes.map((n) => `- ${md(n)}`), '');
  for (const e of s.exercises) {
    out.push(`## ${md(titles.get(e.exerciseId) ?? e.exerciseId)} — ${formatScore(e)}`, '');
    if (e.note) out.push(`_${md(e.note)}_`, '');
    if (e.status === 'missing') continue;
    const passed = e.checks.filter((c) => c.status === 'passed');
    const failed = e.checks.filter((c) => c.status !== 'passed');
    if (passed.length) out.push('What works:', '', ...passed.map((c) => `- ✓ ${md(c.title)} (${formatScore(c)})`), '');
    if (failed.length) {
      out.push('What to fix:', '');
      for (const c of failed) {
        out.push(`- ✗ ${md(c.title)} — ${STATUS_WORDS[c.status]} (0/${c.max} point${c.max === 1 ? '' : 's'})${c.grading ? ' (a grading check)' : ''}`, `  ${md(studentMessage(c))}`);
        if (c.expected !== undefined && c.status === 'failed' && !hidesSource(c)) out.push(`  Expected \`${oneLine(c.expected).replace(/`/g, "'")}\`, got \`${oneLine(c.actual ?? '').replace(/`/g, "'")}\`.`);
      }
      out.push('');
    }
    if (!failed.length) out.push('Every check passes. Well done!', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** A cell that a spreadsheet would read as a formula gets a leading apostrophe. */
const cell = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** The grades table: one row per student, a column of points per exercise, total, max, and notes. */
export function gradesCsv(grades: ClassGrades): string {
  const header = ['student', 'name', 'module_version', ...grades.exercises.map((e) => e.id), 'total', 'max', 'notes'];
  const rows = grades.students.map((s) => [
    cell(s.student),
    cell(s.name ?? ''),
    cell(s.moduleVersion ?? ''),
    ...s.exercises.map((e) => String(e.points)),
    String(s.total),
    String(s.max),
    cell([...s.notes, ...s.exercises.filter((e) => e.note && e.status !== 'graded').map((e) => `${e.exerciseId}: ${e.note}`)].join(' | ')),
  ]);
  return writeCsv(header, rows);
}

/** A file name for a student's feedback: their id with anything unusual replaced. */
export function feedbackFileName(student: string): string {
  return `${student.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'student'}.md`;
}
