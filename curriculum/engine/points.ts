/**
 * Points per check (partial credit). exercise.json's `points` maps a check's it() title to the
 * points it is worth; a check not listed is worth 1 point. One function turns check results into
 * an exercise's score, used by the lesson card and the tree (public checks only) and by grading
 * (public + grading checks).
 */
import type { CheckResult } from './checks';

/** One check's share of a score. */
export interface CheckScore {
  title: string;
  fullTitle: string;
  status: CheckResult['status'];
  /** Points earned: the check's worth when it passed, else 0. */
  points: number;
  /** What the check is worth. */
  max: number;
  /** True for a grading check (exercises/<id>/grading/), false for a public one (checks/). */
  grading: boolean;
}

/** An exercise's score. */
export interface ExerciseScore {
  points: number;
  max: number;
  checks: CheckScore[];
}

/** Options of `scoreExercise`. */
export interface ScoreOptions {
  /** Count only public checks (those not in a grading/ folder): the score a student sees. Defaults to false. */
  publicOnly?: boolean;
}

/** What a check is worth: `points[title]` when exercise.json lists it, else 1. */
export function checkWorth(points: Readonly<Record<string, number>>, title: string): number {
  const v = Object.hasOwn(points, title) ? points[title] : undefined;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 1;
}

/** True when a check result comes from a grading check file (…/grading/x.test.ts). */
export function isGradingCheck(r: Pick<CheckResult, 'file'>): boolean {
  return /[\\/]grading[\\/][^\\/]+$/.test(r.file ?? '');
}

/**
 * The score of one exercise from its check results: the sum of the worth of the checks that
 * passed, out of the worth of all of them. A check that failed, timed out or did not run earns 0.
 */
export function scoreExercise(points: Readonly<Record<string, number>>, results: readonly CheckResult[], opts: ScoreOptions = {}): ExerciseScore {
  const checks: CheckScore[] = [];
  for (const r of results) {
    const grading = isGradingCheck(r);
    if (opts.publicOnly && grading) continue;
    const max = checkWorth(points, r.title);
    checks.push({ title: r.title, fullTitle: r.fullTitle, status: r.status, points: r.status === 'passed' ? max : 0, max, grading });
  }
  return { points: round(checks.reduce((a, c) => a + c.points, 0)), max: round(checks.reduce((a, c) => a + c.max, 0)), checks };
}

/** Rounds to 2 decimals (0.1 + 0.2 shows as 0.3). */
function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A score in words for the student: "3/4 points" (or "1/1 point"). */
export function formatScore(s: { points: number; max: number }): string {
  return `${s.points}/${s.max} point${s.max === 1 ? '' : 's'}`;
}
