import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { streamProgress } from '../../core/index';
import { MedigenError, UsageError } from '../../core/index';
import { aroundFirstDifference, CI_WORKFLOW_FILE, checkMessageLines, compactDiff, explainJsError, explainValues, installModule, listInstalled, loadModule, MIN_WRONG_ANSWERS, runChecks, scaffoldModule, slipsInFolder, updateModule, validateModule, type CheckRun, type ModuleProblem } from '../../curriculum/engine';
import { defineCommand, EXIT, type Command } from '../command';
import { release } from './curriculumRelease';

const modulesOption = { modules: { type: 'string' } } as const;
const modulesHelp = { modules: 'Modules folder. Defaults to MEDIGEN_MODULES_DIR, else ~/.medigen/modules.' };

/** A path relative to the current folder when it is inside it, else absolute. */
function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return !rel ? '.' : rel.startsWith('..') ? p : rel;
}

function one(positionals: string[], what: string, cmd: string): string {
  if (positionals.length !== 1) throw new UsageError(`Give exactly one ${what}${positionals.length ? ` (got ${positionals.length})` : ''}.`, `Example: medigen curriculum ${cmd}`);
  return positionals[0]!;
}

/** Formats module problems for a terminal: `file:line  path  message` then the hint. */
export function formatProblems(problems: ModuleProblem[], base: string): string {
  return problems
    .map((p) => {
      const rel = relative(base, p.file) || '.';
      return `  ✗ ${rel.startsWith('..') ? p.file : rel}${p.line ? `:${p.line}` : ''}${p.path ? `  ${p.path}` : ''}\n    ${p.message}\n    What to do: ${p.hint}`;
    })
    .join('\n');
}

