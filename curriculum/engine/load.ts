import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { gradingFilesOf, runChecks } from './checks';
import { jsonErrorPosition } from './jsonPosition';
import { readSchema, validateAgainstSchema } from './schema';
import { DEFAULT_CHECK_TIME_LIMIT_MS, INSTRUCTOR_ONLY_FOLDERS, MANIFEST_FILE, type CurriculumModule, type Exercise, type Lesson, type LoadResult, type ModuleEdition, type ModuleManifest, type ModuleProblem, type WrongAnswer } from './types';

/** Options of `loadModule`. */
export interface LoadModuleOptions {
  /**
   * Also load every check file in a separate process (mocha dry run, nothing executed) to report
   * check files that do not load (syntax errors, missing imports). Defaults to true.
   */
  loadChecks?: boolean;
  /**
   * The folder is a copy that `installModule` checked in full when it installed it (the lab's
   * modules folder): its wrong answers (an instructor's tool, unused by the lab) are not listed
   * again. The lab reloads every installed module when it opens, before the first lesson shows.
   * Its links are still checked: a copy installed by an older MediGen Lab may predate that check.
   */
  installed?: boolean;
  signal?: AbortSignal;
}

/** Maps `items` through `fn` with at most `limit` running at once, keeping the order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]!, k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Every file under `dir`, as relative paths with `/`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir);
  return out.sort();
}

/**
 * Symbolic links under `root` that lead outside it (or nowhere). Installing such a module would
 * copy whatever the link points at (any file the user can read) into the student's folder.
 */
export function linksLeaving(root: string): ModuleProblem[] {
  const problems: ModuleProblem[] = [];
  const realRoot = realpathSync(root);
  const walk = (d: string) => {
    // The entries' types come with the listing (no lstat each): the lab walks every installed module when it opens.
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const name = entry.name;
      if (name === '.git' || name === 'node_modules') continue;
      const full = join(d, name);
      if (entry.isSymbolicLink()) {
        const rel = relative(root, full).split(sep).join('/');
        const target = readlinkSync(full);
        let real: string | undefined;
        try {
          real = realpathSync(full);
        } catch {
          real = undefined;
        }
        if (real === undefined) {
          problems.push({ file: full, message: `${rel} is a symbolic link to ${target}, which does not exist.`, hint: `Replace ${rel} with the file itself (modules are copied as they are; a link cannot be installed).` });
        } else if (real !== realRoot && !real.startsWith(realRoot + sep)) {
          problems.push({ file: full, message: `${rel} is a symbolic link to ${target}, outside the module folder, so the module was refused.`, hint: `Put a copy of the file inside the module instead of the link: installing would otherwise copy ${real} into the student's folder.` });
        }
      } else if (entry.isDirectory()) walk(full);
    }
  };
  walk(root);
  return problems;
}

/** Splits hints.md into ordered hints: sections separated by lines holding only `---`. */
export function parseHints(markdown: string): string[] {
  return markdown.split(/^\s*---\s*$/m).map((h) => h.trim()).filter(Boolean);
}

/** Exercise ids a lesson links to (`[text](exercise:<id>)`), with their 1-based line. */
export function exerciseLinks(markdown: string): { id: string; line: number }[] {
  const out: { id: string; line: number }[] = [];
  markdown.split('\n').forEach((l, k) => {
    for (const m of l.matchAll(/\]\(\s*exercise:([^)\s]*)\s*\)/g)) out.push({ id: m[1]!, line: k + 1 });
  });
  return out;
}

