import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { simpleGit } from 'simple-git';
import { MedigenError } from '../../core/index';
import { loadModule } from './load';
import { isInside } from './locate';
import { INSTRUCTOR_ONLY_FOLDERS, MANIFEST_FILE, type CurriculumModule } from './types';

/**
 * The student edition of a module: what `medigen curriculum release` writes. The instructor's
 * module folder holds everything; the student edition holds only what a student may see and run:
 * the manifest (marked `"edition": "student"`), the lesson files and the files they link, and each
 * exercise folder without solution/, grading/ and wrong/ (starter/, public checks/, hints.md,
 * exercise.json and any data the checks read). Nothing else of the module folder goes in.
 */

/** The file a release writes into its output folder: which files it wrote and their SHA-256, so a later release may replace them (and only them). */
export const RELEASE_RECORD = '.medigen-release.json';

/** Options of `releaseModule`. */
export interface ReleaseOptions {
  /** The instructor's module folder. */
  dir: string;
  /** Where to write the student edition: a new or empty folder, or the folder of an earlier release of the same module. */
  out: string;
}

/** What `releaseModule` did. */
export interface ReleaseResult {
  /** The instructor's module as loaded. */
  module: CurriculumModule;
  /** Absolute path of the student edition. */
  out: string;
  /** Files written, relative to `out`, sorted. */
  written: string[];
  /** What of the module folder was left out, and why (instructor-only folders once each, with their file count). */
  leftOut: { path: string; why: string }[];
  /** Files of the earlier release in `out` that are no longer part of the edition, removed. */
  removed: string[];
  /** True when `out` held an earlier release (its files were replaced). */
  replaced: boolean;
}

interface ReleaseRecord {
  module: string;
  version: string;
  files: Record<string, string>;
}

const WHY: Record<(typeof INSTRUCTOR_ONLY_FOLDERS)[number], string> = {
  solution: 'reference solution',
  grading: 'grading checks (used only when grading)',
  wrong: 'wrong answers (used by validate)',
};

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const posix = (p: string) => p.split(sep).join('/');

