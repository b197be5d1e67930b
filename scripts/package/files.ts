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
 *   node-llama-cpp (+ its linux-x64 CPU binary), @huggingface/transformers (+ onnxruntime-node,
 *   sharp), tsx (+ esbuild's binary: it runs the TypeScript of checks and student code), and
 *   @types/node + @types/mocha (the student's editor type-checks exercise files with them).
 *   Other platforms' binaries, GPU variants, source maps, type declarations, docs and
 *   node-llama-cpp's llama.cpp source bundle (only for building from source) are left out.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import * as esbuild from 'esbuild';
import { MedigenError } from '../../core/index';

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

/** The platform the package is for (its native binaries). */
export const TARGET = { os: 'linux', cpu: 'x64', vsceTarget: 'linux-x64' } as const;

/** Packages loaded from node_modules at run time: by the extension (esbuild leaves them out of the bundle) and by student code through the `medigen-lab` sources (minisearch, for the retrieval baseline). */
export const RUNTIME_PACKAGES = ['node-llama-cpp', '@huggingface/transformers', 'minisearch', 'tsx', '@types/node', '@types/mocha'];

/**
 * Packages left out although a shipped package depends on them: onnxruntime-web (transformers'
 * Node build carries its own copy inline and never loads the package). Of node-llama-cpp's
 * binaries only `@node-llama-cpp/linux-x64` (CPU) ships: GPU builds and other CPUs' builds
 * (linux-arm64 claims x64 too, as a cross build) stay out.
 */
export const EXCLUDED_PACKAGES = ['onnxruntime-web'];

/** Whether package `name` stays out of the .vsix (see {@link EXCLUDED_PACKAGES}). */
export function isExcludedPackage(name: string): boolean {
  if (EXCLUDED_PACKAGES.includes(name)) return true;
  return name.startsWith('@node-llama-cpp/') && name !== `@node-llama-cpp/${TARGET.os}-${TARGET.cpu}`;
}

/** Project files and folders shipped as they are. */
const PROJECT_ENTRIES = [
  'package.json',
  'README.md',
  'dist/extension.cjs',
  'dist/checkChild.cjs',
  'dist/webviews',
  'dist/api',
  'extension/media',
  'extension/walkthrough',
  'curriculum/modules',
  'curriculum/schema',
  'datasets/sample',
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
  if (isDir) return name === 'node_modules' || name === '__pycache__' || name.startsWith('.');
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

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
}

/** Whether a package's `os`/`cpu` fields allow the target platform (no field: any platform). */
export function fitsTarget(pkg: Pick<PackageJson, 'os' | 'cpu'>): boolean {
  const allows = (list: string[] | undefined, value: string) => {
    if (!list || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    return list.some((v) => !v.startsWith('!')) ? list.includes(value) : true;
  };
  return allows(pkg.os, TARGET.os) && allows(pkg.cpu, TARGET.cpu);
}

/** Where Node would find package `name` from `fromDir` (its real folder), or undefined. */
function resolvePackageDir(name: string, fromDir: string, root: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/** A package folder included in the .vsix. */
export interface PackagedModule {
  name: string;
  /** Folder on disk (absolute). */
  dir: string;
  /** Path inside the extension folder, e.g. `node_modules/tsx`. */
  path: string;
}

/**
 * The packages to ship: `roots` and, recursively, their dependencies and installed optional
 * dependencies that fit the target platform, minus {@link isExcludedPackage}. Throws when a
 * required (non-optional) dependency is not installed.
 */
export function dependencyClosure(root: string, roots: string[] = RUNTIME_PACKAGES): PackagedModule[] {
  const found = new Map<string, PackagedModule>();
  const queue: { name: string; from: string; optional: boolean }[] = roots.map((name) => ({ name, from: root, optional: false }));
  while (queue.length) {
    const { name, from, optional } = queue.shift()!;
    if (isExcludedPackage(name)) continue;
    const dir = resolvePackageDir(name, from, root);
    if (!dir) {
      if (optional) continue;
      throw new MedigenError(`The package ${name} (needed by ${relative(root, from) || 'MediGen Lab'}) is not installed.`, 'Run "npm install" in the project folder, then package again.');
    }
    if (found.has(dir)) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    if (!fitsTarget(pkg)) continue;
    const rel = toPosix(relative(root, dir));
    if (rel.startsWith('..')) throw new MedigenError(`The package ${name} is installed outside the project (${dir}).`, 'Install the packages inside the project folder ("npm install"), then package again.');
    found.set(dir, { name, dir, path: rel });
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Files inside a shipped package that are left out (see the file comment). */
function skipPackageFile(pkg: PackagedModule, rel: string, isDir: boolean): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (isDir) {
    if (name === 'node_modules') return true; // nested packages come in through the closure
    if (pkg.name === 'node-llama-cpp' && rel === 'llama/addon') return true; // C++ sources, for building from source
    if (pkg.name === '@huggingface/transformers' && rel === 'src') return true;
    // onnxruntime-node: bin/napi-v6/<os>/<cpu>
    const m = /^bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?$/.exec(rel);
    if (pkg.name === 'onnxruntime-node' && m) return m[1] !== TARGET.os || (m[2] !== undefined && m[2] !== TARGET.cpu);
    return false;
  }
  if (pkg.name === 'node-llama-cpp' && rel === 'llama/gitRelease.bundle') return true;
  // transformers: only its Node builds (package.json "exports" → node), not the web builds or sources.
  if (pkg.name === '@huggingface/transformers' && rel.startsWith('dist/')) return !/^dist\/transformers\.node\.[cm]js$/.test(rel);
  // A copy of @esbuild/linux-x64's binary for esbuild's command line; the JS API that tsx uses
  // runs the one in @esbuild/linux-x64.
  if (pkg.name === 'esbuild' && rel === 'bin/esbuild') return true;
  if (name.endsWith('.map')) return true;
  if (!pkg.name.startsWith('@types/') && /\.d\.[cm]?ts$/.test(name)) return true;
  if (/\.md$/i.test(name) && !/^licen[cs]e/i.test(name)) return true;
  return false;
}

/** The whole content of the .vsix's `extension/` folder, sorted by path. */
export async function packageFiles(root: string): Promise<PackagedFile[]> {
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
  for (const pkg of dependencyClosure(root, [...new Set([...RUNTIME_PACKAGES, ...lab.packages])])) {
    for (const f of walk(pkg.dir, (rel, isDir) => skipPackageFile(pkg, rel, isDir))) add(fileOf(f, `${pkg.path}/${toPosix(relative(pkg.dir, f))}`));
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}
