/**
 * `grade`: runs the public and the grading checks of every exercise on every student's
 * submission, each (student, exercise) in its own check process with the exercise's time
 * limits, several at a time, and scores them with exercise.json's points. A submission that is
 * malformed, from another version of the module, or that hangs is graded as far as it goes and
 * its problems are noted; nothing a student sent stops the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { checkFilesOf, gradingFilesOf, loadModule, mapLimit, runChecks, scoreExercise, type CheckResult, type CheckRun, type CurriculumModule, type Exercise } from '../engine/index';
import { collectSubmissions, type CollectedSubmission } from './collect';

/** Options of `gradeClass`. */
export interface GradeOptions {
  /** The instructor's module folder (with grading/ checks). */
  moduleDir: string;
  /** Folder of submit archives, or of one folder per student. */
  submissions: string;
  /** Gradings run at once. Defaults to the number of CPU cores. */
  jobs?: number;
  /** Time limit of each check in ms, instead of each exercise's timeLimitMs. */
  checkTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called after each (student, exercise) is graded. */
  onGraded?: (done: number, total: number, student: string, exerciseId: string) => void;
}

/** One check of one student's exercise. */
export interface GradedCheck {
  title: string;
  fullTitle: string;
  status: CheckResult['status'];
  points: number;
  max: number;
  grading: boolean;
  message?: string;
  expected?: string;
  actual?: string;
}

/** How one exercise of one student went: graded; missing (no files); timed-out (some code never finished); error (the checks could not run on it). */
export interface ExerciseGrade {
  exerciseId: string;
  status: 'graded' | 'missing' | 'timed-out' | 'error';
  points: number;
  max: number;
  checks: GradedCheck[];
  /** Why it is not simply graded, in words. */
  note?: string;
}

/** One student's row. */
export interface StudentGrade {
  student: string;
  name?: string;
  source: string;
  moduleVersion?: string;
  exercises: ExerciseGrade[];
  total: number;
  max: number;
  notes: string[];
}

