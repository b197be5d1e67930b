/**
 * The student's `medigen curriculum` commands: check an exercise (with what each failing check
 * says, in the lesson card's short form) and read its hints one at a time. An installed module is
 * named by its id; a module folder works too.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import { aroundFirstDifference, checkMessageLines, compactDiff, defaultModulesDir, explainJsError, explainValues, listInstalled, loadModule, runChecks, slipsInFolder, type CheckRun, type Slip } from '../../curriculum/engine';
import { defineCommand, EXIT } from '../command';
import { displayPath, formatProblems, modulesHelp, modulesOption } from './curriculumFormat';

function formatRun(run: CheckRun, base: string, slips: Slip[]): string {
  const lines: string[] = [];
  if (run.loadError) {
    const at = run.loadError.location ?? run.loadError.checkLocation;
    const plain = explainJsError(run.loadError.message);
    lines.push(`  ✗ The checks could not start: ${run.loadError.message}${plain ? `\n    In plain words: ${plain}` : ''}${at ? `\n    at ${relative(base, at.file)}:${at.line}:${at.column}` : ''}`);
  }
  // Code that runs but cannot be what was meant (a single = in a comparison) comes first: it is
  // often the cause of the failures below, and worth a look even when the checks pass (the value
  // it changes may not be one they look at).
  for (const s of slips) lines.push(`  ! ${s.file}, line ${s.line}: ${s.code}`, `    ${s.advice}`);
  let previous = '';
  for (const r of run.results) {
    const mark = r.status === 'passed' ? '✓' : r.status === 'not-run' ? '-' : '✗';
    lines.push(`  ${mark} ${r.fullTitle}${r.status === 'not-run' ? ' (not run)' : ''}`);
    if (r.status === 'passed' || r.status === 'not-run') continue;
    // The same failure again (a file that does not load fails every check alike): said once.
    const key = `${r.message}\n${r.expected}\n${r.actual}\n${r.location?.file}:${r.location?.line}`;
    if (key === previous) {
      lines.push('    The same failure as the check above.');
      continue;
    }
    previous = key;
    lines.push(...checkMessageLines(r).map((l) => `    ${l}`));
    const plain = (r.message ? explainJsError(r.message, r.location) : undefined) ?? explainValues(r);
    if (plain) lines.push(`    In plain words: ${plain}`);
    if (r.expected !== undefined && r.actual !== undefined) {
      // Short, as on the lesson card: one-line values around their first difference, longer ones as the lines that differ.
      if (!r.expected.includes('\n') && !r.actual.includes('\n')) {
        const v = aroundFirstDifference(r.expected, r.actual);
        lines.push(`    expected: ${v.expected}`, `    got:      ${v.actual}`);
      } else {
        const { lines: diff, more } = compactDiff(r.expected, r.actual);
        lines.push('    - expected  + your code gave', ...diff.map((l) => `    ${l.kind === 'expected' ? '- ' : l.kind === 'actual' ? '+ ' : '  '}${l.text}`));
        if (more) lines.push(`    … ${more} more line${more === 1 ? '' : 's'} differ (--json shows the whole values)`);
      }
    }
    if (r.location) lines.push(`    at ${relative(base, r.location.file) || r.location.file}:${r.location.line}:${r.location.column}`);
  }
  return lines.join('\n');
}

export const check = defineCommand({
  path: ['curriculum', 'check'],
  summary: "Run an exercise's checks against your files",
  usage: '<module-id | module-folder> <exercise-id> [<your-folder>] [--modules DIR] [--json]',
  options: { json: { type: 'boolean' }, ...modulesOption },
  help: { json: 'Print the results as JSON (with file, line and column of each failure).', ...modulesHelp },
  details: 'The module is the id of an installed module (medigen curriculum list) or a module folder.\nYour folder defaults to the exercise\'s work folder of an installed module (../work/<exercise-id>),\nelse the current folder.\nExample: medigen curriculum check meet-the-data count-turns',
  async run(ctx) {
    const [moduleArg, exerciseId, work] = ctx.positionals;
    if (!moduleArg || !exerciseId || ctx.positionals.length > 3) throw new UsageError('Give the module (its id, or its folder) and the exercise id (and optionally your folder).', 'Example: medigen curriculum check meet-the-data count-turns');
    const { dir: moduleDir, ex, hints, next } = await exerciseOf(moduleArg, exerciseId, ctx.values.modules, 'check');
    const installedWork = join(resolve(moduleDir), '..', 'work', ex.id);
    const workDir = resolve(work ?? (existsSync(installedWork) ? installedWork : '.'));
    const run = await runChecks({ exerciseDir: ex.dir, workDir, checkTimeoutMs: ex.timeLimitMs });
    if (ctx.values.json) ctx.out.write(`${JSON.stringify(run, null, 2)}\n`);
    else {
      const found = slipsInFolder(workDir);
      ctx.out.write(`${formatRun(run, workDir, found)}\n`);
      const slips = run.status === 'passed' ? found.length : 0;
      ctx.out.write(run.status === 'passed' ? `All ${run.passed} checks pass. Well done!${slips ? ` Still, look at the line${slips === 1 ? '' : 's'} marked ! at the top: ${slips === 1 ? 'it does' : 'they do'} not change these checks' results, but ${slips === 1 ? 'it is' : 'they are'} not what you meant.` : ''}\n${next}\n` : `${run.passed} of ${run.results.length} checks pass. Fix the first failing one, then check again.${hints ? ` Stuck? ${hints}` : ''}\n`);
    }
    return run.status === 'passed' ? EXIT.ok : EXIT.failed;
  },
});

/**
 * The module folder and exercise a student names: `moduleArg` is an installed module's id or a
 * module folder. Throws a UsageError that says what exists when either is not found.
 */
