/**
 * What goes into MediGen Lab's .vsix: THE list of shipped files (this file documents it; there is
 * no .vscodeignore). Everything else in the checkout (tests, sources that esbuild bundled, .cache,
 * .vscode-test, the ACI-BENCH corpus, dev tools) stays out.
 *
 * - Project files: package.json, README.md, LICENSE (as LICENSE.txt), the bundles in dist/
 *   (extension.cjs, checkChild.cjs: the check process with mocha inside, webviews/*.js|css; no
 *   source maps), extension/media and extension/walkthrough, the curriculum (modules, schemas),
 *   the sample corpus datasets/sample, the trainer (models/train/trainer.py, requirements.txt),
 *   and the TypeScript sources student code runs through `medigen-lab` (curriculum/runtime/lab.ts
 *   and the files it imports, found by esbuild).
 * - node_modules: only packages that cannot be bundled, with what they depend on:
 *   node-llama-cpp (+ the target's CPU binary), @huggingface/transformers (+ onnxruntime-node,
 *   sharp), tsx (+ esbuild's binary: it runs the TypeScript of checks and student code), and
 *   @types/node + @types/mocha (the student's editor type-checks exercise files with them).
 *   Other platforms' binaries, GPU variants, source maps, type declarations, docs and
 *   node-llama-cpp's llama.cpp source bundle (only for building from source) are left out.
 *
 * Each .vsix is for one platform (./targets.ts). Native packages of another platform than this
 * computer's (@esbuild/*, @img/sharp-*, @node-llama-cpp/*) are not in node_modules: they come
 * from the npm registry once, into .cache/platform-packages (./fetch.ts), at the version and
 * integrity package-lock.json records.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import * as esbuild from 'esbuild';
import { MedigenError } from '../../core/index';
import { fetchPackage } from './fetch';
import { fitsTarget, isExcludedPackage, type PlatformFields, type Target } from './targets';

/** One file of the package. */
export interface PackagedFile {
  /** Path inside the extension folder, with forward slashes (e.g. `dist/extension.cjs`). */
  path: string;
  /** The file on disk. */
  source: string;
  /** Unix permission bits (0o755 keeps executables, such as esbuild's binary, runnable). */
  mode: number;
  /** Size in bytes. */
  size: number;
}

/** Packages loaded from node_modules at run time: by the extension (esbuild leaves them out of the bundle) and by student code through the `medigen-lab` sources (minisearch, for the retrieval baseline). */
export const RUNTIME_PACKAGES = ['node-llama-cpp', '@huggingface/transformers', 'minisearch', 'tsx', '@types/node', '@types/mocha'];

/** Project files and folders shipped as they are. */
const PROJECT_ENTRIES = [
  'package.json',
  'README.md',
  'dist/extension.cjs',
  'dist/extensionMain.cjs',
  'dist/checkChild.cjs',
  'dist/webviews',
  'dist/api',
  'extension/media',
  'extension/walkthrough',
  'curriculum/modules',
  'curriculum/schema',
  'datasets/sample',
  'datasets/demo',
  'models/train/trainer.py',
  'models/train/requirements.txt',
  'models/llm/catalog.json',
  'models/train/requirements-cuda.txt',
];

/** The entry of `medigen-lab`, the module student code imports (curriculum/engine/workspace.ts). */
const LAB_ENTRY = 'curriculum/runtime/lab.ts';
/**
 * What else runs from TypeScript sources at check time: `medigen-lab/checks` (check files import
 * it) and the student's process it forks (studentHost.ts, which registers guardHooks.mjs by path).
 */
const CHECK_RUNTIME_ENTRIES = ['curriculum/runtime/checks.ts', 'curriculum/runtime/studentHost.ts'];
const CHECK_RUNTIME_FILES = ['curriculum/runtime/guardHooks.mjs'];

const toPosix = (p: string) => p.split(sep).join('/');

function fileOf(source: string, path: string): PackagedFile {
  const st = statSync(source);
  return { path, source, mode: st.mode & 0o777, size: st.size };
}

/** Every file under `dir` (following links), skipping names for which `skip(relPath, isDir)` is true. */
function walk(dir: string, skip: (rel: string, isDir: boolean) => boolean, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const isDir = statSync(full).isDirectory();
    const rel = toPosix(relative(base, full));
    if (skip(rel, isDir)) continue;
    if (isDir) out.push(...walk(full, skip, base));
    else if (statSync(full).isFile()) out.push(full);
  }
  return out;
}