/** Every file under `root` except .git/ and node_modules/, relative with `/`, sorted. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === '.git' || name === 'node_modules') continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(posix(relative(root, full)));
    }
  };
  walk(root);
  return out.sort();
}

/** Relative link and image targets in a lesson's Markdown (`](file)`, `src="file"`), without #anchors or ?queries. */
function linkedFiles(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...markdown.matchAll(/\bsrc\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#') && !t.startsWith('/')).map((t) => decodeURI(t.replace(/[#?].*$/, ''))).filter(Boolean);
}

/** The student edition's files: relative path in the edition → source file in the module (the manifest is written, not copied). */
function editionFiles(module: CurriculumModule): Map<string, string> {
  const root = module.dir;
  const instructorOnly = module.exercises.flatMap((ex) => INSTRUCTOR_ONLY_FOLDERS.map((f) => join(ex.dir, f)));
  const allowed = (file: string) => isInside(file, root) && !instructorOnly.some((d) => isInside(file, d)) && existsSync(file) && statSync(file).isFile();
  const files = new Map<string, string>();
  for (const lesson of module.lessons) {
    files.set(posix(relative(root, lesson.file)), lesson.file);
    for (const link of linkedFiles(lesson.markdown)) {
      const file = resolve(dirname(lesson.file), link);
      if (allowed(file)) files.set(posix(relative(root, file)), file);
    }
  }
  for (const ex of module.exercises) {
    for (const rel of filesUnder(ex.dir)) {
      if ((INSTRUCTOR_ONLY_FOLDERS as readonly string[]).includes(rel.split('/')[0]!)) continue;
      files.set(posix(relative(root, join(ex.dir, rel))), join(ex.dir, rel));
    }
  }
  files.delete(MANIFEST_FILE);
  return files;
}

function readRecord(out: string): ReleaseRecord | undefined {
  const file = join(out, RELEASE_RECORD);
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as ReleaseRecord;
    return typeof r.module === 'string' && r.files && typeof r.files === 'object' ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the student edition of the module at `dir` into `out`. Refuses an `out` that is the
 * module folder, lies inside it or holds it, and a non-empty folder that no earlier release of
 * this module wrote. Into an earlier release's folder (e.g. a clone of the student edition's
 * repository) it replaces only the files that release wrote, and refuses when one of them was
 * edited by hand or a new file would replace one it did not write; everything else there (.git,
 * a README of your own) is kept. Throws a MedigenError saying what to do.
 */
export async function releaseModule(opts: ReleaseOptions): Promise<ReleaseResult> {
  const dir = resolve(opts.dir);
  const out = resolve(opts.out);
  if (out === dir || isInside(out, dir)) {
    throw new MedigenError(`The output folder ${out} is ${out === dir ? 'the module folder itself' : 'inside the module folder'}, so nothing was written.`, `Write the student edition outside the module, e.g. --out ${join(dirname(dir), `${dir.split(sep).pop()}-student`)}.`);
  }
  if (isInside(dir, out)) throw new MedigenError(`The output folder ${out} holds the module folder ${dir}, so nothing was written.`, 'Give a new or empty folder outside the module for the student edition.');
  const loaded = await loadModule(dir, { loadChecks: false });
  if (!loaded.ok) {
    const list = loaded.problems.slice(0, 5).map((p) => `  - ${p.message}`).join('\n');
    throw new MedigenError(`The module in ${dir} has ${loaded.problems.length} problem(s), so no student edition was written:\n${list}`, `Run \`medigen curriculum validate ${dir}\`, fix what it reports, then release again.`);
  }
  const module = loaded.module;
  if (module.edition === 'student') throw new MedigenError(`${dir} is already a student edition (its ${MANIFEST_FILE} says "edition": "student").`, 'Release from the instructor\'s module folder (the one with solution/ folders).');

  const files = editionFiles(module);
  const manifestText = `${JSON.stringify({ ...module.manifest, edition: 'student' }, null, 2)}\n`;
  const wanted = [MANIFEST_FILE, ...files.keys()].sort();
  let record: ReleaseRecord | undefined;
  if (existsSync(out)) {
    if (!lstatSync(out).isDirectory()) throw new MedigenError(`${out} is a file, not a folder, so nothing was written.`, 'Give the path of a new or empty folder for the student edition.');
    if (readdirSync(out).length) {
      record = readRecord(out);
      if (!record) throw new MedigenError(`The folder ${out} is not empty and no \`medigen curriculum release\` wrote it, so nothing was written (nothing of yours is replaced).`, `Give a new or empty folder (e.g. --out ${out}-${module.version}), or the folder of an earlier release of this module (it has ${RELEASE_RECORD}).`);
      if (record.module !== module.id) throw new MedigenError(`The folder ${out} holds a release of the module "${record.module}", not "${module.id}", so nothing was written.`, 'Give a new or empty folder, or the folder of an earlier release of this module.');
      const edited = Object.entries(record.files).filter(([rel, hash]) => existsSync(join(out, rel)) && sha256(readFileSync(join(out, rel))) !== hash).map(([rel]) => rel);
      if (edited.length) throw new MedigenError(`${edited.length} file(s) of the earlier release in ${out} were changed since it was written, so nothing was written: ${edited.slice(0, 5).join(', ')}.`, 'Make the change in the instructor\'s module instead (the release would replace it), or commit it elsewhere and restore the file (e.g. `git checkout -- <file>`), then release again.');
      const clash = wanted.filter((rel) => existsSync(join(out, rel)) && !(rel in record!.files));
      if (clash.length) throw new MedigenError(`The release would replace ${clash.length} file(s) in ${out} that no release wrote: ${clash.slice(0, 5).join(', ')}. Nothing was written.`, 'Move those files away (they are yours), then release again.');
    }
  }
  const removed = record ? Object.keys(record.files).filter((rel) => !wanted.includes(rel) && existsSync(join(out, rel))).sort() : [];
  for (const rel of removed) rmSync(join(out, rel));
  const hashes: Record<string, string> = {};
  for (const rel of wanted) {
    const to = join(out, rel);
    mkdirSync(dirname(to), { recursive: true });
    if (rel === MANIFEST_FILE) writeFileSync(to, manifestText);
    else copyFileSync(files.get(rel)!, to);
    hashes[rel] = sha256(readFileSync(to));
  }
  writeFileSync(join(out, RELEASE_RECORD), `${JSON.stringify({ module: module.id, version: module.version, files: hashes }, null, 2)}\n`);

  const check = await loadModule(out, { loadChecks: false });
  if (!check.ok) throw new MedigenError(`The student edition written to ${out} does not load: ${check.problems[0]!.message}`, 'Check that lessons and checks read only files inside the exercise folders, then release again.');
  return { module, out, written: wanted, leftOut: leftOut(module, new Set(wanted)), removed, replaced: record !== undefined };
}

function leftOut(module: CurriculumModule, written: Set<string>): ReleaseResult['leftOut'] {
  const groups = new Map<string, { why: string; count: number }>();
  const rest: ReleaseResult['leftOut'] = [];
  for (const rel of filesUnder(module.dir)) {
    if (written.has(rel)) continue;
    const ex = module.exercises.find((e) => isInside(join(module.dir, rel), e.dir));
    const first = ex ? posix(relative(ex.dir, join(module.dir, rel))).split('/')[0]! : '';
    if (ex && first in WHY) {
      const key = `${posix(relative(module.dir, ex.dir))}/${first}/`;
      const g = groups.get(key) ?? { why: WHY[first as keyof typeof WHY], count: 0 };
      g.count++;
      groups.set(key, g);
    } else rest.push({ path: rel, why: 'not part of the student edition (it holds only the manifest, the lessons and the files they link, and the exercise folders)' });
  }
  return [...[...groups].map(([path, g]) => ({ path, why: `${g.why}, ${g.count} file(s)` })), ...rest];
}

/** What `commitRelease` did. */
export interface CommittedRelease {
  tag: string;
  commit: string;
  /** True when the folder was not a git repository yet. */
  initialized: boolean;
  /** False when nothing had changed since the last commit (only the tag was added). */
  committed: boolean;
}

/**
 * Commits everything in a student edition folder and tags it `v<version>` (the user asked for it
 * with `--git`). Creates the repository when the folder has none. Refuses a tag that exists.
 */
export async function commitRelease(out: string, id: string, version: string): Promise<CommittedRelease> {
  const tag = `v${version}`;
  const initialized = !existsSync(join(out, '.git'));
  const git = simpleGit(out);
  try {
    if (initialized) await git.init();
    else if ((await git.tags()).all.includes(tag)) throw new MedigenError(`The student edition in ${out} already has the tag ${tag}, so nothing was committed.`, `Raise "version" in the module's ${MANIFEST_FILE}, release again, and commit.`);
    await git.add(['-A']);
    const status = await git.status();
    const committed = !status.isClean();
    if (committed) await git.commit(`Release ${id} ${version} (student edition)`);
    await git.addTag(tag);
    return { tag, commit: (await git.revparse(['HEAD'])).trim(), initialized, committed };
  } catch (e) {
    if (e instanceof MedigenError) throw e;
    const msg = (e as Error).message.trim().split('\n').slice(-3).join(' ');
    throw new MedigenError(`git could not commit the student edition in ${out}: ${msg}`, /identity|user\.(name|email)/i.test(msg) ? 'Tell git who you are once: git config --global user.name "Your Name" && git config --global user.email you@example.org, then release again with --git.' : 'Commit and tag the folder by hand: cd into it, git add -A, git commit, git tag.');
  }
}
