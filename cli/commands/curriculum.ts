import { join, resolve } from 'node:path';
import { streamProgress } from '../../core/index';
import { UsageError } from '../../core/index';
import { CI_WORKFLOW_FILE, installModule, listInstalled, loadModule, MIN_WRONG_ANSWERS, scaffoldModule, updateModule, validateModule, type CheckRun } from '../../curriculum/engine';
import { defineCommand, EXIT, type Command } from '../command';
import { displayPath, formatProblems, modulesHelp, modulesOption } from './curriculumFormat';
import { release } from './curriculumRelease';
import { check, hint } from './curriculumStudent';

function one(positionals: string[], what: string, cmd: string): string {
  if (positionals.length !== 1) throw new UsageError(`Give exactly one ${what}${positionals.length ? ` (got ${positionals.length})` : ''}.`, `Example: medigen curriculum ${cmd}`);
  return positionals[0]!;
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

export const curriculumCommands: Command[] = [validate, create, install, update, list, check, hint, release];
