/**
 * The class report: one self-contained HTML file (inline CSS, no script, nothing fetched): the
 * pass rate of each exercise, the most common failure messages, and who is stuck where.
 */
import type { ClassGrades } from './grade';
import { studentMessage } from './feedback';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : '–');

/** Failure messages counted across the class, most common first. */
export function commonFailures(grades: ClassGrades, limit = 15): { exerciseId: string; check: string; message: string; students: string[] }[] {
  const groups = new Map<string, { exerciseId: string; check: string; message: string; students: string[] }>();
  for (const s of grades.students) {
    for (const e of s.exercises) {
      for (const c of e.checks) {
        if (c.status === 'passed' || e.status === 'missing') continue;
        const message = studentMessage(c);
        const key = `${e.exerciseId}\u0000${c.fullTitle}\u0000${message}`;
        if (!groups.has(key)) groups.set(key, { exerciseId: e.exerciseId, check: c.title, message, students: [] });
        groups.get(key)!.students.push(s.student);
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.students.length - a.students.length || a.exerciseId.localeCompare(b.exerciseId)).slice(0, limit);
}

/** Per exercise: how many students got full points, and the mean share of points. */
export function passRates(grades: ClassGrades): { id: string; title: string; max: number; full: number; submitted: number; students: number; meanPoints: number }[] {
  return grades.exercises.map((ex) => {
    const rows = grades.students.map((s) => s.exercises.find((e) => e.exerciseId === ex.id)!);
    const full = rows.filter((e) => e.max > 0 && e.points === e.max).length;
    const submitted = rows.filter((e) => e.status !== 'missing').length;
    const meanPoints = rows.length ? Math.round((rows.reduce((a, e) => a + e.points, 0) / rows.length) * 100) / 100 : 0;
    return { id: ex.id, title: ex.title, max: ex.max, full, submitted, students: rows.length, meanPoints };
  });
}

const STATE_CLASS: Record<string, string> = { graded: 'ok', missing: 'missing', 'timed-out': 'timeout', error: 'error' };

/** The report as one HTML document. */
export function reportHtml(grades: ClassGrades, generatedAt = new Date()): string {
  const rates = passRates(grades);
  const fails = commonFailures(grades);
  const n = grades.students.length;
  const rateRows = rates
    .map((r) => `<tr><td>${esc(r.title)}<br><small>${esc(r.id)}</small></td><td class="num">${r.full} of ${r.students} (${pct(r.full, r.students)})<div class="bar"><span style="width:${r.students ? Math.round((100 * r.full) / r.students) : 0}%"></span></div></td><td class="num">${r.meanPoints} / ${r.max}</td><td class="num">${r.submitted}</td></tr>`)
    .join('\n');
  const failRows = fails.length
    ? fails.map((f) => `<tr><td class="num">${f.students.length}</td><td>${esc(f.exerciseId)}</td><td>${esc(f.check)}</td><td>${esc(f.message)}</td><td><small>${esc(f.students.join(', '))}</small></td></tr>`).join('\n')
    : '<tr><td colspan="5">No check failed.</td></tr>';
  const head = grades.exercises.map((e) => `<th title="${esc(e.title)}">${esc(e.id)}<br><small>/${e.max}</small></th>`).join('');
  const stuckRows = grades.students
    .map((s) => {
      const cells = s.exercises
        .map((e) => {
          const firstFail = e.checks.find((c) => c.status !== 'passed');
          const cls = e.status === 'graded' ? (e.points === e.max ? 'ok' : e.points > 0 ? 'partial' : 'zero') : STATE_CLASS[e.status]!;
          const tip = e.note ?? (firstFail ? `Stuck at: ${firstFail.title}` : 'All checks pass');
          const label = e.status === 'missing' ? 'none' : e.status === 'timed-out' ? `${e.points} ⏱` : e.status === 'error' ? `${e.points} !` : String(e.points);
          return `<td class="cell ${cls}" title="${esc(tip)}">${esc(label)}${firstFail && e.status !== 'missing' ? `<br><small>${esc(firstFail.title)}</small>` : ''}</td>`;
        })
        .join('');
      const notes = s.notes.length ? `<br><small class="note">${esc(s.notes.join(' '))}</small>` : '';
      return `<tr><th class="who">${esc(s.student)}${s.name && s.name !== s.student ? ` <small>(${esc(s.name)})</small>` : ''}${notes}</th>${cells}<td class="num"><b>${s.total}</b> / ${s.max}</td></tr>`;
    })
    .join('\n');
  const extra = [...grades.skipped.map((x) => `Skipped: ${x}`), ...grades.warnings.map((x) => `Module: ${x}`)];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(grades.module.title)} — class report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f4f4f4}
.num{text-align:right;white-space:nowrap}.bar{background:#eee;height:6px;width:120px;margin-top:3px}.bar span{display:block;height:6px;background:#2e7d32}
.cell{text-align:center;min-width:5em}.ok{background:#dcedc8}.partial{background:#fff3c4}.zero{background:#ffcdd2}.missing{background:#eee;color:#777}
.timeout{background:#e1bee7}.error{background:#ffab91}.note{color:#a33}small{color:#555}
</style></head><body>
<h1>${esc(grades.module.title)} — class report</h1>
<p>Module <code>${esc(grades.module.id)}</code> version ${esc(grades.module.version)}; ${n} student(s); graded ${esc(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC with ${grades.jobs} at a time in ${Math.round(grades.durationMs / 1000)} s.</p>
${extra.length ? `<ul>${extra.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
<h2>Pass rate per exercise</h2>
<p>Full marks: students with every check of the exercise passing (public and grading checks).</p>
<table><tr><th>Exercise</th><th>Full marks</th><th>Mean points</th><th>Submitted</th></tr>
${rateRows}
</table>
<h2>Most common failures</h2>
<table><tr><th>Students</th><th>Exercise</th><th>Check</th><th>Message</th><th>Who</th></tr>
${failRows}
</table>
<h2>Who is stuck where</h2>
<p>Points per exercise; under them, the first check that does not pass yet. ⏱ timed out, ! could not run, none: nothing submitted.</p>
<table><tr><th>Student</th>${head}<th>Total</th></tr>
${stuckRows}
</table>
</body></html>
`;
}