async function exerciseOf(moduleArg: string, exerciseId: string, modulesDir: string | undefined, cmd: string) {
  const installed = listInstalled(modulesDir ? { modulesDir } : {});
  const byId = installed.find((m) => m.id === moduleArg);
  const dir = byId?.dir ?? resolve(moduleArg);
  if (!byId && !existsSync(join(dir, 'medigen-module.json'))) {
    const ids = installed.map((m) => m.id);
    throw new UsageError(
      `"${moduleArg}" is neither an installed module nor a module folder (no medigen-module.json in ${dir}).`,
      ids.length
        ? `Installed modules: ${ids.join(', ')}. Example: medigen curriculum ${cmd} ${ids[0]} <exercise-id>`
        : `No module is installed in ${displayPath(resolve(modulesDir ?? defaultModulesDir()))}. If you installed it with --modules <folder>, give the same --modules <folder> here; else install it first (medigen curriculum install <folder or git URL>), or give the folder that holds medigen-module.json.`,
    );
  }
  const loaded = await loadModule(dir, { loadChecks: false });
  if (!loaded.ok) throw new MedigenError(`The module in ${dir} has problems:\n${formatProblems(loaded.problems, dir)}`, 'Ask the module\'s author: it does not load as it is.');
  const ex = loaded.module.exercises.find((e) => e.id === exerciseId);
  if (!ex) throw new UsageError(`The module ${loaded.module.id} has no exercise "${exerciseId}".`, `Its exercises: ${loaded.module.exercises.map((e) => e.id).join(', ')}.`);
  const modules = modulesDir ? ` --modules ${displayPath(resolve(modulesDir))}` : '';
  const hints = ex.hints.length ? `This exercise has ${ex.hints.length} hint${ex.hints.length === 1 ? '' : 's'}: medigen curriculum hint ${byId ? byId.id : displayPath(dir)} ${ex.id}${modules}` : '';
  // What comes after this exercise, for the line after a pass.
  const at = loaded.module.exercises.indexOf(ex);
  const following = loaded.module.exercises[at + 1];
  const lesson = following && following.lessonId !== ex.lessonId ? loaded.module.lessons.find((l) => l.id === following.lessonId) : undefined;
  const next = following
    ? `Next: ${lesson ? `the lesson "${lesson.title}" (${displayPath(lesson.file)}), then ` : ''}the exercise "${following.title}": medigen curriculum check ${byId ? byId.id : displayPath(dir)} ${following.id}${modules}`
    : `That was the last exercise of ${loaded.module.title}.`;
  return { dir, ex, hints, next, installedDir: byId ? join(byId.dir, '..') : undefined };
}

