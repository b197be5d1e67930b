import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { runChecks, type CheckRun } from './checks';
import { loadModule, mapLimit } from './load';
import { releaseModule } from './release';
import { MANIFEST_FILE, MIN_WRONG_ANSWERS, type CurriculumModule, type Exercise, type ModuleProblem, type WrongAnswer } from './types';

/** Options of `validateModule`. */
export interface ValidateOptions {
  /** How many check processes run at once. Defaults to 2 (or 1 on a one-core machine). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Reports exercises as they finish. */
  progress?: Progress;
}

/** What happened to one exercise during validation. */
export interface ExerciseValidation {
  exercise: Exercise;
  /** The public and grading checks run against solution/ (all must pass). */
  solution: CheckRun;
  /** The public and grading checks run against starter/ (all must fail). */
  starter: CheckRun;
  /** The public and grading checks run against each wrong answer (each must fail at least one check). */
  wrong: { answer: WrongAnswer; run: CheckRun }[];
  /**
   * The student edition's public checks (as `releaseModule` writes them, in a temporary folder
   * without solution/, grading/ and wrong/), run against a copy of the solution (must pass as in
   * the module) and against the edition's starter (must fail). Undefined when no edition could be written.
   */
  studentEdition?: { dir: string; solution: CheckRun; starter: CheckRun };
}

/** The outcome of `validateModule`: ok when `problems` is empty. */
export interface ValidationReport {
  ok: boolean;
  module?: CurriculumModule;
  problems: ModuleProblem[];
  /** Weaknesses that do not fail the module: a lesson that does not say what the student will be able to do, and each check (public or grading) that no wrong answer makes fail ("a check that catches nothing"). */
  warnings: ModuleProblem[];
  exercises: ExerciseValidation[];
}

/**
 * Validates a module as a publisher must before release, in both editions.
 *
 * The instructor edition (the folder itself): the manifest against the schema and every
 * referenced file (see `loadModule`), then for each exercise the reference solution must pass
 * every check, public (checks/) and grading (grading/); the starter must FAIL every check (a
 * check that passes on the starter cannot tell whether the student did anything); every check
 * must finish within the exercise's time limit; and each exercise must ship at least three wrong
 * answers (wrong/<name>/), each failing at least one check. A check that no wrong answer makes
 * fail is reported as a warning.
 *
 * The student edition (written by `releaseModule` into a temporary folder): its public checks,
 * with no solution/, grading/ or wrong/ beside them, must load, pass on a copy of the solution as
 * they do in the module, and fail on the starter. A check that imports or reads ../solution or a
 * grading file works in the module folder and breaks here; it is reported as a problem.
 */