/** Files in shipped project folders that are not needed: source maps, editor and OS litter. */
function skipProjectFile(rel: string, isDir: boolean): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  // Grading checks of the shipped modules (exercises/<id>/grading/) are used only when grading: never on a student's machine.
  if (isDir) return name === 'node_modules' || name === '__pycache__' || name.startsWith('.') || /(^|\/)exercises\/[^/]+\/grading$/.test(rel);
  return name.endsWith('.map') || name === '.DS_Store' || name.endsWith('.pyc');
}

/**
 * The TypeScript files `medigen-lab` runs from (lab.ts and everything it imports, relative to
 * `root`), and the npm packages they import (which must ship too).
 */
export async function labSourceFiles(root: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [LAB_ENTRY, ...CHECK_RUNTIME_ENTRIES],
    outdir: 'out/lab-sources', // never written (write: false); esbuild wants it for several entries
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const files = [...new Set([...Object.keys(result.metafile!.inputs), ...CHECK_RUNTIME_FILES])].sort();
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile!.inputs)) {
    for (const imp of input.imports) {
      if (imp.external && !builtins.has(imp.path)) packages.add(packageNameOf(imp.path));
    }
  }
  return { files, packages: [...packages].sort() };
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

interface PackageJson extends PlatformFields {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** package-lock.json's `packages`: every package npm placed or would place, by location (`node_modules/a/node_modules/b`), with its version and platform fields. */
type Lockfile = Record<string, PackageJson & { integrity?: string }>;

function readLockfile(root: string): Lockfile {
  const file = join(root, 'package-lock.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { packages?: Lockfile }).packages ?? {};
}

/** The locations where Node looks for package `name` from the package at location `from` ('' for the project), nearest first. */
export function lookupLocations(from: string, name: string): string[] {
  const out: string[] = [];
  for (let loc = from; ; ) {
    out.push(loc ? `${loc}/node_modules/${name}` : `node_modules/${name}`);
    if (!loc) return out;
    const i = loc.lastIndexOf('/node_modules/');
    loc = i < 0 ? '' : loc.slice(0, i);
  }
}

/** A package folder included in the .vsix. */
export interface PackagedModule {
  name: string;
  /** Folder on disk (absolute): in node_modules, or a package fetched for another platform. */
  dir: string;
  /** Path inside the extension folder, e.g. `node_modules/tsx`. */
  path: string;
}

/** Options of {@link dependencyClosure}. */
export interface ClosureOptions {
  /** The platform the .vsix is for. */
  target: Target;
  /** Packages shipped from another folder than node_modules (name → folder), e.g. node-llama-cpp's binary for the target. Defaults to none. */
  substitutes?: Map<string, string>;
  /**
   * Gets a package package-lock.json lists for the target but node_modules lacks (another
   * platform's binary) and returns its folder. Defaults to {@link fetchPackage} (npm registry,
   * cached in .cache/platform-packages).
   */
  fetch?: (name: string, version: string, integrity?: string) => string;
}

/**
 * The packages to ship: `roots` and, recursively, their dependencies and the optional
 * dependencies that fit the target platform, minus {@link isExcludedPackage}. A package is found
 * where Node would find it (node_modules, nested ones first); one that is for the target but not
 * installed here (package-lock.json knows it) is fetched. Throws when a required dependency is
 * not installed.
 */
export function dependencyClosure(root: string, roots: string[], opts: ClosureOptions): PackagedModule[] {
  const lock = readLockfile(root);
  const fetch = opts.fetch ?? ((name: string, version: string, integrity?: string) => fetchPackage(root, name, version, integrity));
  const found = new Map<string, PackagedModule>();
  const queue: { name: string; from: string; optional: boolean }[] = roots.map((name) => ({ name, from: '', optional: false }));
  while (queue.length) {
    const { name, from, optional } = queue.shift()!;
    if (isExcludedPackage(name, opts.target)) continue;
    const candidates = lookupLocations(from, name);
    const location = candidates.find((c) => existsSync(join(root, c, 'package.json')) || lock[c]) ?? (opts.substitutes?.has(name) ? candidates.at(-1)! : undefined);
    if (!location) {
      if (optional) continue;
      throw new MedigenError(`The package ${name} (needed by ${from || 'MediGen Lab'}) is not installed.`, 'Run "npm install" in the project folder, then package again.');
    }
    if (found.has(location)) continue;
    const installed = existsSync(join(root, location, 'package.json'));
    let dir = opts.substitutes?.get(name) ?? (installed ? join(root, location) : undefined);
    const platform: PackageJson = dir ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson) : lock[location]!;
    if (!fitsTarget(platform, opts.target)) continue;
    if (!dir) {
      const entry = lock[location]!;
      if (!entry.version) throw new MedigenError(`package-lock.json has no version for ${location}.`, 'Run "npm install" to repair package-lock.json, then package again.');
      dir = fetch(name, entry.version, entry.integrity);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    found.set(location, { name, dir, path: location });
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: location, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: location, optional: true });
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Files inside a shipped package that are left out (see the file comment). */
function skipPackageFile(pkg: PackagedModule, rel: string, isDir: boolean, target: Target): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (isDir) {
    if (name === 'node_modules') return true; // nested packages come in through the closure
    if (pkg.name === 'node-llama-cpp' && rel === 'llama/addon') return true; // C++ sources, for building from source
    if (pkg.name === '@huggingface/transformers' && rel === 'src') return true;
    // onnxruntime-node: bin/napi-v6/<os>/<cpu>
    const m = /^bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?$/.exec(rel);
    if (pkg.name === 'onnxruntime-node' && m) return m[1] !== target.os || (m[2] !== undefined && m[2] !== target.cpu);
    return false;
  }
  if (pkg.name === 'node-llama-cpp' && rel === 'llama/gitRelease.bundle') return true;
  // transformers: only its Node builds (package.json "exports" → node), not the web builds or sources.
  if (pkg.name === '@huggingface/transformers' && rel.startsWith('dist/')) return !/^dist\/transformers\.node\.[cm]js$/.test(rel);
  // A copy of the platform package's binary (@esbuild/<os>-<cpu>) for esbuild's command line; the
  // JS API that tsx uses runs the one in the platform package.
  if (pkg.name === 'esbuild' && rel === 'bin/esbuild') return true;
  if (name.endsWith('.map')) return true;
  if (!pkg.name.startsWith('@types/') && /\.d\.[cm]?ts$/.test(name)) return true;
  if (/\.md$/i.test(name) && !/^licen[cs]e/i.test(name)) return true;
  return false;
}

/** Options of {@link packageFiles}: the target platform and how its packages are found. */
export type PackageFilesOptions = ClosureOptions;

/** The whole content of the .vsix's `extension/` folder for `opts.target`, sorted by path. */
export async function packageFiles(root: string, opts: PackageFilesOptions): Promise<PackagedFile[]> {
  const files = new Map<string, PackagedFile>();
  const add = (f: PackagedFile) => files.set(f.path, f);
  for (const entry of PROJECT_ENTRIES) {
    const full = join(root, entry);
    if (!existsSync(full)) {
      const built = entry.startsWith('dist/');
      throw new MedigenError(`${entry} is missing, so it cannot go into the .vsix.`, built ? 'Build first: "node esbuild.mjs --production" (npm run package does it).' : 'Restore the file (git checkout), then package again.');
    }
    if (statSync(full).isDirectory()) for (const f of walk(full, skipProjectFile)) add(fileOf(f, toPosix(relative(root, f))));
    else add(fileOf(full, entry));
  }
  const license = join(root, 'LICENSE');
  if (!existsSync(license)) throw new MedigenError('LICENSE is missing, so the .vsix would have no license.', 'Restore the LICENSE file (git checkout LICENSE), then package again.');
  add(fileOf(license, 'LICENSE.txt'));
  const lab = await labSourceFiles(root);
  for (const f of lab.files) add(fileOf(join(root, f), f));
  for (const pkg of dependencyClosure(root, [...new Set([...RUNTIME_PACKAGES, ...lab.packages])], opts)) {
    for (const f of walk(pkg.dir, (rel, isDir) => skipPackageFile(pkg, rel, isDir, opts.target))) add(fileOf(f, `${pkg.path}/${toPosix(relative(pkg.dir, f))}`));
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}
