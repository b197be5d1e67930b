/**
 * `submit`: packs one student's work for one module into one archive (archive.ts): their files
 * per exercise, their progress, the last public check results, and the module's id and version.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { MedigenError } from '../../core/index';
import { defaultModulesDir, listInstalled, type InstalledModule } from '../engine/index';
import { labModulesDir, lastResultsFile, progressKey, type LastResults } from '../lab/index';
import { ProgressStore } from '../../sandbox/index';
import { packSubmission, SUBMISSION_FORMAT, type SubmissionManifest } from './archive';

/** Options of `submitModule`. */
export interface SubmitOptions {
  moduleId: string;
  /** The archive to write (.zip). */
  out: string;
  /** The student's sandbox. Defaults to MEDIGEN_SANDBOX_DIR, else ~/MediGenLab (as in VS Code). */
  sandboxRoot?: string;
  /** Where the module is installed. Defaults to the sandbox's modules folder, else MEDIGEN_MODULES_DIR or ~/.medigen/modules. */
  modulesDir?: string;
  /** The student's name written into the archive. Defaults to the login name. */
  student?: string;
  /** Replace `out` when it exists. Defaults to false. */
  force?: boolean;
}

/** What `submitModule` wrote. */
export interface SubmitResult {
  out: string;
  moduleId: string;
  moduleVersion: string;
  /** Files packed per exercise id. */
  exercises: Record<string, string[]>;
  /** Exercises of the module with no files of the student's (never started). */
  notStarted: string[];
  bytes: number;
}

/** Files and folders of a work folder that are not the student's work. */
const NOT_WORK = new Set(['tsconfig.json', 'node_modules', '.git', '.DS_Store']);
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The sandbox folder the extension uses by default. */
export function defaultSandboxDir(): string {
  return resolve(process.env.MEDIGEN_SANDBOX_DIR || join(process.env.HOME ?? userInfo().homedir, 'MediGenLab'));
}

function findInstalled(moduleId: string, modulesDirs: string[]): InstalledModule {
  for (const modulesDir of modulesDirs) {
    const m = listInstalled({ modulesDir }).find((x) => x.id === moduleId);
    if (m) return m;
  }
  const known = [...new Set(modulesDirs.flatMap((d) => listInstalled({ modulesDir: d }).map((x) => x.id)))];
  throw new MedigenError(`No module "${moduleId}" is installed (looked in ${modulesDirs.join(' and ')}).`, known.length ? `Installed modules: ${known.join(', ')}. Give one of these ids.` : 'Open the module\'s lesson in VS Code first (or install it with `medigen curriculum install`), then submit.');
}

/** The student's files in an exercise folder (relative names, forward slashes), sorted. */
function workFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (NOT_WORK.has(name) || name.startsWith('.')) continue;
      const full = join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) {
        if (st.size > MAX_FILE_BYTES) throw new MedigenError(`${full} is ${(st.size / 1024 / 1024).toFixed(1)} MB, too large for a submission (at most ${MAX_FILE_BYTES / 1024 / 1024} MB a file).`, 'Move data files out of the exercise folder (the checks bring their own data), then submit again.');
        out.push(relative(dir, full).split(sep).join('/'));
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Packs the student's work for one module into `out`: their files of every exercise, progress
 * and last public results from the sandbox, and the module id and version. Refuses an `out`
 * inside the work being packed, and never replaces an existing file unless `force`.
 */
export function submitModule(opts: SubmitOptions): SubmitResult {
  const sandboxRoot = resolve(opts.sandboxRoot ?? defaultSandboxDir());
  const modulesDirs = opts.modulesDir ? [resolve(opts.modulesDir)] : [labModulesDir(sandboxRoot), defaultModulesDir()];
  const mod = findInstalled(opts.moduleId, modulesDirs);
  const out = resolve(opts.out);
  const manifestFile = join(mod.dir, 'medigen-module.json');
  const manifest = readJson<{ lessons?: { exercises?: { id: string }[] }[] }>(manifestFile);
  if (!manifest) throw new MedigenError(`The installed module ${mod.id} has no readable ${manifestFile}.`, `Install it again (\`medigen curriculum install ${mod.source}\`), then submit.`);
  const ids = (manifest.lessons ?? []).flatMap((l) => (l.exercises ?? []).map((e) => e.id));
  const workDir = resolve(mod.workDir);
  if (out === workDir || out.startsWith(workDir + sep)) throw new MedigenError(`The archive ${out} would be inside your work folder ${workDir}, among the files it packs.`, 'Write it somewhere else, e.g. --out ~/Desktop/' + `${mod.id}-submission.zip.`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new MedigenError(`${out} is a folder.`, `Give a file name for the archive, e.g. ${join(out, `${mod.id}-submission.zip`)}.`);
  if (existsSync(out) && !opts.force) throw new MedigenError(`${out} already exists; it was not replaced.`, 'Give another --out file, or add --force to replace it.');
  if (!existsSync(dirname(out))) throw new MedigenError(`The folder ${dirname(out)} does not exist, so ${out} cannot be written.`, 'Create the folder first, or give another --out file.');

  const inSandbox = workDir === sandboxRoot || workDir.startsWith(sandboxRoot + sep);
  const progress = inSandbox && existsSync(join(sandboxRoot, '.medigen', 'progress.json')) ? new ProgressStore(sandboxRoot) : undefined;
  const files = new Map<string, Map<string, Uint8Array>>();
  const exercises: SubmissionManifest['exercises'] = {};
  const packed: Record<string, string[]> = {};
  const notStarted: string[] = [];
  for (const id of ids) {
    const dir = join(workDir, id);
    const names = workFiles(dir);
    if (!names.length) notStarted.push(id);
    const list = new Map<string, Uint8Array>();
    for (const n of names) list.set(n, readFileSync(join(dir, ...n.split('/'))));
    files.set(id, list);
    packed[id] = names;
    const key = { moduleId: mod.id, exerciseId: id };
    const p = progress?.get(progressKey(key));
    const last = inSandbox ? readJson<LastResults>(lastResultsFile(sandboxRoot, key)) : undefined;
    exercises[id] = { files: names, ...(p && p.status !== 'not-started' ? { progress: p } : {}), ...(last ? { lastResults: last } : {}) };
  }
  const student = (opts.student ?? userInfo().username).trim() || 'student';
  const m: SubmissionManifest = { format: SUBMISSION_FORMAT, formatVersion: 1, moduleId: mod.id, moduleVersion: mod.version, student, submittedAt: new Date().toISOString(), exercises };
  const bytes = packSubmission(m, files);
  const tmp = `${out}.partial-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
  return { out, moduleId: mod.id, moduleVersion: mod.version, exercises: packed, notStarted, bytes: bytes.length };
}
