/** Writes what `grade` produced: the CSV, the HTML report and one feedback file per student. */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { MedigenError } from '../../core/index';
import { feedbackFileName, feedbackMarkdown, gradesCsv } from './feedback';
import type { ClassGrades } from './grade';
import { reportHtml } from './report';

/** Where to write. */
export interface GradeOutputs {
  csv: string;
  html?: string;
  feedbackDir?: string;
  /** Replace files that exist. Defaults to false. */
  force?: boolean;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.partial-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Checks the output paths before any grading (an output that is an input, or an existing file
 * without force, is refused), so a long run never ends in an error about where to write.
 */
export function checkGradeOutputs(o: GradeOutputs, inputs: string[]): void {
  const ins = inputs.map((i) => resolve(i));
  const outs = [o.csv, o.html].filter((x): x is string => !!x).map((x) => resolve(x));
  for (const out of [...outs, ...(o.feedbackDir ? [resolve(o.feedbackDir)] : [])]) {
    const clash = ins.find((i) => out === i || out.startsWith(i + sep));
    if (clash) throw new MedigenError(`The output ${out} would be inside ${clash}, which is an input.`, 'Write the grades somewhere else (e.g. a "grades" folder next to the submissions).');
  }
  if (new Set(outs).size !== outs.length) throw new MedigenError('--out and --html name the same file.', 'Give the CSV and the HTML report different names.');
  for (const out of outs) {
    if (!existsSync(dirname(out))) throw new MedigenError(`The folder ${dirname(out)} does not exist, so ${out} cannot be written.`, 'Create the folder first, or give another path.');
    if (existsSync(out) && !o.force) throw new MedigenError(`${out} already exists; it was not replaced.`, 'Give another file name, or add --force to replace it.');
  }
  if (o.feedbackDir && existsSync(o.feedbackDir) && !statSync(o.feedbackDir).isDirectory()) throw new MedigenError(`${o.feedbackDir} is a file, not a folder.`, 'Give a folder for the feedback files (it is created when missing).');
}

/** Writes the outputs; returns the files written. */
export function writeGradeOutputs(grades: ClassGrades, o: GradeOutputs): string[] {
  const written: string[] = [];
  writeAtomic(resolve(o.csv), gradesCsv(grades));
  written.push(resolve(o.csv));
  if (o.html) {
    writeAtomic(resolve(o.html), reportHtml(grades));
    written.push(resolve(o.html));
  }
  if (o.feedbackDir) {
    const dir = resolve(o.feedbackDir);
    mkdirSync(dir, { recursive: true });
    const used = new Set<string>();
    for (const s of grades.students) {
      let name = feedbackFileName(s.student);
      for (let k = 2; used.has(name); k++) name = feedbackFileName(`${s.student}-${k}`);
      used.add(name);
      const file = join(dir, name);
      if (existsSync(file) && !o.force) throw new MedigenError(`${file} already exists; it was not replaced.`, 'Give an empty --feedback folder, or add --force to replace the files.');
      writeAtomic(file, feedbackMarkdown(grades, s));
      written.push(file);
    }
  }
  return written;
}
