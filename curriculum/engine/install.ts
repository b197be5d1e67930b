import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { MedigenError } from '../../core/index';
import { unifiedDiff } from './diff';
import { listFiles, loadModule } from './load';
import type { CurriculumModule } from './types';
import { prepareWorkspace } from './workspace';

/**
 * Installing and updating curriculum modules from a folder or a git repository (a URL, a
 * file:// URL or a local path; tags pin versions). Layout of a modules folder:
 *
 *     <modules>/installed.json            what is installed: id, version, source, ref, commit
 *     <modules>/<id>/module/              the module as published, less its grading/ checks (replaced on update)
 *     <modules>/<id>/work/<exercise-id>/  the student's files (starter copies; never overwritten once edited)
 *     <modules>/<id>/updates/<version>/   diffs of instructor changes to files the student had edited
 */

/** One installed module, as recorded in installed.json. */
export interface InstalledModule {
  id: string;
  title: string;
  version: string;
  /** Where it came from: a folder path or a git URL/path. */
  source: string;
  /** The git tag, branch or commit installed (git sources only). */
  ref?: string;
  /** The exact commit installed (git sources only). */
  commit?: string;
  /** True when installed with an explicit ref: `update` then stays on it unless given another. */
  pinned: boolean;
  installedAt: string;
  /** Absolute path of the installed module (…/<id>/module). */
  dir: string;
  /** Absolute path of the student's work folder (…/<id>/work). */
  workDir: string;
}

/** Options shared by install, update and list. */
export interface ModulesDirOption {
  /** Where modules are installed. Defaults to MEDIGEN_MODULES_DIR, else ~/.medigen/modules. */
  modulesDir?: string;
  signal?: AbortSignal;
}

/** Options of `installModule`. */
export interface InstallOptions extends ModulesDirOption {
  /** A module folder, a git repository path, or a git URL (file://, https://). */
  source: string;
  /** Git tag, branch or commit to install and pin to. Defaults to the highest semver tag, else the default branch. */
  ref?: string;
  /**
   * Folder that holds the student's work of every module: exercises go to
   * `<workRoot>/<module id>/<exercise id>/` (the layout of the extension's sandbox). Recorded in
   * installed.json, so `updateModule` works on the same files. Defaults to `<modulesDir>/<id>/work`.
   */
  workRoot?: string;
}

/** Options of `updateModule`. */
export interface UpdateOptions extends ModulesDirOption {
  id: string;
  /** Move to this git tag/branch/commit (and pin to it). Defaults to the pinned ref, or the newest version. */
  ref?: string;
}

/** A starter file the student had edited and the instructor changed: kept as it was, with the change as a diff. */
export interface KeptFile {
  exerciseId: string;
  /** File name relative to the exercise's work folder. */
  file: string;
  /** The student's file (untouched). */
  path: string;
  /** Unified diff from the old starter to the new one: what the instructor changed. */
  diff: string;
  /** Where the diff was saved. */
  diffFile: string;
}

/** What `updateModule` did. */
export interface UpdateResult {
  status: 'updated' | 'up-to-date' | 'pinned';
  before: InstalledModule;
  after: InstalledModule;
  /** Unedited student files replaced by the new starter (exercise-id/file). */
  updatedFiles: string[];
  /** New starter files copied in (exercise-id/file). */
  addedFiles: string[];
  /** Edited student files left alone although the instructor changed them. */
  keptFiles: KeptFile[];
  /** Version tags of the source newer than the installed version (for status 'pinned'). */
  newerTags: string[];
}

/** The default modules folder: MEDIGEN_MODULES_DIR, else ~/.medigen/modules. */
export function defaultModulesDir(): string {
  return resolve(process.env.MEDIGEN_MODULES_DIR ?? join(homedir(), '.medigen', 'modules'));
}

