/**
 * Grading benchmark: a class of 30 students × 10 exercises (issue 15: "finishes in minutes on a
 * 2-core machine"). The module is made of ten shipped exercises (meet-the-data, cleaning-dialogues,
 * instruction-prompts, scoring-notes); each student hands in a submit archive whose exercises
 * are, in turn, the reference solution, the starter, or one of the shipped wrong answers. Every
 * (student, exercise) runs in its own check process, `jobs` = CPU cores at a time, as
 * `medigen curriculum grade` does. Prints the wall time, per grading and per core.
 *
 * MEDIGEN_BENCH_GRADE_STUDENTS sets the class size (default 30), e.g. for a quick look.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/index';
import { listFiles, loadModule } from '../../curriculum/engine/index';
import { gradeClass, packSubmission, SUBMISSION_FORMAT } from '../../curriculum/grading/index';
import type { BenchResult } from './rouge';

const PICK: [string, string[]][] = [
  ['meet-the-data', ['load-a-split', 'count-turns', 'corpus-table']],
  ['cleaning-dialogues', ['clean-step-by-step', 'unusual-tags', 'divide-a-note']],
  ['instruction-prompts', ['four-sections-template', 'instruction-jsonl']],
  ['scoring-notes', ['rouge1-by-hand', 'rouge-l']],
];
/** The target: the whole class graded within this many minutes on a 2-core machine. */
const TARGET_MINUTES = 10;