export async function validateModule(dir: string, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const loaded = await loadModule(dir, { loadChecks: false, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!loaded.ok) return { ok: false, problems: loaded.problems, warnings: [], exercises: [] };
  const module = loaded.module;
  if (module.edition === 'student') {
    const problem = { file: join(module.dir, MANIFEST_FILE), path: '$.edition', message: `${module.dir} is a student edition (written by \`medigen curriculum release\`): it has no solutions or wrong answers to validate.`, hint: 'Validate the instructor\'s module folder, the one you released from: validate checks the student edition too.' };
    return { ok: false, module, problems: [problem], warnings: [], exercises: [] };
  }
  const concurrency = opts.concurrency ?? Math.max(1, Math.min(2, cpus().length));
  const tmp = mkdtempSync(join(tmpdir(), 'medigen-edition-'));
  try {
    const released = await studentEdition(module, join(tmp, 'edition'));
    let done = 0;
    opts.progress?.report(0, module.exercises.length);
    const exercises = await mapLimit(module.exercises, concurrency, async (ex): Promise<ExerciseValidation> => {
      const common = { exerciseDir: ex.dir, checkTimeoutMs: ex.timeLimitMs, files: [...ex.checkFiles, ...ex.gradingFiles], ...(opts.signal ? { signal: opts.signal } : {}) };
      const solution = await runChecks({ ...common, workDir: ex.solutionDir });
      const starter = await runChecks({ ...common, workDir: ex.starterDir });
      const wrong: ExerciseValidation['wrong'] = [];
      for (const answer of ex.wrongAnswers) wrong.push({ answer, run: await runChecks({ ...common, workDir: answer.dir }) });
      const sx = released.edition?.exercises.find((e) => e.id === ex.id);
      let edition: ExerciseValidation['studentEdition'];
      if (sx) {
        const work = join(tmp, 'work', ex.id);
        cpSync(ex.solutionDir, work, { recursive: true });
        const inEdition = { exerciseDir: sx.dir, checkTimeoutMs: ex.timeLimitMs, ...(opts.signal ? { signal: opts.signal } : {}) };
        edition = { dir: sx.dir, solution: await runChecks({ ...inEdition, workDir: work }), starter: await runChecks({ ...inEdition, workDir: sx.starterDir }) };
      }
      opts.progress?.report(++done, module.exercises.length, ex.id);
      return { exercise: ex, solution, starter, wrong, ...(edition ? { studentEdition: edition } : {}) };
    });
    const problems = [...released.problems, ...exercises.flatMap((v) => [...exerciseProblems(v), ...wrongAnswerProblems(v), ...editionProblems(v)])];
    const warnings = [...lessonsWithoutOutcome(module), ...exercises.flatMap((v) => checksCatchingNothing(v))];
    return { ok: problems.length === 0, module, problems, warnings, exercises };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes the student edition of `module` into `out` and loads it; a failure becomes a problem. */
async function studentEdition(module: CurriculumModule, out: string): Promise<{ edition?: CurriculumModule; problems: ModuleProblem[] }> {
  try {
    await releaseModule({ dir: module.dir, out });
    const loaded = await loadModule(out, { loadChecks: false });
    if (loaded.ok) return { edition: loaded.module, problems: [] };
    return { problems: loaded.problems.map((p) => ({ ...p, file: p.file.replace(out, module.dir), message: `In the student edition: ${p.message}` })) };
  } catch (e) {
    if (!(e instanceof MedigenError)) throw e;
    return { problems: [{ file: join(module.dir, MANIFEST_FILE), message: `The student edition could not be written: ${e.message}`, hint: e.hint }] };
  }
}

const EDITION_HINT =
  "A public check must not import or read ../solution, ../wrong or a file in grading/: the student edition has none of them. Declare the functions the check needs in an interface and reach the student's file with loadStudent (see curriculum/README.md); move what only grading needs into grading/.";

/** Public checks that behave differently in the student edition than in the module folder. */
function editionProblems({ exercise: ex, solution, starter, studentEdition: se }: ExerciseValidation): ModuleProblem[] {
  if (!se) return [];
  const back = (file: string) => (file.startsWith(se.dir + sep) ? ex.dir + file.slice(se.dir.length) : file);
  const problems: ModuleProblem[] = [];
  const loadFailed = (run: CheckRun, inModule: CheckRun, on: string) => {
    if (run.status !== 'load-error' || inModule.status === 'load-error') return false;
    const at = run.loadError?.checkLocation ?? run.loadError?.location;
    problems.push({ file: at ? back(at.file) : ex.checkFiles[0]!, ...(at ? { line: at.line } : {}), message: `In the student edition (no solution/, grading/ or wrong/), the public checks of exercise "${ex.id}" do not load on ${on}: ${run.loadError?.message.split('\n')[0]}`, hint: EDITION_HINT });
    return true;
  };
  if (!loadFailed(se.solution, solution, 'the reference solution')) {
    for (const r of se.solution.results) {
      if (r.status === 'passed' || solution.results.find((x) => x.fullTitle === r.fullTitle)?.status !== 'passed') continue;
      const at = r.checkLocation;
      problems.push({ file: at ? back(at.file) : back(r.file ?? ex.checkFiles[0]!), ...(at ? { line: at.line } : {}), message: `In the student edition, the reference solution fails check "${r.fullTitle}" of exercise "${ex.id}", which it passes in the module folder: ${(r.message ?? '').split('\n')[0]}`, hint: EDITION_HINT });
    }
  }
  if (!loadFailed(se.starter, starter, 'the starter')) {
    for (const r of se.starter.results) {
      if (r.status !== 'passed' || starter.results.find((x) => x.fullTitle === r.fullTitle)?.status === 'passed') continue;
      problems.push({ file: back(r.file ?? ex.checkFiles[0]!), message: `In the student edition, check "${r.fullTitle}" of exercise "${ex.id}" passes on the unedited starter: it is a check that cannot fail there.`, hint: EDITION_HINT });
    }
  }
  return problems;
}

function wrongAnswerProblems({ exercise: ex, wrong }: ExerciseValidation): ModuleProblem[] {
  const problems: ModuleProblem[] = [];
  if (wrong.length < MIN_WRONG_ANSWERS) {
    problems.push({
      file: join(ex.dir, 'wrong'),
      message: `Exercise "${ex.id}" has ${wrong.length} wrong answer(s); at least ${MIN_WRONG_ANSWERS} are needed to show that its checks tell a right answer from a plausible wrong one.`,
      hint: 'Add wrong/<case-name>/ folders: a copy of the solution with one mistake a student would make (truncating instead of rounding, a hard-coded example, ...), and a WHY.md saying which.',
    });
  }
  for (const { answer, run } of wrong) {
    const why = join(answer.dir, 'WHY.md');
    if (run.status === 'passed') {
      problems.push({ file: why, message: `The wrong answer "${answer.name}" of exercise "${ex.id}" passes every check, so the checks cannot tell it from a right answer (${answer.why.split('\n')[0]}).`, hint: 'Add a check whose values expose this mistake (for example a mean that rounds up, or data unlike the examples in the starter).' });
    } else if (run.status === 'load-error') {
      problems.push({ file: why, message: `The checks could not run on the wrong answer "${answer.name}" of exercise "${ex.id}": ${run.loadError?.message.split('\n')[0]}`, hint: "A wrong answer must load and run like a student's attempt: a copy of the solution with one plausible mistake." });
    } else if (run.status === 'aborted') {
      problems.push({ file: answer.dir, message: `Validation of the wrong answer "${answer.name}" of exercise "${ex.id}" was stopped.`, hint: 'Run validate again to finish it.' });
    }
  }
  return problems;
}

/** Checks of an exercise that no wrong answer makes fail (only when the solution passes them all). */
/** Words that say what a student will be able to do after a lesson ("By the end of this lesson you can …"). */
const OUTCOME = /\bby the end of this lesson\b|\bin this lesson you will\b|\byou will (?:learn to|be able to)\b/i;

/** Each lesson that never says what the student will be able to do after it. */
function lessonsWithoutOutcome(module: CurriculumModule): ModuleProblem[] {
  return module.lessons
    .filter((l) => !OUTCOME.test(l.markdown))
    .map((l) => ({
      file: l.file,
      line: 1,
      message: `Lesson "${l.title}" does not say what the student will be able to do after it.`,
      hint: 'Open it with a sentence such as "**By the end of this lesson** you can …": students read it first, and it names what the exercise will prove.',
    }));
}

function checksCatchingNothing({ exercise: ex, solution, wrong }: ExerciseValidation): ModuleProblem[] {
  if (solution.status !== 'passed' || !wrong.length || wrong.some((w) => w.run.status === 'load-error' || w.run.status === 'aborted')) return [];
  const caught = new Set(wrong.flatMap((w) => w.run.results.filter((r) => r.status !== 'passed').map((r) => r.fullTitle)));
  return solution.results
    .filter((r) => !caught.has(r.fullTitle))
    .map((r) => ({
      file: r.file ?? ex.checkFiles[0]!,
      message: `${ex.gradingFiles.includes(r.file ?? '') ? 'Grading check' : 'Check'} "${r.fullTitle}" of exercise "${ex.id}" fails on none of its ${wrong.length} wrong answers: a check that catches nothing.`,
      hint: 'Add a wrong answer with the mistake this check is meant to catch, or drop the check if no plausible mistake fails it.',
    }));
}

function exerciseProblems({ exercise: ex, solution, starter }: ExerciseValidation): ModuleProblem[] {
  const problems: ModuleProblem[] = [];
  const entry = join(ex.solutionDir, ex.entry);
  const where = (file: string) => relative(join(ex.dir, '..', '..'), file);
  if (solution.status === 'load-error') {
    const at = solution.loadError?.checkLocation ?? solution.loadError?.location;
    problems.push({ file: at?.file ?? ex.checkFiles[0]!, ...(at ? { line: at.line } : {}), message: `The checks of exercise "${ex.id}" do not load: ${solution.loadError?.message.split('\n')[0]}`, hint: 'Fix the check file so it loads (a syntax error, or an import of a file or package that does not exist).' });
  } else if (solution.status === 'aborted') {
    problems.push({ file: ex.dir, message: `Validation of exercise "${ex.id}" was stopped.`, hint: 'Run validate again to finish it.' });
  } else {
    if (!solution.results.length) problems.push({ file: ex.checkFiles[0]!, message: `The checks of exercise "${ex.id}" define no tests.`, hint: 'Add it(...) tests to the check file.' });
    for (const r of solution.results) {
      if (r.status === 'passed') {
        if (r.durationMs !== undefined && r.durationMs > ex.timeLimitMs) problems.push({ file: entry, message: `Check "${r.fullTitle}" took ${r.durationMs} ms on the reference solution, over the exercise's limit of ${ex.timeLimitMs} ms.`, hint: 'Make the check faster (less data), or raise timeLimitMs in exercise.json.' });
        continue;
      }
      const at = r.location ?? r.checkLocation;
      const detail = r.expected !== undefined ? ` (expected ${r.expected}, got ${r.actual})` : '';
      problems.push({
        file: at?.file ?? entry,
        ...(at ? { line: at.line } : {}),
        message: r.status === 'timeout' ? `Check "${r.fullTitle}" ran past the time limit on the reference solution: ${r.message}` : `The reference solution fails check "${r.fullTitle}": ${(r.message ?? '').split('\n')[0]}${detail}`,
        hint: r.status === 'timeout' ? 'Make the check or the solution faster, or raise timeLimitMs in exercise.json.' : `Fix ${where(entry)} or the check: the reference solution must pass every check.`,
      });
    }
  }
  if (starter.status === 'load-error') {
    problems.push({ file: join(ex.starterDir, ex.entry), message: `With the starter files, the checks of exercise "${ex.id}" do not load: ${starter.loadError?.message.split('\n')[0]}`, hint: 'The starter must load (students start from it): leave TODOs that throw, not broken syntax.' });
  }
  for (const r of starter.results) {
    if (r.status === 'passed') {
      problems.push({ file: r.checkLocation?.file ?? ex.checkFiles[0]!, message: `Check "${r.fullTitle}" passes on the unedited starter: it is a check that cannot fail.`, hint: 'Make the check test what the student must write, or leave that part of the starter unfinished (e.g. throw new Error("TODO")).' });
    } else if (/^TypeScript could not read/.test(r.message ?? '')) {
      problems.push({ file: r.location?.file ?? join(ex.starterDir, ex.entry), ...(r.location ? { line: r.location.line } : {}), message: `The starter of exercise "${ex.id}" does not load: ${r.message}`, hint: 'Students start from this file: it must load. Leave TODOs that throw instead of broken syntax.' });
      break;
    }
  }
  return problems;
}
