/**
 * Builds MediGen Lab's .vsix (an OPC zip: extension.vsixmanifest, [Content_Types].xml and the
 * extension folder under `extension/`) from the built checkout. What goes in: ./files.ts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { contentTypes, vsixManifest, type ExtensionPackageJson } from './manifest';
import { llamaForTarget } from './fetch';
import { packageFiles, type PackagedFile } from './files';
import type { Target } from './targets';
import { writeZip, type ZipEntry } from './zip';

/** Options of {@link buildVsix}. */
export interface BuildVsixOptions {
  /** The project folder (package.json, dist/ built). */
  root: string;
  /** The platform it is for: its native binaries, and VS Code's `TargetPlatform`. */
  target: Target;
  /** The .vsix to write. Defaults to `<root>/medigen-lab-<version>-<target>.vsix`. */
  out?: string;
  /** Deflate level 0-9. Defaults to 6 (9 makes the .vsix 0.1 MB smaller and takes 60% longer). */
  level?: number;
}

/** What went into a .vsix. */
export interface VsixSummary {
  file: string;
  target: Target;
  /** Said when the .vsix ships another node-llama-cpp version than the installed one (no binary of it for the target). */
  note?: string;
  /** Size of the .vsix, in bytes. */
  bytes: number;
  /** Size of the installed extension folder, in bytes. */
  installedBytes: number;
  files: PackagedFile[];
  /** Installed bytes per part: a top-level project folder, or one package of node_modules. */
  parts: { part: string; files: number; bytes: number }[];
}

/** The part a packaged path belongs to, for the size table: `dist`, `node_modules/tsx`, … */
export function partOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'node_modules') return parts.length > 1 ? parts[0]! : '(top level)';
  return parts.slice(0, parts[1]!.startsWith('@') ? 3 : 2).join('/');
}

/** Writes the .vsix for the project in `opts.root`. */
export async function buildVsix(opts: BuildVsixOptions): Promise<VsixSummary> {
  const root = resolve(opts.root);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as ExtensionPackageJson;
  if (!pkg.name || !pkg.publisher || !pkg.version || !pkg.engines?.vscode) {
    throw new MedigenError('package.json needs name, publisher, version and engines.vscode to make a .vsix.', 'Add the missing fields to package.json, then package again.');
  }
  const out = resolve(opts.out ?? join(root, `${pkg.name}-${pkg.version}-${opts.target.name}.vsix`));
  const llama = llamaForTarget(root, opts.target);
  const files = await packageFiles(root, { target: opts.target, substitutes: llama.substitutes });
  const names = files.map((f) => `extension/${f.path}`);
  const entries: ZipEntry[] = [
    { name: 'extension.vsixmanifest', data: Buffer.from(vsixManifest(pkg, opts.target)) },
    { name: '[Content_Types].xml', data: Buffer.from(contentTypes(['extension.vsixmanifest', ...names])) },
    ...files.map((f, i) => ({ name: names[i]!, source: f.source, mode: f.mode })),
  ];
  mkdirSync(dirname(out), { recursive: true });
  const zip = writeZip(out, entries, opts.level ?? 6);
  const byPart = new Map<string, { files: number; bytes: number }>();
  for (const f of files) {
    const p = byPart.get(partOf(f.path)) ?? { files: 0, bytes: 0 };
    p.files++;
    p.bytes += f.size;
    byPart.set(partOf(f.path), p);
  }
  const parts = [...byPart].map(([part, v]) => ({ part, ...v })).sort((a, b) => b.bytes - a.bytes);
  return { file: out, target: opts.target, note: llama.note, bytes: zip.bytes, installedBytes: files.reduce((n, f) => n + f.size, 0), files, parts };
}