/** Compares two semver versions: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((x) => Number(x) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let k = 0; k < 3; k++) if ((x.nums[k] ?? 0) !== (y.nums[k] ?? 0)) return (x.nums[k] ?? 0) - (y.nums[k] ?? 0);
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

const VERSION_TAG = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

function registryFile(modulesDir: string): string {
  return join(modulesDir, 'installed.json');
}

function readRegistry(modulesDir: string): Record<string, InstalledModule> {
  const file = registryFile(modulesDir);
  if (!existsSync(file)) return {};
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { modules: Record<string, InstalledModule> }).modules ?? {};
  } catch (e) {
    throw new MedigenError(`${file} is damaged: ${(e as Error).message}.`, 'Restore it from a backup, or delete it and install the modules again (student work in the work/ folders is kept).');
  }
}

function writeRegistry(modulesDir: string, modules: Record<string, InstalledModule>): void {
  mkdirSync(modulesDir, { recursive: true });
  const tmp = `${registryFile(modulesDir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ modules }, null, 2)}\n`);
  renameSync(tmp, registryFile(modulesDir));
}

/** Every installed module, sorted by id. */
export function listInstalled(opts: ModulesDirOption = {}): InstalledModule[] {
  const reg = readRegistry(resolve(opts.modulesDir ?? defaultModulesDir()));
  return Object.values(reg).sort((a, b) => a.id.localeCompare(b.id));
}

function isGitSource(source: string): boolean {
  if (!existsSync(source)) return true; // a URL
  if (!statSync(source).isDirectory()) return false;
  return existsSync(join(source, '.git')) || (existsSync(join(source, 'HEAD')) && existsSync(join(source, 'objects')) && existsSync(join(source, 'refs')));
}

interface Fetched {
  staging: string;
  module: CurriculumModule;
  ref?: string;
  commit?: string;
  tags: string[];
}

/** Copies the module at `source` (checked out at `ref`) into a fresh temporary folder and loads it. */
async function fetchModule(source: string, ref: string | undefined, signal?: AbortSignal): Promise<Fetched> {
  const staging = mkdtempSync(join(tmpdir(), 'medigen-module-'));
  const fail = (e: unknown): never => {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  };
  let chosenRef: string | undefined;
  let commit: string | undefined;
  let tags: string[] = [];
  const local = existsSync(source) ? resolve(source) : source;
  if (isGitSource(local)) {
    const clone = join(staging, 'clone');
    try {
      await simpleGit({ ...(signal ? { abort: signal } : {}) }).clone(local, clone);
      const git = simpleGit({ baseDir: clone, ...(signal ? { abort: signal } : {}) });
      tags = (await git.tags()).all.filter((t) => VERSION_TAG.test(t)).sort(compareVersions);
      chosenRef = ref ?? tags[tags.length - 1];
      if (chosenRef) await git.checkout(chosenRef);
      commit = (await git.revparse(['HEAD'])).trim();
    } catch (e) {
      if (e instanceof MedigenError) fail(e);
      const msg = (e as Error).message.trim().split('\n').slice(-2).join(' ');
      fail(new MedigenError(`Could not get ${ref ? `"${ref}" of ` : ''}the module from ${source}: ${msg}`, ref ? `Check the tag name; the repository's version tags are listed by \`git tag\`.` : 'Check the path or URL of the module repository (it must be a git repository or a folder with medigen-module.json).'));
    }
    rmSync(join(clone, '.git'), { recursive: true, force: true });
    renameSync(clone, join(staging, 'module'));
  } else {
    if (ref) fail(new MedigenError(`${source} is a plain folder, not a git repository, so it has no version "${ref}".`, 'Leave out --ref, or install from the git repository of the module.'));
    cpSync(local, join(staging, 'module'), { recursive: true, filter: (src) => !/[\\/](\.git|node_modules)$/.test(src) });
  }
  const loaded = await loadModule(join(staging, 'module'), { loadChecks: false });
  if (!loaded.ok) {
    const list = loaded.problems.slice(0, 5).map((p) => `  - ${p.message}`).join('\n');
    fail(new MedigenError(`The module at ${source}${chosenRef ? ` (${chosenRef})` : ''} has ${loaded.problems.length} problem(s), so it was not installed:\n${list}`, 'Ask the module author to run `medigen curriculum validate` and publish a fixed version.'));
  }
  // Grading checks run only when the instructor grades: they are never installed on a student's machine.
  for (const ex of loaded.module!.exercises) {
    rmSync(join(ex.dir, 'grading'), { recursive: true, force: true });
    ex.gradingFiles = [];
  }
  return { staging, module: loaded.module!, ...(chosenRef ? { ref: chosenRef } : {}), ...(commit ? { commit } : {}), tags };
}