/** The file where `hint` remembers, per exercise, how many hints an installed module's student has seen: beside module/ and work/. */
const HINTS_FILE = 'hints-shown.json';

function hintsShown(installedDir: string): Record<string, number> {
  try {
    const seen = JSON.parse(readFileSync(join(installedDir, HINTS_FILE), 'utf8')) as unknown;
    return seen && typeof seen === 'object' && !Array.isArray(seen) ? (seen as Record<string, number>) : {};
  } catch {
    return {}; // none yet, or unreadable: start from the first hint
  }
}

/** Remembers that hint `n` was shown; a folder that cannot be written only means the next `hint` starts over. */
function rememberHint(installedDir: string, exerciseId: string, n: number): void {
  const seen = hintsShown(installedDir);
  if ((seen[exerciseId] ?? 0) >= n) return;
  try {
    const file = join(installedDir, HINTS_FILE);
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...seen, [exerciseId]: n }, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch {
    // Not fatal: the hint was shown.
  }
}

export const hint = defineCommand({
  path: ['curriculum', 'hint'],
  summary: "Show an exercise's hints, one at a time",
  usage: '<module-id | module-folder> <exercise-id> [<number>] [--modules DIR]',
  options: { ...modulesOption },
  help: { ...modulesHelp },
  details: 'Shows the next hint you have not seen yet (for an installed module; else hint 1), or hint <number>, and how to see the next one.\nTry the exercise first: each hint gives a little more away.\nExample: medigen curriculum hint meet-the-data count-turns',
  async run(ctx) {
    const [moduleArg, exerciseId, nth, ...more] = ctx.positionals;
    if (!moduleArg || !exerciseId || more.length) throw new UsageError('Give the module (its id, or its folder), the exercise id, and optionally which hint.', 'Example: medigen curriculum hint meet-the-data count-turns 2');
    const { ex, installedDir } = await exerciseOf(moduleArg, exerciseId, ctx.values.modules, 'hint');
    if (!ex.hints.length) {
      ctx.out.write(`Exercise ${ex.id} has no hints. Read its lesson again, and the failing check's message: it says what was expected.\n`);
      return EXIT.ok;
    }
    const modules = ctx.values.modules ? ` --modules ${displayPath(resolve(ctx.values.modules))}` : '';
    // Without a number: the next hint not yet seen (an installed module remembers), the last one again after all.
    const n = nth !== undefined ? Number(nth) : Math.min((installedDir ? (hintsShown(installedDir)[ex.id] ?? 0) : 0) + 1, ex.hints.length);
    if (!Number.isInteger(n) || n < 1 || n > ex.hints.length) throw new UsageError(`There is no hint "${nth}": exercise ${ex.id} has hints 1 to ${ex.hints.length}.`, `Give a number from 1 to ${ex.hints.length}, e.g. medigen curriculum hint ${moduleArg} ${ex.id} 1${modules}`);
    if (installedDir) rememberHint(installedDir, ex.id, n);
    ctx.out.write(`Hint ${n} of ${ex.hints.length} for ${ex.id}:\n\n${ex.hints[n - 1]!.trim()}\n\n`);
    const next = installedDir ? `medigen curriculum hint ${moduleArg} ${ex.id}${modules}` : `medigen curriculum hint ${moduleArg} ${ex.id} ${n + 1}${modules}`;
    ctx.out.write(n < ex.hints.length ? `Still stuck? The next hint: ${next}\n` : `That was the last hint (the earlier ones: medigen curriculum hint ${moduleArg} ${ex.id} <1 to ${ex.hints.length}>${modules}). Then check again: medigen curriculum check ${moduleArg} ${ex.id}${modules}\n`);
    return EXIT.ok;
  },
});

