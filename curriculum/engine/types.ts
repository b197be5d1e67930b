/**
 * Types of the curriculum-module format: a folder with a `medigen-module.json` manifest, lesson
 * Markdown files and exercise folders (starter/, solution/, checks/, grading/, wrong/, hints.md,
 * exercise.json).
 *
 * A module comes in two editions. The instructor edition (the module folder as written) holds
 * everything. The student edition (written by `releaseModule`, manifest `"edition": "student"`)
 * has no solution/, grading/ or wrong/ folders: only what a student may see.
 */

/** The manifest file name at the root of every module. */
export const MANIFEST_FILE = 'medigen-module.json';

/** Default time limit of one check, in milliseconds, when exercise.json does not set one. */
export const DEFAULT_CHECK_TIME_LIMIT_MS = 5000;

/** One thing wrong with a module, said so that an instructor can fix it. */
export interface ModuleProblem {
  /** The file the problem is in (absolute path). */
  file: string;
  /** JSON path inside the file, e.g. `$.lessons[0].exercises[1].dir`, when the file is JSON. */
  path?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  message: string;
  /** What to do about it. */
  hint: string;
}

/** Which edition a module folder is: everything (instructor) or what a student may see (student). */
export type ModuleEdition = 'instructor' | 'student';

/** Folders of an exercise that only the instructor edition has: never released, never installed where a student works. */
export const INSTRUCTOR_ONLY_FOLDERS = ['solution', 'grading', 'wrong'] as const;

/** The manifest as written in `medigen-module.json`. */
export interface ModuleManifest {
  id: string;
  title: string;
  version: string;
  author: string;
  minExtensionVersion: string;
  description: string;
  /** "student" for an edition written by `releaseModule` (no solutions, grading checks or wrong answers); absent or "instructor" otherwise. */
  edition?: ModuleEdition;
  lessons: { id: string; title: string; file: string; exercises: { id: string; title: string; dir: string }[] }[];
}

/** A plausible wrong answer shipped with an exercise: wrong/<name>/ (same files as starter/) and its WHY.md. */
export interface WrongAnswer {
  /** The folder name, e.g. `truncates`. */
  name: string;
  /** Absolute path of wrong/<name>/. */
  dir: string;
  /** The mistake in words (WHY.md). */
  why: string;
}

/** Fewest wrong answers `validateModule` accepts per exercise. */
export const MIN_WRONG_ANSWERS = 3;

/** An exercise with every path resolved. */
export interface Exercise {
  id: string;
  title: string;
  /** The lesson the exercise belongs to. */
  lessonId: string;
  /** Absolute path of the exercise folder. */
  dir: string;
  /** Absolute path of starter/. */
  starterDir: string;
  /** Absolute path of solution/ (it does not exist in a student edition). */
  solutionDir: string;
  /** Absolute paths of checks/*.test.ts (the public checks: feedback while working), sorted. */
  checkFiles: string[];
  /**
   * Absolute paths of grading/*.test.ts, sorted: checks run only when grading (and by validate),
   * never shown to or installed for a student. None in a student edition.
   */
  gradingFiles: string[];
  /** File names (relative to starter/) the student gets, sorted. */
  starterFiles: string[];
  /** The file to open first (relative to starter/). */
  entry: string;
  /** Time limit of each check in milliseconds. */
  timeLimitMs: number;
  /** Points per check by its it() title (exercise.json's `points`); a check not listed is worth 1 point. */
  points: Record<string, number>;
  /** Hints in order, from hints.md (separated by lines holding only `---`). */
  hints: string[];
  /** The exercise's wrong answers (wrong/<name>/), sorted by name; none in a student edition. */
  wrongAnswers: WrongAnswer[];
}

/** A lesson with its Markdown and exercises. */
export interface Lesson {
  id: string;
  title: string;
  /** Absolute path of the Markdown file. */
  file: string;
  markdown: string;
  exercises: Exercise[];
}

/** A module that loaded without problems. */
export interface CurriculumModule {
  /** Absolute path of the module folder. */
  dir: string;
  manifest: ModuleManifest;
  /** "student" when the folder is a released student edition, else "instructor". */
  edition: ModuleEdition;
  id: string;
  title: string;
  version: string;
  lessons: Lesson[];
  /** Every exercise of every lesson, in order. */
  exercises: Exercise[];
}

/** What `loadModule` returns: the module, or every problem found. */
export type LoadResult = { ok: true; module: CurriculumModule; problems: [] } | { ok: false; module?: undefined; problems: ModuleProblem[] };