/**
 * Installs a module from a folder or git repository into the modules folder and prepares the
 * student's work folder for each exercise (starter files copied). The module may be an
 * instructor edition (its solutions and wrong answers stay in the modules folder, outside the
 * student's folder, where student code cannot import them) or a student edition written by
 * `releaseModule`; grading checks (grading/) are never installed. With `ref`, the module is
 * pinned to that tag. Fails when a module with the same id is already installed (use update).
 */
export async function installModule(opts: InstallOptions): Promise<InstalledModule> {
  const modulesDir = resolve(opts.modulesDir ?? defaultModulesDir());
  const fetched = await fetchModule(opts.source, opts.ref, opts.signal);
  const reg = readRegistry(modulesDir);
  const id = fetched.module.id;
  if (reg[id]) {
    rmSync(fetched.staging, { recursive: true, force: true });
    throw new MedigenError(`The module "${id}" is already installed (version ${reg[id].version}).`, `Run \`medigen curriculum update ${id}\` to get a newer version; your work is kept.`);
  }
  const home = join(modulesDir, id);
  const dir = join(home, 'module');
  mkdirSync(home, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(fetched.staging, 'module'), dir);
  rmSync(fetched.staging, { recursive: true, force: true });
  const installed = await loadModule(dir, { loadChecks: false });
  const workDir = opts.workRoot ? join(resolve(opts.workRoot), id) : join(home, 'work');
  for (const ex of installed.module!.exercises) prepareWorkspace({ exercise: ex, workDir: join(workDir, ex.id) });
  const rec: InstalledModule = {
    id,
    title: fetched.module.title,
    version: fetched.module.version,
    source: existsSync(opts.source) ? resolve(opts.source) : opts.source,
    ...(fetched.ref ? { ref: fetched.ref } : {}),
    ...(fetched.commit ? { commit: fetched.commit } : {}),
    pinned: opts.ref !== undefined,
    installedAt: new Date().toISOString(),
    dir,
    workDir,
  };
  writeRegistry(modulesDir, { ...reg, [id]: rec });
  return rec;
}

/**
 * Updates an installed module to a newer version (or to `ref`) without touching the student's
 * edited files: a work file still equal to the old starter gets the new starter; an edited one is
 * kept, and when the instructor changed that starter the change is returned (and saved) as a
 * diff. A module pinned to a ref stays there unless `ref` is given.
 */