/** The whole class. */
export interface ClassGrades {
  module: { id: string; title: string; version: string };
  exercises: { id: string; title: string; max: number; checks: { title: string; fullTitle: string; max: number; grading: boolean }[] }[];
  students: StudentGrade[];
  skipped: string[];
  /** Problems of the module itself (e.g. a points title that names no check), for the instructor. */
  warnings: string[];
  jobs: number;
  durationMs: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Check limits for grading: each check the exercise's limit (or the override). The whole run is
 * only a safety net (each check, hook and load has its own limit): generous for a busy machine.
 */
function limits(ex: Exercise, checks: number, files: number, override?: number): { checkTimeoutMs: number; timeoutMs: number } {
  const checkTimeoutMs = override ?? ex.timeLimitMs;
  return { checkTimeoutMs, timeoutMs: 60_000 + 20_000 * files + checkTimeoutMs * (checks + 2) };
}

const timedOut = (run: CheckRun | undefined) => !!run && (run.status === 'timeout' || run.results.some((r) => r.status === 'timeout'));
const passedCount = (run: CheckRun | undefined) => run?.results.filter((r) => r.status === 'passed').length ?? 0;

/** The planned checks of each exercise (public + grading), listed by a dry run on the reference solution. */
async function planOf(ex: Exercise, files: string[], signal?: AbortSignal): Promise<CheckResult[]> {
  const run = await runChecks({ exerciseDir: ex.dir, workDir: ex.solutionDir, files, dryRun: true, timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  if (run.status === 'load-error' || run.status === 'timeout' || !run.results.length) {
    throw new MedigenError(`The checks of exercise "${ex.id}" do not load, so nothing can be graded: ${(run.loadError?.message ?? 'no checks found').split('\n')[0]}`, 'Run `medigen curriculum validate` on the module and fix it first.');
  }
  return run.results;
}

function gradeOf(ex: Exercise, plan: CheckResult[], run: CheckRun | undefined, failure?: string): ExerciseGrade {
  const byTitle = new Map((run?.results ?? []).map((r) => [r.fullTitle, r]));
  const results = plan.map((p) => byTitle.get(p.fullTitle) ?? { ...p, status: 'not-run' as const });
  const score = scoreExercise(ex.points, results);
  const checks: GradedCheck[] = score.checks.map((c, k) => {
    const r = results[k]!;
    return { ...c, ...(r.message ? { message: r.message } : {}), ...(r.expected !== undefined ? { expected: r.expected, actual: r.actual ?? '' } : {}) };
  });
  const base = { exerciseId: ex.id, points: score.points, max: score.max, checks };
  if (failure) return { ...base, status: 'error', note: failure };
  if (!run) return { ...base, status: 'missing', note: 'No files were submitted for this exercise.' };
  if (run.status === 'load-error') return { ...base, status: 'error', note: `The checks could not run on these files: ${(run.loadError?.message ?? '').split('\n')[0]}` };
  if (run.status === 'timeout' || run.results.some((r) => r.status === 'timeout')) {
    const n = run.results.filter((r) => r.status === 'timeout').length;
    return { ...base, status: 'timed-out', note: `Timed out: the code did not finish within the time limit${n ? ` in ${n} check(s)` : ''}, twice (a loop that never ends?); graded as far as it went.` };
  }
  return { ...base, status: 'graded' };
}

/**
 * Grades every submission in `opts.submissions` against the module in `opts.moduleDir`. Each
 * (student, exercise) runs in its own check process; `jobs` of them at a time.
 */
export async function gradeClass(opts: GradeOptions): Promise<ClassGrades> {
  const started = Date.now();
  const loaded = await loadModule(opts.moduleDir, { loadChecks: false });
  if (!loaded.ok) throw new MedigenError(`The module ${resolve(opts.moduleDir)} has problems, so nothing was graded: ${loaded.problems[0]!.message}`, `${loaded.problems[0]!.hint} Run \`medigen curriculum validate ${opts.moduleDir}\` to see them all.`);
  const module: CurriculumModule = loaded.module;
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const workRoot = mkdtempSync(join(tmpdir(), 'medigen-grade-'));
  try {
    const collected = collectSubmissions(resolve(opts.submissions), module, workRoot);
    const files = new Map(module.exercises.map((ex) => [ex.id, [...checkFilesOf(ex.dir), ...gradingFilesOf(ex.dir)]]));
    const plans = new Map<string, CheckResult[]>();
    await mapLimit(module.exercises, jobs, async (ex) => void plans.set(ex.id, await planOf(ex, files.get(ex.id)!, opts.signal)));
    const warnings: string[] = [];
    for (const ex of module.exercises) {
      const titles = new Set(plans.get(ex.id)!.map((r) => r.title));
      for (const t of Object.keys(ex.points)) if (!titles.has(t)) warnings.push(`exercise.json of "${ex.id}" gives points to "${t}", but no check has that it() title (check the spelling; it is worth nothing now).`);
    }
    const tasks = collected.submissions.flatMap((s) => module.exercises.filter((ex) => s.workDirs.has(ex.id)).map((ex) => ({ s, ex })));
    const runs = new Map<CollectedSubmission, Map<string, { run?: CheckRun; failure?: string }>>();
    let done = 0;
    const gradeOne = async ({ s, ex }: (typeof tasks)[number]): Promise<{ run?: CheckRun; failure?: string }> => {
      try {
        if (opts.signal?.aborted) throw new MedigenError('Grading was stopped.', 'Run grade again to grade everything.');
        const f = files.get(ex.id)!;
        return { run: await runChecks({ exerciseDir: ex.dir, workDir: s.workDirs.get(ex.id)!, files: f, ...limits(ex, plans.get(ex.id)!.length, f.length, opts.checkTimeoutMs), ...(opts.signal ? { signal: opts.signal } : {}) }) };
      } catch (e) {
        return { failure: `Could not be graded: ${(e as Error).message}` };
      }
    };
    await mapLimit(tasks, jobs, async (t) => {
      if (!runs.has(t.s)) runs.set(t.s, new Map());
      runs.get(t.s)!.set(t.ex.id, await gradeOne(t));
      opts.onGraded?.(++done, tasks.length, t.s.student, t.ex.id);
    });
    // A busy machine can make a slow answer look like a hang: what timed out is graded once more,
    // alone, and the better of the two runs counts.
    for (const t of tasks.filter((x) => timedOut(runs.get(x.s)!.get(x.ex.id)!.run))) {
      if (opts.signal?.aborted) break;
      const again = await gradeOne(t);
      if (again.run && passedCount(again.run) >= passedCount(runs.get(t.s)!.get(t.ex.id)!.run)) runs.get(t.s)!.set(t.ex.id, again);
    }
    if (opts.signal?.aborted) throw new MedigenError('Grading was stopped before it finished; nothing was written.', 'Run grade again to grade everything.');
    const students: StudentGrade[] = collected.submissions.map((s) => {
      const exercises = module.exercises.map((ex) => {
        const r = runs.get(s)?.get(ex.id);
        return gradeOf(ex, plans.get(ex.id)!, r?.run, r?.failure);
      });
      const notes = [...s.notes];
      if (!s.workDirs.size) notes.push('Nothing in this submission could be graded.');
      return {
        student: s.student,
        ...(s.name ? { name: s.name } : {}),
        source: s.source,
        ...(s.moduleVersion ? { moduleVersion: s.moduleVersion } : {}),
        exercises,
        total: round(exercises.reduce((a, e) => a + e.points, 0)),
        max: round(exercises.reduce((a, e) => a + e.max, 0)),
        notes,
      };
    });
    const exercises = module.exercises.map((ex) => {
      const s = scoreExercise(ex.points, plans.get(ex.id)!);
      return { id: ex.id, title: ex.title, max: s.max, checks: s.checks.map((c) => ({ title: c.title, fullTitle: c.fullTitle, max: c.max, grading: c.grading })) };
    });
    return { module: { id: module.id, title: module.title, version: module.version }, exercises, students, skipped: collected.skipped, warnings, jobs, durationMs: Date.now() - started };
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}
