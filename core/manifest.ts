/**
 * Manifests: what a result was made from, so it can be reproduced and compared. Written next to
 * every training run (manifest.json) and every predictions file (<file>.manifest.json): package
 * versions, the project's git commit, SHA-256 of the data, template, model and adapter files, and
 * every setting (seed included).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from './paths';

export interface Manifest {
  manifestVersion: 1;
  kind: string;
  createdAt: string;
  medigen: { version: string; gitCommit: string | null; gitDirty: boolean | null };
  packages: Record<string, string | null>;
  node: string;
  /** SHA-256 of each input file (a folder: of its files, in name order). */
  hashes: Record<string, { path: string; sha256: string } | null>;
  settings: Record<string, unknown>;
}

/** SHA-256 of a file, or of a folder's files (names and contents, sorted by name). */
export async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  const abs = resolve(path);
  const files = statSync(abs).isDirectory() ? readdirSync(abs, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)).sort() : [abs];
  for (const f of files) {
    if (files.length > 1 || f !== abs) h.update(`${f.slice(abs.length)}\n`);
    await new Promise<void>((ok, fail) => createReadStream(f).on('data', (d) => h.update(d)).on('end', ok).on('error', fail));
  }
  return h.digest('hex');
}

/** SHA-256 of a text (e.g. a template or a system prompt). */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function packageVersion(name: string): string | null {
  try {
    const p = join(projectRoot(), 'node_modules', name, 'package.json');
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version : null;
  } catch {
    return null;
  }
}

function git(args: string[]): string | null {
  const r = spawnSync('git', args, { cwd: projectRoot(), encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Builds a manifest. `files` maps a role (data, template, model, adapter…) to a path (hashed) or
 * undefined (recorded as null); `packages` adds versions known elsewhere (e.g. the trainer's Python packages).
 */
export async function buildManifest(kind: string, settings: Record<string, unknown>, files: Record<string, string | undefined>, packages: Record<string, string | null> = {}): Promise<Manifest> {
  const hashes: Manifest['hashes'] = {};
  for (const [role, p] of Object.entries(files)) hashes[role] = p && existsSync(p) ? { path: resolve(p), sha256: await sha256Of(p) } : null;
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit ? git(['status', '--porcelain']) : null;
  return {
    manifestVersion: 1,
    kind,
    createdAt: new Date().toISOString(),
    medigen: { version: (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version, gitCommit: commit, gitDirty: status === null ? null : status !== '' },
    packages: { 'node-llama-cpp': packageVersion('node-llama-cpp'), ...packages },
    node: process.version,
    hashes,
    settings,
  };
}

/** The manifest file that belongs to a predictions file. */
export function manifestFileFor(file: string): string {
  return `${resolve(file)}.manifest.json`;
}

export function writeManifest(file: string, m: Manifest): string {
  writeFileSync(file, JSON.stringify(m, null, 2) + '\n');
  return file;
}

export function readManifest(file: string): Manifest | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
}