export async function updateModule(opts: UpdateOptions): Promise<UpdateResult> {
  const modulesDir = resolve(opts.modulesDir ?? defaultModulesDir());
  const reg = readRegistry(modulesDir);
  const before = reg[opts.id];
  if (!before) {
    const ids = Object.keys(reg);
    throw new MedigenError(`No module "${opts.id}" is installed.`, ids.length ? `Installed modules: ${ids.join(', ')}.` : 'Install it first with `medigen curriculum install <folder or git URL>`.');
  }
  const ref = opts.ref ?? (before.pinned ? before.ref : undefined);
  const fetched = await fetchModule(before.source, ref, opts.signal);
  const next = fetched.module;
  const newerTags = fetched.tags.filter((t) => compareVersions(t, before.version) > 0);
  const none = { updatedFiles: [], addedFiles: [], keptFiles: [], newerTags };
  if (next.id !== before.id) {
    rmSync(fetched.staging, { recursive: true, force: true });
    throw new MedigenError(`The source now holds module "${next.id}", not "${before.id}".`, 'The module was renamed: install it under its new id.');
  }
  const sameCommit = fetched.commit !== undefined && fetched.commit === before.commit;
  if (sameCommit || (!fetched.commit && next.version === before.version && sameTree(join(fetched.staging, 'module'), before.dir))) {
    rmSync(fetched.staging, { recursive: true, force: true });
    return { status: before.pinned && !opts.ref ? 'pinned' : 'up-to-date', before, after: before, ...none };
  }
  if (!opts.ref && compareVersions(next.version, before.version) < 0) {
    rmSync(fetched.staging, { recursive: true, force: true });
    throw new MedigenError(`The source has version ${next.version}, older than the installed ${before.version}; nothing was changed.`, 'To go back on purpose, give the version with --ref.');
  }
  const old = await loadModule(before.dir, { loadChecks: false });
  const oldStarter = new Map((old.module?.exercises ?? []).map((e) => [e.id, e.starterDir]));
  const updatedFiles: string[] = [];
  const addedFiles: string[] = [];
  const keptFiles: KeptFile[] = [];
  const newDir = join(fetched.staging, 'module');
  const newLoaded = await loadModule(newDir, { loadChecks: false });
  for (const ex of newLoaded.module!.exercises) {
    const work = join(before.workDir, ex.id);
    for (const f of listFiles(ex.starterDir)) {
      const target = join(work, f);
      const fresh = readFileSync(join(ex.starterDir, f), 'utf8');
      const oldFile = oldStarter.has(ex.id) ? join(oldStarter.get(ex.id)!, f) : undefined;
      const previous = oldFile && existsSync(oldFile) ? readFileSync(oldFile, 'utf8') : undefined;
      if (!existsSync(target)) {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, fresh);
        addedFiles.push(`${ex.id}/${f}`);
        continue;
      }
      const mine = readFileSync(target, 'utf8');
      if (mine === fresh || previous === fresh) continue;
      if (previous !== undefined && mine === previous) {
        writeFileSync(target, fresh);
        updatedFiles.push(`${ex.id}/${f}`);
      } else {
        const diff = unifiedDiff(previous ?? '', fresh, `a/${f} (starter ${before.version})`, `b/${f} (starter ${next.version})`);
        const diffFile = join(modulesDir, before.id, 'updates', next.version, ex.id, `${f}.diff`);
        mkdirSync(dirname(diffFile), { recursive: true });
        writeFileSync(diffFile, diff);
        keptFiles.push({ exerciseId: ex.id, file: f, path: target, diff, diffFile });
      }
    }
    prepareWorkspace({ exercise: ex, workDir: work });
  }
  rmSync(before.dir, { recursive: true, force: true });
  renameSync(newDir, before.dir);
  rmSync(fetched.staging, { recursive: true, force: true });
  const after: InstalledModule = {
    ...before,
    title: next.title,
    version: next.version,
    ...(fetched.ref ? { ref: fetched.ref } : {}),
    ...(fetched.commit ? { commit: fetched.commit } : {}),
    pinned: opts.ref !== undefined ? true : before.pinned,
    installedAt: new Date().toISOString(),
  };
  if (!fetched.ref) delete after.ref;
  writeRegistry(modulesDir, { ...readRegistry(modulesDir), [after.id]: after });
  return { status: 'updated', before, after, updatedFiles, addedFiles, keptFiles, newerTags };
}

function sameTree(a: string, b: string): boolean {
  const fa = listFiles(a);
  const fb = listFiles(b);
  return fa.length === fb.length && fa.every((f, k) => f === fb[k] && readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}
