/**
 * Reads a folder of submissions into one work folder per (student, exercise), for grading.
 * The folder holds `submit` archives (*.zip), or one folder per student with one folder per
 * exercise id. Nothing in it is changed: files are copied (archives unpacked) into `workRoot`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MedigenError } from '../../core/index';
import type { CurriculumModule } from '../engine/index';
import { readSubmission, type SubmissionManifest } from './archive';

/** One student's submission, unpacked. */
export interface CollectedSubmission {
  /** The student's id: the archive's name without .zip, or the folder's name (unique in the class). */
  student: string;
  /** The name the student gave in submission.json, when there is one. */
  name?: string;
  /** The archive or folder it came from. */
  source: string;
  moduleVersion?: string;
  manifest?: SubmissionManifest;
  /** exercise id → folder holding the student's files (copies), for exercises the submission has files of. */
  workDirs: Map<string, string>;
  /** What is wrong with the submission, in words (each a sentence). */
  notes: string[];
}

/** Everything found in a submissions folder. */
export interface CollectedClass {
  submissions: CollectedSubmission[];
  /** Entries that are neither an archive nor a student folder, with why. */
  skipped: string[];
}

/** Reads every submission in `dir` into `workRoot/<n>/<exercise id>/`. */
export function collectSubmissions(dir: string, module: CurriculumModule, workRoot: string): CollectedClass {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MedigenError(`The submissions folder ${dir} does not exist.`, 'Give a folder holding the students\' .zip archives (from `medigen curriculum submit`) or one folder per student.');
  const ids = new Set(module.exercises.map((e) => e.id));
  const submissions: CollectedSubmission[] = [];
  const skipped: string[] = [];
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  names.forEach((entry, k) => {
    const full = join(dir, entry);
    const target = join(workRoot, String(k));
    const st = statSync(full);
    if (st.isDirectory()) submissions.push(fromFolder(full, entry, ids, target));
    else if (entry.toLowerCase().endsWith('.zip')) submissions.push(fromArchive(full, entry.replace(/\.zip$/i, ''), module, ids, target));
    else skipped.push(`${entry}: not a .zip archive or a student folder, so it was not graded.`);
  });
  return { submissions, skipped };
}

function fromFolder(full: string, student: string, ids: Set<string>, target: string): CollectedSubmission {
  const workDirs = new Map<string, string>();
  const notes: string[] = [];
  for (const sub of readdirSync(full).filter((n) => !n.startsWith('.')).sort()) {
    const from = join(full, sub);
    if (!statSync(from).isDirectory()) {
      notes.push(`${sub} is a file at the top of the student's folder; files belong in a folder named after their exercise, so it was not graded.`);
      continue;
    }
    if (!ids.has(sub)) {
      notes.push(`The folder ${sub} is not an exercise of this module, so it was not graded.`);
      continue;
    }
    const to = join(target, sub);
    cpSync(from, to, { recursive: true, filter: (src) => basename(src) !== 'node_modules' });
    workDirs.set(sub, to);
  }
  return { student, source: full, workDirs, notes };
}

function fromArchive(full: string, student: string, module: CurriculumModule, ids: Set<string>, target: string): CollectedSubmission {
  const read = readSubmission(readFileSync(full));
  const notes = read.problems.map((p) => `The archive ${basename(full)}: ${p}`);
  const m = read.manifest;
  if (m && m.moduleId !== module.id) notes.push(`The archive is for module "${m.moduleId}", not "${module.id}"; only exercises with the same ids were graded.`);
  if (m && m.moduleId === module.id && m.moduleVersion !== module.version) notes.push(`Made for version ${m.moduleVersion} of the module; graded against version ${module.version}.`);
  const workDirs = new Map<string, string>();
  for (const [id, files] of read.files) {
    if (!ids.has(id)) {
      notes.push(`The archive has files for "${id}", which is not an exercise of this module; they were not graded.`);
      continue;
    }
    const to = join(target, id);
    for (const [name, data] of files) {
      const file = join(to, ...name.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, data);
    }
    workDirs.set(id, to);
  }
  return { student, ...(m?.student ? { name: m.student } : {}), source: full, ...(m ? { moduleVersion: m.moduleVersion, manifest: m } : {}), workDirs, notes };
}