function parseJsonFile(file: string, problems: ModuleProblem[], what: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = jsonErrorPosition(text);
    problems.push({ file, ...(at ? { line: at.line } : {}), message: `${what} is not valid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}: ${(e as Error).message}.`, hint: 'Fix the JSON syntax (a missing comma or quote, or a trailing comma); VS Code underlines the spot.' });
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Loads and checks a curriculum module folder: the manifest against the published schema,
 * lesson files, exercise folders (starter/, solution/ with the same file names, checks/*.test.ts,
 * hints.md, optional exercise.json), duplicate ids, lesson links to missing exercises, and (with
 * `loadChecks`) check files that do not load. Returns the typed module or every problem found.
 */
export async function loadModule(dir: string, opts: LoadModuleOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  const problems: ModuleProblem[] = [];
  const manifestFile = join(root, MANIFEST_FILE);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return { ok: false, problems: [{ file: root, message: `The module folder ${root} does not exist.`, hint: 'Give the folder that holds medigen-module.json.' }] };
  }
  if (!existsSync(manifestFile)) {
    return { ok: false, problems: [{ file: manifestFile, message: `${root} has no ${MANIFEST_FILE}, so it is not a curriculum module.`, hint: 'Create one with `medigen curriculum new <folder>`, or point at the module folder itself.' }] };
  }
  const leaving = linksLeaving(root);
  if (leaving.length) return { ok: false, problems: leaving };
  const raw = parseJsonFile(manifestFile, problems, MANIFEST_FILE);
  if (raw === undefined) return { ok: false, problems };
  for (const e of validateAgainstSchema(raw, readSchema('module.schema.json'))) problems.push({ file: manifestFile, path: e.path, message: e.message, hint: e.hint });

  const m = isObj(raw) ? raw : {};
  const edition: ModuleEdition = m.edition === 'student' ? 'student' : 'instructor';
  const lessons: Lesson[] = [];
  const exercises: Exercise[] = [];
  const lessonIds = new Map<string, string>();
  const exerciseIds = new Map<string, string>();
  const exerciseDirs = new Map<string, string>();
  const links: { lessonFile: string; id: string; line: number }[] = [];
  const rawLessons = Array.isArray(m.lessons) ? m.lessons : [];
  rawLessons.forEach((l: unknown, li) => {
    if (!isObj(l)) return;
    const lp = `$.lessons[${li}]`;
    const id = str(l.id) ?? '';
    if (id && lessonIds.has(id)) problems.push({ file: manifestFile, path: `${lp}.id`, message: `Lesson id "${id}" is used twice (also at ${lessonIds.get(id)}).`, hint: 'Give every lesson its own id.' });
    else if (id) lessonIds.set(id, `${lp}.id`);
    const file = str(l.file) ? resolve(root, str(l.file)!) : '';
    let markdown = '';
    if (file && !file.startsWith(root + sep)) problems.push({ file: manifestFile, path: `${lp}.file`, message: `${lp}.file points outside the module.`, hint: 'Keep lesson files in the module\'s lessons/ folder.' });
    else if (file && !existsSync(file)) problems.push({ file: manifestFile, path: `${lp}.file`, message: `The lesson file ${str(l.file)} does not exist.`, hint: `Create ${file}, or fix the file name in ${MANIFEST_FILE}.` });
    else if (file) {
      markdown = readFileSync(file, 'utf8');
      for (const link of exerciseLinks(markdown)) links.push({ lessonFile: file, ...link });
    }
    const lesson: Lesson = { id, title: str(l.title) ?? '', file, markdown, exercises: [] };
    lessons.push(lesson);
    const rawEx = Array.isArray(l.exercises) ? l.exercises : [];
    rawEx.forEach((x: unknown, xi) => {
      if (!isObj(x)) return;
      const xp = `${lp}.exercises[${xi}]`;
      const xid = str(x.id) ?? '';
      if (xid && exerciseIds.has(xid)) problems.push({ file: manifestFile, path: `${xp}.id`, message: `Exercise id "${xid}" is used twice (also at ${exerciseIds.get(xid)}).`, hint: 'Give every exercise in the module its own id.' });
      else if (xid) exerciseIds.set(xid, `${xp}.id`);
      const xdir = str(x.dir);
      if (!xdir) return;
      if (exerciseDirs.has(xdir)) problems.push({ file: manifestFile, path: `${xp}.dir`, message: `The folder ${xdir} is used by two exercises (also at ${exerciseDirs.get(xdir)}).`, hint: 'Give every exercise its own folder.' });
      exerciseDirs.set(xdir, `${xp}.dir`);
      const ex = loadExercise(root, xdir, xp, manifestFile, problems, edition, opts.installed ?? false);
      if (ex) {
        const full: Exercise = { ...ex, id: xid, title: str(x.title) ?? '', lessonId: id };
        lesson.exercises.push(full);
        exercises.push(full);
      }
    });
  });
  for (const link of links) {
    if (!exerciseIds.has(link.id)) {
      const known = [...exerciseIds.keys()];
      problems.push({ file: link.lessonFile, line: link.line, message: `The lesson links to exercise "${link.id}", which the module does not have.`, hint: known.length ? `Link to one of: ${known.map((k) => `exercise:${k}`).join(', ')}; or add the exercise to ${MANIFEST_FILE}.` : `Add the exercise to ${MANIFEST_FILE}.` });
    }
  }
  if ((opts.loadChecks ?? true) && !problems.length) {
    const found = await mapLimit(exercises, 2, (ex) => checkFilesLoad(ex, opts.signal));
    for (const f of found) problems.push(...f);
  }
  if (problems.length) return { ok: false, problems };
  const manifest = raw as ModuleManifest;
  const module: CurriculumModule = { dir: root, manifest, edition, id: manifest.id, title: manifest.title, version: manifest.version, lessons, exercises };
  return { ok: true, module, problems: [] };
}

function loadExercise(root: string, xdir: string, xp: string, manifestFile: string, problems: ModuleProblem[], edition: ModuleEdition, installed: boolean): Omit<Exercise, 'id' | 'title' | 'lessonId'> | undefined {
  const dir = resolve(root, xdir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push({ file: manifestFile, path: `${xp}.dir`, message: `The exercise folder ${xdir} does not exist.`, hint: `Create ${dir} with starter/, solution/, checks/ and hints.md, or fix the folder name.` });
    return undefined;
  }
  const starterDir = join(dir, 'starter');
  const solutionDir = join(dir, 'solution');
  const starterFiles = listFiles(starterDir);
  const solutionFiles = listFiles(solutionDir);
  const before = problems.length;
  if (!starterFiles.length) problems.push({ file: starterDir, message: `${xdir}/starter/ is missing or empty.`, hint: 'Put the files the student starts from in starter/ (e.g. starter/turns.ts with TODOs).' });
  if (edition === 'student') {
    for (const f of INSTRUCTOR_ONLY_FOLDERS.filter((f) => existsSync(join(dir, f)))) {
      problems.push({ file: join(dir, f), message: `${xdir}/${f}/ is in a student edition (medigen-module.json says "edition": "student"), which must not hold solutions, grading checks or wrong answers.`, hint: 'Write the student edition again with `medigen curriculum release <module folder> --out <folder>` (it leaves these folders out); if you are a student, tell your instructor.' });
    }
  } else if (!solutionFiles.length) problems.push({ file: solutionDir, message: `${xdir}/solution/ is missing or empty.`, hint: 'Put a reference solution in solution/, with the same file names as starter/.' });
  else if (starterFiles.length) {
    for (const f of starterFiles.filter((f) => !solutionFiles.includes(f))) problems.push({ file: join(solutionDir, f), message: `${xdir}/solution/ has no ${f}, but starter/ does.`, hint: 'The solution must have the same file names as the starter.' });
    for (const f of solutionFiles.filter((f) => !starterFiles.includes(f))) problems.push({ file: join(solutionDir, f), message: `${xdir}/solution/${f} has no counterpart in starter/.`, hint: 'The solution must have the same file names as the starter: add it to starter/ or remove it.' });
  }
  const checksDir = join(dir, 'checks');
  const checkFiles = existsSync(checksDir) ? readdirSync(checksDir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(checksDir, f)) : [];
  if (!checkFiles.length) problems.push({ file: checksDir, message: `${xdir}/checks/ has no *.test.ts check file.`, hint: "Add a mocha test file such as checks/main.test.ts that reaches the student's file with loadStudent from 'medigen-lab/checks'." });
  const hintsFile = join(dir, 'hints.md');
  const hints = existsSync(hintsFile) ? parseHints(readFileSync(hintsFile, 'utf8')) : [];
  if (!existsSync(hintsFile)) problems.push({ file: hintsFile, message: `${xdir}/hints.md is missing.`, hint: 'Write hints.md: hints from gentle to explicit, separated by lines holding only ---.' });
  else if (!hints.length) problems.push({ file: hintsFile, message: `${xdir}/hints.md has no hints.`, hint: 'Write at least one hint; separate hints with lines holding only ---.' });
  let entry = starterFiles.find((f) => f.endsWith('.ts')) ?? starterFiles[0] ?? '';
  let timeLimitMs = DEFAULT_CHECK_TIME_LIMIT_MS;
  let points: Record<string, number> = {};
  const settingsFile = join(dir, 'exercise.json');
  if (existsSync(settingsFile)) {
    const settings = parseJsonFile(settingsFile, problems, 'exercise.json');
    if (settings !== undefined) {
      const errs = validateAgainstSchema(settings, readSchema('exercise.schema.json'));
      for (const e of errs) problems.push({ file: settingsFile, path: e.path, message: e.message, hint: e.hint });
      if (!errs.length && isObj(settings)) {
        if (typeof settings.entry === 'string') {
          entry = settings.entry;
          if (starterFiles.length && !starterFiles.includes(entry)) problems.push({ file: settingsFile, path: '$.entry', message: `exercise.json names the entry file ${entry}, which starter/ does not have.`, hint: `Use one of: ${starterFiles.join(', ')}.` });
        }
        if (typeof settings.timeLimitMs === 'number') timeLimitMs = settings.timeLimitMs;
        if (isObj(settings.points)) points = settings.points as Record<string, number>;
      }
    }
  }
  const wrongAnswers = edition === 'student' || installed ? [] : loadWrongAnswers(dir, xdir, starterFiles, problems);
  const gradingFiles = edition === 'student' ? [] : gradingFilesOf(dir);
  if (problems.length > before) return undefined;
  return { dir, starterDir, solutionDir, checkFiles, gradingFiles, starterFiles, entry, timeLimitMs, points, hints, wrongAnswers };
}

/** wrong/<name>/: the starter's file names (no others) and a WHY.md each. */
function loadWrongAnswers(dir: string, xdir: string, starterFiles: string[], problems: ModuleProblem[]): WrongAnswer[] {
  const wrongDir = join(dir, 'wrong');
  if (!existsSync(wrongDir)) return [];
  if (!statSync(wrongDir).isDirectory()) {
    problems.push({ file: wrongDir, message: `${xdir}/wrong is a file, not a folder.`, hint: 'Put each wrong answer in its own folder: wrong/<case-name>/ with the starter\'s files and a WHY.md.' });
    return [];
  }
  const out: WrongAnswer[] = [];
  for (const name of readdirSync(wrongDir).sort()) {
    const caseDir = join(wrongDir, name);
    if (!statSync(caseDir).isDirectory()) {
      problems.push({ file: caseDir, message: `${xdir}/wrong/${name} is a file; wrong/ may only hold folders (one per wrong answer).`, hint: `Move it into a folder such as wrong/<case-name>/${name}, next to a WHY.md.` });
      continue;
    }
    const files = listFiles(caseDir).filter((f) => f !== 'WHY.md');
    const whyFile = join(caseDir, 'WHY.md');
    const why = existsSync(whyFile) ? readFileSync(whyFile, 'utf8').trim() : '';
    if (!why) problems.push({ file: whyFile, message: `The wrong answer ${xdir}/wrong/${name} has ${existsSync(whyFile) ? 'an empty' : 'no'} WHY.md.`, hint: 'Say in one or two sentences which mistake a student would make here (e.g. "Cuts the mean off instead of rounding it").' });
    for (const f of starterFiles.filter((f) => !files.includes(f))) problems.push({ file: join(caseDir, f), message: `The wrong answer ${xdir}/wrong/${name} has no ${f}, but starter/ does.`, hint: 'A wrong answer has the same files as starter/ (a copy of the solution with one plausible mistake).' });
    for (const f of files.filter((f) => !starterFiles.includes(f))) problems.push({ file: join(caseDir, f), message: `${xdir}/wrong/${name}/${f} has no counterpart in starter/.`, hint: 'A wrong answer has the same files as starter/, plus WHY.md: remove the extra file.' });
    out.push({ name, dir: caseDir, why });
  }
  return out;
}

/**
 * Loads an exercise's check files (public and grading) in a separate process (nothing runs) and
 * reports those that do not load. In a student edition (no solution/) they load beside the starter.
 */
export async function checkFilesLoad(ex: Exercise, signal?: AbortSignal): Promise<ModuleProblem[]> {
  const workDir = existsSync(ex.solutionDir) ? ex.solutionDir : ex.starterDir;
  const run = await runChecks({ exerciseDir: ex.dir, workDir, dryRun: true, files: [...ex.checkFiles, ...ex.gradingFiles], timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  if (run.status !== 'load-error' && run.status !== 'timeout') {
    if (run.results.length) return [];
    return [{ file: ex.checkFiles[0]!, message: `The checks of exercise "${ex.id}" define no tests.`, hint: 'Add it(...) tests to the check file.' }];
  }
  const where = run.loadError?.checkLocation ?? run.loadError?.location;
  const message = run.loadError?.message ?? 'Loading the check files took too long.';
  return [{ file: where?.file ?? ex.checkFiles[0]!, ...(where ? { line: where.line } : {}), message: `A check file of exercise "${ex.id}" does not load: ${message.split('\n')[0]}`, hint: 'Fix the check file so it loads: run `medigen curriculum validate` after each change. Check files start the student\'s file in a before() hook: student = await loadStudent<Student>(\'file.ts\') (from \'medigen-lab/checks\').' }];
}