/** A module of the ten picked exercises, copied from the shipped ones. */
function benchModule(dir: string): void {
  const exercises: { id: string; title: string; dir: string }[] = [];
  for (const [mod, ids] of PICK) {
    const manifest = JSON.parse(readFileSync(join(projectRoot(), 'curriculum', 'modules', mod, 'medigen-module.json'), 'utf8')) as { lessons: { exercises: { id: string; title: string; dir: string }[] }[] };
    for (const e of manifest.lessons.flatMap((l) => l.exercises).filter((e) => ids.includes(e.id))) {
      cpSync(join(projectRoot(), 'curriculum', 'modules', mod, e.dir), join(dir, 'exercises', e.id), { recursive: true });
      exercises.push({ id: e.id, title: e.title, dir: `exercises/${e.id}` });
    }
  }
  mkdirSync(join(dir, 'lessons'), { recursive: true });
  writeFileSync(join(dir, 'lessons', '01-all.md'), '# Ten exercises\n\nThe grading benchmark\'s module.\n');
  const manifest = { id: 'grading-bench', title: 'Grading benchmark', version: '1.0.0', author: 'MediGen Lab bench', minExtensionVersion: '0.1.0', description: 'Ten shipped exercises in one module.', lessons: [{ id: 'all', title: 'All', file: 'lessons/01-all.md', exercises }] };
  writeFileSync(join(dir, 'medigen-module.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** CPU seconds (user + sys) of this process's finished child processes and theirs (Linux /proc; undefined elsewhere). */
function childCpuS(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in clock ticks (100 a second on Linux)
  } catch {
    return undefined;
  }
}

export async function benchGrade(): Promise<BenchResult> {
  const name = 'Grading a class (30 students × 10 exercises, submit archives)';
  const students = Number(process.env.MEDIGEN_BENCH_GRADE_STUDENTS ?? 30);
  const tmp = mkdtempSync(join(tmpdir(), 'medigen-bench-grade-'));
  try {
    const moduleDir = join(tmp, 'module');
    benchModule(moduleDir);
    const loaded = await loadModule(moduleDir, { loadChecks: false });
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
    const inbox = join(tmp, 'inbox');
    mkdirSync(inbox);
    const expectFull = new Map<string, string>();
    for (let s = 0; s < students; s++) {
      const files = new Map<string, Map<string, Uint8Array>>();
      const right: string[] = [];
      loaded.module.exercises.forEach((ex, j) => {
        const variants = [ex.solutionDir, ex.starterDir, ...ex.wrongAnswers.map((w) => w.dir)];
        const k = (s + j) % variants.length;
        if (k === 0) right.push(ex.id);
        const dir = variants[k]!;
        files.set(ex.id, new Map(listFiles(dir).filter((f) => f !== 'WHY.md').map((f) => [f, readFileSync(join(dir, f))])));
      });
      const id = `student-${String(s + 1).padStart(2, '0')}`;
      expectFull.set(id, right.join(','));
      const exercises = Object.fromEntries([...files].map(([ex, f]) => [ex, { files: [...f.keys()] }]));
      writeFileSync(join(inbox, `${id}.zip`), packSubmission({ format: SUBMISSION_FORMAT, formatVersion: 1, moduleId: 'grading-bench', moduleVersion: '1.0.0', student: id, submittedAt: new Date().toISOString(), exercises }, files));
    }
    const jobs = availableParallelism();
    const cpu0 = childCpuS();
    const t = performance.now();
    const grades = await gradeClass({ moduleDir, submissions: inbox, jobs, onGraded: (done, total) => (done % 25 === 0 || done === total) && process.stderr.write(`  graded ${done}/${total} (${Math.round((performance.now() - t) / 1000)} s)\n`) });
    const wallS = (performance.now() - t) / 1000;
    const cpuS = cpu0 === undefined ? undefined : childCpuS()! - cpu0;
    const gradings = grades.students.length * grades.exercises.length;
    // The solution variant must get full points, everything else less: a fast grader that grades wrongly is no use.
    const wrongFull = grades.students.filter((s) => s.exercises.filter((e) => e.points === e.max).map((e) => e.exerciseId).join(',') !== expectFull.get(s.student)).map((s) => s.student);
    const timedOut = grades.students.flatMap((s) => s.exercises.filter((e) => e.status === 'timed-out' || e.status === 'error').map((e) => `${s.student}/${e.exerciseId}`));
    const runs = gradings + grades.exercises.length;
    // This run's pace scaled to the full class of 300 on 2 cores (the wall time itself when this run was 300 gradings on 2 cores).
    const paced2 = (wallS * (jobs / 2) * (300 + 10)) / runs / 60;
    // CPU time alone, spread over 2 cores: what a quiet 2-core machine needs at least.
    const cpu2 = cpuS === undefined ? undefined : (cpuS * (300 + 10)) / runs / 2 / 60;
    const ok = wrongFull.length === 0 && timedOut.length === 0 && paced2 <= TARGET_MINUTES;
    const line =
      `${name}: ${grades.students.length} students × ${grades.exercises.length} exercises = ${gradings} gradings (+${grades.exercises.length} check listings) in ${Math.floor(wallS / 60)} min ${Math.round(wallS % 60)} s wall, ${jobs} at a time on ${availableParallelism()} core(s), ` +
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]} at the end` +
      (cpuS === undefined ? '' : `; CPU ${(cpuS / runs).toFixed(2)} s per check run (user + sys of the check and student processes)`) +
      `. 30 × 10 on 2 cores: ${paced2.toFixed(1)} min ${gradings === 300 && jobs === 2 ? '(measured)' : "at this run's pace"}` +
      (cpu2 === undefined ? '' : `, ${cpu2.toFixed(1)} min from CPU time alone (a quiet machine)`) +
      `; target ${TARGET_MINUTES} min. ` +
      (wrongFull.length ? `Graded wrongly: ${wrongFull.join(', ')}. ` : 'Full marks exactly where the solution was handed in. ') +
      (timedOut.length ? `Timed out or could not run: ${timedOut.slice(0, 5).join(', ')}${timedOut.length > 5 ? '…' : ''}.` : '');
    return { name, ok, line, figures: { students: grades.students.length, exercises: grades.exercises.length, wallS, paced2Min: paced2, ...(cpu2 === undefined ? {} : { cpu2Min: cpu2 }), jobs } };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// `tsx test/bench/grade.ts` runs this benchmark alone.
if (process.argv[1] && /bench[\\/]grade\.ts$/.test(process.argv[1])) {
  const r = await benchGrade();
  console.log(r.line);
  process.exitCode = r.ok ? 0 : 1;
}
