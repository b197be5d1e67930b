import { relative, resolve } from 'node:path';
import { streamProgress, UsageError } from '../../core/index';
import { checkGradeOutputs, gradeClass, submitModule, writeGradeOutputs } from '../../curriculum/grading/index';
import { defineCommand, EXIT, type Command } from '../command';
import { num, withSigint } from '../options';

const show = (p: string) => {
  const rel = relative(process.cwd(), p);
  return !rel || rel.startsWith('..') ? p : rel;
};

const submit = defineCommand({
  path: ['curriculum', 'submit'],
  summary: "Pack your work for one module into one archive to hand in",
  usage: '<module-id> --out <file.zip> [--name NAME] [--sandbox DIR] [--modules DIR] [--force]',
  options: { out: { type: 'string' }, name: { type: 'string' }, sandbox: { type: 'string' }, modules: { type: 'string' }, force: { type: 'boolean' } },
  help: {
    out: 'The archive to write (.zip). Required; never inside your work folder.',
    name: 'Your name, as your instructor should see it. Defaults to your login name.',
    sandbox: 'Your MediGen Lab folder. Defaults to MEDIGEN_SANDBOX_DIR, else ~/MediGenLab (as in VS Code).',
    modules: 'Where the module is installed. Defaults to the sandbox\'s modules folder, else MEDIGEN_MODULES_DIR or ~/.medigen/modules.',
    force: 'Replace the archive when it exists.',
  },
  details: `The archive holds your files of every exercise of the module, your progress, the results of
your last check of each exercise, and the module's id and version. Nothing is sent anywhere:
hand the file in as your instructor asks.
Example: medigen curriculum submit meet-the-data --out ~/meet-the-data-ana.zip --name "Ana Ruiz"`,
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('Give exactly one module id.', 'Example: medigen curriculum submit meet-the-data --out meet-the-data.zip (see `medigen curriculum list`).');
    if (!ctx.values.out) throw new UsageError('Give the archive to write with --out.', 'Example: medigen curriculum submit meet-the-data --out meet-the-data.zip');
    const r = submitModule({
      moduleId: ctx.positionals[0]!,
      out: ctx.values.out,
      ...(ctx.values.name ? { student: ctx.values.name } : {}),
      ...(ctx.values.sandbox ? { sandboxRoot: ctx.values.sandbox } : {}),
      ...(ctx.values.modules ? { modulesDir: ctx.values.modules } : {}),
      force: ctx.values.force ?? false,
    });
    const files = Object.values(r.exercises).reduce((a, f) => a + f.length, 0);
    ctx.out.write(`Packed ${files} file(s) of ${Object.keys(r.exercises).length - r.notStarted.length} exercise(s) of ${r.moduleId} ${r.moduleVersion} into ${show(r.out)} (${Math.ceil(r.bytes / 1024)} KB).\n`);
    if (r.notStarted.length) ctx.out.write(`Not started (nothing packed): ${r.notStarted.join(', ')}.\n`);
    ctx.out.write('Hand this file in as your instructor asks.\n');
    return EXIT.ok;
  },
});

const grade = defineCommand({
  path: ['curriculum', 'grade'],
  summary: "Grade a class's submissions: a CSV of points, feedback per student, an HTML report",
  usage: '<module-folder> <submissions-folder> --out grades.csv [--html report.html] [--feedback DIR] [--jobs N] [--time-limit S] [--force]',
  options: { out: { type: 'string' }, html: { type: 'string' }, feedback: { type: 'string' }, jobs: { type: 'string' }, 'time-limit': { type: 'string' }, force: { type: 'boolean' } },
  help: {
    out: 'The grades CSV to write: one row per student, the points of each exercise, total and max. Required.',
    html: 'Also write the class report (pass rate per exercise, common failures, who is stuck where) as one HTML file.',
    feedback: 'Write one Markdown feedback file per student into this folder (created when missing).',
    jobs: 'Gradings run at once, each in its own process. Defaults to the number of CPU cores.',
    'time-limit': "Time limit of each check in seconds, instead of each exercise's timeLimitMs.",
    force: 'Replace output files that exist.',
  },
  details: `The module folder is the instructor's (with grading/ checks). The submissions folder holds the
students' .zip archives from \`medigen curriculum submit\`, or one folder per student with one
folder per exercise id. Each student's exercise runs its public and grading checks in its own
process with time limits; a submission that is damaged, from another module version, or that
never finishes is graded as far as it goes and noted in the CSV's notes column.
Example: medigen curriculum grade course/meet-the-data inbox --out grades.csv --html report.html --feedback feedback`,
  async run(ctx) {
    const [moduleDir, submissions] = ctx.positionals;
    if (!moduleDir || !submissions || ctx.positionals.length !== 2) throw new UsageError('Give the module folder and the submissions folder.', 'Example: medigen curriculum grade path/to/module submissions --out grades.csv');
    if (!ctx.values.out) throw new UsageError('Give the grades CSV to write with --out.', 'Example: medigen curriculum grade path/to/module submissions --out grades.csv');
    const jobs = num(ctx.values.jobs, 'jobs', { min: 1, max: 64, integer: true });
    const limit = num(ctx.values['time-limit'], 'time-limit', { min: 0.1, max: 600 });
    const outputs = { csv: ctx.values.out, ...(ctx.values.html ? { html: ctx.values.html } : {}), ...(ctx.values.feedback ? { feedbackDir: ctx.values.feedback } : {}), force: ctx.values.force ?? false };
    checkGradeOutputs(outputs, [moduleDir, submissions]);
    const progress = streamProgress(ctx.err, 'Grading');
    const grades = await withSigint(ctx.err, 'Stopping: the running checks are being ended…', (signal) =>
      gradeClass({ moduleDir, submissions, signal, ...(jobs ? { jobs } : {}), ...(limit ? { checkTimeoutMs: Math.round(limit * 1000) } : {}), onGraded: (done, total, s, e) => progress.report(done, total, `${s}/${e}`) }),
    );
    progress.end();
    if (!grades.students.length) {
      ctx.out.write(`No submissions found in ${resolve(submissions)}: nothing was graded or written.${grades.skipped.length ? `\n${grades.skipped.map((x) => `  ${x}`).join('\n')}` : ''}\nPut the students' .zip archives (or one folder per student) there and run grade again.\n`);
      return EXIT.failed;
    }
    const written = writeGradeOutputs(grades, outputs);
    ctx.out.write(`Graded ${grades.students.length} student(s) × ${grades.exercises.length} exercise(s) of ${grades.module.id} ${grades.module.version} in ${Math.round(grades.durationMs / 1000)} s (${grades.jobs} at a time).\n`);
    for (const s of grades.students) {
      ctx.out.write(`  ${s.student}: ${s.total}/${s.max}${s.notes.length ? `  (${s.notes.join(' ')})` : ''}\n`);
      for (const e of s.exercises.filter((x) => x.status !== 'graded')) ctx.out.write(`      ${e.exerciseId}: ${e.note}\n`);
    }
    for (const x of grades.skipped) ctx.out.write(`  skipped ${x}\n`);
    for (const w of grades.warnings) ctx.out.write(`  warning: ${w}\n`);
    ctx.out.write(`Wrote ${show(written[0]!)}${ctx.values.html ? `, ${show(resolve(ctx.values.html))}` : ''}${ctx.values.feedback ? ` and ${grades.students.length} feedback file(s) in ${show(resolve(ctx.values.feedback))}` : ''}.\n`);
    return EXIT.ok;
  },
});

export const gradingCommands: Command[] = [submit, grade];