function formatRun(run: CheckRun, base: string): string {
  const lines: string[] = [];
  if (run.loadError) {
    const at = run.loadError.location ?? run.loadError.checkLocation;
    const plain = explainJsError(run.loadError.message);
    lines.push(`  ✗ The checks could not start: ${run.loadError.message}${plain ? `\n    In plain words: ${plain}` : ''}${at ? `\n    at ${relative(base, at.file)}:${at.line}:${at.column}` : ''}`);
  }
  for (const r of run.results) {
    const mark = r.status === 'passed' ? '✓' : r.status === 'not-run' ? '-' : '✗';
    lines.push(`  ${mark} ${r.fullTitle}${r.status === 'not-run' ? ' (not run)' : ''}`);
    if (r.status === 'passed' || r.status === 'not-run') continue;
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
  // Code that runs but cannot be what was meant (a single = in a comparison): worth a look, even
  // when the checks pass (the value it changes may not be one they look at).
  for (const s of slipsInFolder(base)) lines.push(`  ! ${s.file}, line ${s.line}: ${s.code}`, `    ${s.advice}`);
  return lines.join('\n');
}

const validate = defineCommand({
  path: ['curriculum', 'validate'],
  summary: 'Check a curriculum module before publishing it, in both editions (solutions, starters, wrong answers, the student edition)',
  usage: '<module-folder> [--json]',
  options: { json: { type: 'boolean' } },
  help: { json: 'Print the report as JSON.' },
  details: `Checks medigen-module.json against the published schema (curriculum/schema/module.schema.json),
that every lesson and exercise file exists, that lessons only link to existing exercises, that
every reference solution passes all its checks, that every starter FAILS all of them (a check
that passes on the starter cannot fail), that each check finishes within its time limit, and
that each exercise has at least three wrong answers (wrong/<case>/ with a WHY.md), each failing
at least one check. Grading checks (grading/*.test.ts) count like public ones here. A check that
no wrong answer makes fail is reported as a warning, with its name and exercise.
Then it writes the student edition (as \`medigen curriculum release\` would) into a temporary
folder and runs its public checks there, without solution/, grading/ and wrong/: they must pass on
a copy of the solution and fail on the starter. A check that imports or reads ../solution or a
grading file breaks there and is reported.
Example: medigen curriculum validate curriculum/modules/meet-the-data`,
  async run(ctx) {
    const dir = resolve(one(ctx.positionals, 'module folder', 'validate path/to/module'));
    const progress = streamProgress(ctx.err, 'Running checks on solutions and starters');
    const report = await validateModule(dir, { progress });
    progress.end();
    if (ctx.values.json) {
      const brief = (r: CheckRun) => ({ status: r.status, passed: r.passed, failed: r.failed });
      const exercises = report.exercises.map((e) => ({
        id: e.exercise.id,
        solution: brief(e.solution),
        starter: brief(e.starter),
        wrong: e.wrong.map((w) => ({ name: w.answer.name, why: w.answer.why, ...brief(w.run) })),
        ...(e.studentEdition ? { studentEdition: { solution: brief(e.studentEdition.solution), starter: brief(e.studentEdition.starter) } } : {}),
      }));
      ctx.out.write(`${JSON.stringify({ ok: report.ok, problems: report.problems, warnings: report.warnings, exercises }, null, 2)}\n`);
      return report.ok ? EXIT.ok : EXIT.failed;
    }
    if (report.module) {
      const m = report.module;
      ctx.out.write(`Module ${m.id} ${m.version} "${m.title}": ${m.lessons.length} lesson(s), ${m.exercises.length} exercise(s).\n`);
      for (const e of report.exercises) {
        const sol = `${e.solution.passed}/${e.solution.results.length}`;
        const st = `${e.starter.failed}/${e.starter.results.length}`;
        const caught = e.wrong.filter((w) => w.run.status === 'failed' || w.run.status === 'timeout').length;
        const good = e.solution.status === 'passed' && e.starter.passed === 0 && e.starter.results.length > 0 && caught === e.wrong.length && e.wrong.length >= MIN_WRONG_ANSWERS;
        const grading = e.solution.results.filter((r) => e.exercise.gradingFiles.includes(r.file ?? '')).length;
        ctx.out.write(`  ${good ? '✓' : '✗'} ${e.exercise.id}: solution passes ${sol} checks${grading ? ` (${grading} of them grading checks)` : ''}, starter fails ${st}, ${caught} of ${e.wrong.length} wrong answers caught\n`);
        for (const w of e.wrong) {
          const failing = w.run.results.filter((r) => r.status !== 'passed').length;
          const said = w.run.status === 'passed' ? 'passes every check (not caught)' : w.run.status === 'load-error' ? 'does not load' : `fails ${failing} of ${w.run.results.length} checks`;
          ctx.out.write(`      ${w.run.status === 'passed' || w.run.status === 'load-error' ? '✗' : '✓'} wrong/${w.answer.name}: ${said}\n`);
        }
        const se = e.studentEdition;
        if (se) {
          const ok = se.solution.status === 'passed' && se.starter.passed === 0 && se.starter.status !== 'load-error';
          const said = se.solution.status === 'load-error' || se.starter.status === 'load-error' ? 'its public checks do not load' : `public checks pass ${se.solution.passed}/${se.solution.results.length} on the solution, fail ${se.starter.failed}/${se.starter.results.length} on the starter`;
          ctx.out.write(`      ${ok ? '✓' : '✗'} student edition: ${said}\n`);
        }
      }
    }
    if (report.warnings.length) ctx.out.write(`${report.warnings.length} warning(s) (warnings alone do not fail the module):\n${formatProblems(report.warnings, dir)}\n`);
    if (report.ok) {
      ctx.out.write(`The module is valid, in both editions. To publish: raise "version" in medigen-module.json, write the student edition with \`medigen curriculum release ${displayPath(dir)} --out <folder>\`, then commit and tag it (git tag v${report.module!.version}).\n`);
      return EXIT.ok;
    }
    ctx.out.write(`${report.problems.length} problem(s) in ${dir}:\n${formatProblems(report.problems, dir)}\n`);
    return EXIT.failed;
  },
});

const create = defineCommand({
  path: ['curriculum', 'new'],
  summary: 'Create a new curriculum module with one lesson and one exercise',
  usage: '<folder> [--id ID] [--title TITLE] [--author NAME]',
  options: { id: { type: 'string' }, title: { type: 'string' }, author: { type: 'string' } },
  help: { id: 'Module id (lowercase, dashes). Defaults to the folder name.', title: 'Module title. Defaults to the id in words.', author: 'Author name. Defaults to "Your name".' },
  details: 'The new module passes `medigen curriculum validate` as it is; edit it from there. It comes with a\nGitHub Actions workflow (.github/workflows/validate.yml) that runs validate on every push.\nExample: medigen curriculum new my-module --title "Cleaning dialogues"',
  async run(ctx) {
    const dir = resolve(one(ctx.positionals, 'folder', 'new my-module'));
    const files = scaffoldModule({ dir, ...(ctx.values.id ? { id: ctx.values.id } : {}), ...(ctx.values.title ? { title: ctx.values.title } : {}), ...(ctx.values.author ? { author: ctx.values.author } : {}) });
    ctx.out.write(`Created a module in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\nNext: edit the lesson and exercise, then run \`medigen curriculum validate ${displayPath(dir)}\`.\n`);
    ctx.out.write(`${CI_WORKFLOW_FILE} runs the same validation on GitHub for every push once the module is a repository there; it builds MediGen Lab from its source (it is not on npm), so set the repository variable MEDIGEN_LAB_REPO first (see the comments at its top).\n`);
    return EXIT.ok;
  },
});

const install = defineCommand({
  path: ['curriculum', 'install'],
  summary: 'Install a curriculum module from a folder or git repository',
  usage: '<folder | git-URL> [--ref TAG] [--modules DIR]',
  options: { ref: { type: 'string' }, ...modulesOption },
  help: { ref: 'Git tag (or branch/commit) to install and stay on. Defaults to the newest version tag.', ...modulesHelp },
  details: 'Example: medigen curriculum install https://example.org/course/meet-the-data.git --ref v1.0.0',
  async run(ctx) {
    const source = one(ctx.positionals, 'folder or git URL', 'install path/to/module');
    const rec = await installModule({ source, ...(ctx.values.ref ? { ref: ctx.values.ref } : {}), ...(ctx.values.modules ? { modulesDir: ctx.values.modules } : {}) });
    ctx.out.write(`Installed ${rec.id} ${rec.version}${rec.ref ? ` (${rec.ref}${rec.pinned ? ', pinned' : ''})` : ''}.\nYour exercise files are in ${rec.workDir}.\n`);
    const loaded = await loadModule(rec.dir, { loadChecks: false });
    const first = loaded.ok ? loaded.module.exercises[0] : undefined;
    if (loaded.ok && first) {
      const modules = ctx.values.modules ? ` --modules ${displayPath(resolve(ctx.values.modules))}` : '';
      ctx.out.write(`Next: read the first lesson (${displayPath(loaded.module.lessons[0]!.file)}), write your code in ${displayPath(join(rec.workDir, first.id))}, then check it with\n` +
        `  medigen curriculum check ${rec.id} ${first.id}${modules}\n` +
        `Stuck? medigen curriculum hint ${rec.id} ${first.id}${modules} shows the hints one at a time.\n`);
    }
    return EXIT.ok;
  },
});

const update = defineCommand({
  path: ['curriculum', 'update'],
  summary: 'Update an installed module; your edited files are kept',
  usage: '<module-id> [--ref TAG] [--modules DIR]',
  options: { ref: { type: 'string' }, ...modulesOption },
  help: { ref: 'Move to this git tag (and stay on it). Defaults to the newest version, or the pinned tag.', ...modulesHelp },
  details: 'Files you have not edited get the new version. Files you edited are never changed: when the\ninstructor changed them too, the change is shown as a diff (and saved) for you to copy by hand.',
  async run(ctx) {
    const id = one(ctx.positionals, 'module id', 'update meet-the-data');
    const r = await updateModule({ id, ...(ctx.values.ref ? { ref: ctx.values.ref } : {}), ...(ctx.values.modules ? { modulesDir: ctx.values.modules } : {}) });
    if (r.status === 'pinned') {
      ctx.out.write(`${id} stays at ${r.before.version} (pinned to ${r.before.ref}).${r.newerTags.length ? ` Newer versions: ${r.newerTags.join(', ')}; move with --ref ${r.newerTags[r.newerTags.length - 1]}.` : ''}\n`);
      return EXIT.ok;
    }
    if (r.status === 'up-to-date') {
      ctx.out.write(`${id} ${r.before.version} is up to date.\n`);
      return EXIT.ok;
    }
    ctx.out.write(`Updated ${id} from ${r.before.version} to ${r.after.version}.\n`);
    for (const f of r.updatedFiles) ctx.out.write(`  updated  ${f}\n`);
    for (const f of r.addedFiles) ctx.out.write(`  added    ${f}\n`);
    for (const k of r.keptFiles) {
      ctx.out.write(`  kept     ${k.exerciseId}/${k.file} (you edited it; the instructor's change is below and in ${k.diffFile})\n${k.diff.replace(/^/gm, '    ')}\n`);
    }
    return EXIT.ok;
  },
});

const list = defineCommand({
  path: ['curriculum', 'list'],
  summary: 'List installed curriculum modules and their versions',
  usage: '[--modules DIR] [--json]',
  options: { json: { type: 'boolean' }, ...modulesOption },
  help: { json: 'Print the list as JSON.', ...modulesHelp },
  async run(ctx) {
    const mods = listInstalled(ctx.values.modules ? { modulesDir: ctx.values.modules } : {});
    if (ctx.values.json) ctx.out.write(`${JSON.stringify(mods, null, 2)}\n`);
    else if (!mods.length) ctx.out.write('No modules installed. Install one with `medigen curriculum install <folder or git URL>`.\n');
    else for (const m of mods) ctx.out.write(`${m.id}  ${m.version}${m.pinned ? ` (pinned to ${m.ref})` : ''}  ${m.title}\n  from ${m.source}\n  your files: ${m.workDir}\n`);
    return EXIT.ok;
  },
});

const check = defineCommand({
  path: ['curriculum', 'check'],
  summary: "Run an exercise's checks against your files",
  usage: '<module-id | module-folder> <exercise-id> [<your-folder>] [--modules DIR] [--json]',
  options: { json: { type: 'boolean' }, ...modulesOption },
  help: { json: 'Print the results as JSON (with file, line and column of each failure).', ...modulesHelp },
  details: 'The module is the id of an installed module (medigen curriculum list) or a module folder.\nYour folder defaults to the exercise\'s work folder of an installed module (../work/<exercise-id>),\nelse the current folder.\nExample: medigen curriculum check meet-the-data count-turns',
  async run(ctx) {
    const [moduleArg, exerciseId, work] = ctx.positionals;
    if (!moduleArg || !exerciseId || ctx.positionals.length > 3) throw new UsageError('Give the module (its id, or its folder) and the exercise id (and optionally your folder).', 'Example: medigen curriculum check meet-the-data count-turns');
    const { dir: moduleDir, ex, hints } = await exerciseOf(moduleArg, exerciseId, ctx.values.modules, 'check');
    const installedWork = join(resolve(moduleDir), '..', 'work', ex.id);
    const workDir = resolve(work ?? (existsSync(installedWork) ? installedWork : '.'));
    const run = await runChecks({ exerciseDir: ex.dir, workDir, checkTimeoutMs: ex.timeLimitMs });
    if (ctx.values.json) ctx.out.write(`${JSON.stringify(run, null, 2)}\n`);
    else {
      ctx.out.write(`${formatRun(run, workDir)}\n`);
      const slips = run.status === 'passed' ? slipsInFolder(workDir).length : 0;
      ctx.out.write(run.status === 'passed' ? `All ${run.passed} checks pass. Well done!${slips ? ` Still, look at the line${slips === 1 ? '' : 's'} marked ! above: ${slips === 1 ? 'it does' : 'they do'} not change these checks' results, but ${slips === 1 ? 'it is' : 'they are'} not what you meant.` : ''}\n` : `${run.passed} of ${run.results.length} checks pass. Fix the first failing one, then check again.${hints ? ` Stuck? ${hints}` : ''}\n`);
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
      ids.length ? `Installed modules: ${ids.join(', ')}. Example: medigen curriculum ${cmd} ${ids[0]} <exercise-id>` : 'Install the module first (medigen curriculum install <folder or git URL>), or give the folder that holds medigen-module.json.',
    );
  }
  const loaded = await loadModule(dir, { loadChecks: false });
  if (!loaded.ok) throw new MedigenError(`The module in ${dir} has problems:\n${formatProblems(loaded.problems, dir)}`, 'Ask the module\'s author: it does not load as it is.');
  const ex = loaded.module.exercises.find((e) => e.id === exerciseId);
  if (!ex) throw new UsageError(`The module ${loaded.module.id} has no exercise "${exerciseId}".`, `Its exercises: ${loaded.module.exercises.map((e) => e.id).join(', ')}.`);
  const modules = modulesDir ? ` --modules ${displayPath(resolve(modulesDir))}` : '';
  const hints = ex.hints.length ? `This exercise has ${ex.hints.length} hint${ex.hints.length === 1 ? '' : 's'}: medigen curriculum hint ${byId ? byId.id : displayPath(dir)} ${ex.id}${modules}` : '';
  return { dir, ex, hints };
}

const hint = defineCommand({
  path: ['curriculum', 'hint'],
  summary: "Show an exercise's hints, one at a time",
  usage: '<module-id | module-folder> <exercise-id> [<number>] [--modules DIR]',
  options: { ...modulesOption },
  help: { ...modulesHelp },
  details: 'Shows hint <number> (default 1), and how to see the next one. Try the exercise first: each hint gives a little more away.\nExample: medigen curriculum hint meet-the-data count-turns 2',
  async run(ctx) {
    const [moduleArg, exerciseId, nth, ...more] = ctx.positionals;
    if (!moduleArg || !exerciseId || more.length) throw new UsageError('Give the module (its id, or its folder), the exercise id, and optionally which hint.', 'Example: medigen curriculum hint meet-the-data count-turns 2');
    const { ex } = await exerciseOf(moduleArg, exerciseId, ctx.values.modules, 'hint');
    if (!ex.hints.length) {
      ctx.out.write(`Exercise ${ex.id} has no hints. Read its lesson again, and the failing check's message: it says what was expected.\n`);
      return EXIT.ok;
    }
    const n = nth === undefined ? 1 : Number(nth);
    if (!Number.isInteger(n) || n < 1 || n > ex.hints.length) throw new UsageError(`There is no hint "${nth}": exercise ${ex.id} has hints 1 to ${ex.hints.length}.`, `Example: medigen curriculum hint ${moduleArg} ${ex.id} 1`);
    const modules = ctx.values.modules ? ` --modules ${displayPath(resolve(ctx.values.modules))}` : '';
    ctx.out.write(`Hint ${n} of ${ex.hints.length} for ${ex.id}:\n\n${ex.hints[n - 1]!.trim()}\n\n`);
    ctx.out.write(n < ex.hints.length ? `Still stuck? The next hint: medigen curriculum hint ${moduleArg} ${ex.id} ${n + 1}${modules}\n` : `That was the last hint. Then check again: medigen curriculum check ${moduleArg} ${ex.id}${modules}\n`);
    return EXIT.ok;
  },
});

export const curriculumCommands: Command[] = [validate, create, install, update, list, check, hint, release];
