import { existsSync } from 'node:fs';
import nodePath, { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The folder that holds package.json. Works from the TypeScript sources (run by tsx) and from
 * the esbuild bundles in dist/, so library code can find files shipped with the project.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'datasets'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('MediGen Lab could not find its own install folder (package.json). Reinstall it.');
}

/**
 * The file URL of tsx's loader (`node --import <it>` runs TypeScript), found from the install
 * folder `root`: the check process and the student's process start with it.
 */
export function tsxLoaderUrl(root: string): string {
  return pathToFileURL(join(createRequire(join(root, 'package.json')).resolve('tsx/package.json'), '..', 'dist', 'loader.mjs')).href;
}

/** The parts of node:path that path checks use: `path` on this computer, `path.win32` / `path.posix` to reason about another. */
export type PathApi = Pick<typeof import('node:path'), 'relative' | 'isAbsolute' | 'sep' | 'resolve'>;

/**
 * True when `child` is `parent` itself or lies inside it, read by `paths`' rules: on Windows
 * (`path.win32`) `\` and `/` both separate, and drive letters and names compare without case
 * (VS Code hands out `c:\Users\…` where Node says `C:\Users\…`). No symlinks resolved.
 */
export function isWithin(child: string, parent: string, paths: PathApi = nodePath): boolean {
  const rel = paths.relative(paths.resolve(parent), paths.resolve(child));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${paths.sep}`) && !paths.isAbsolute(rel));
}

/** `p` with `/` separators, for files other tools read on any platform (a tsconfig's `paths`, a git path): `C:\a\b` → `C:/a/b`. */
export function forwardSlashes(p: string, paths: { sep: string } = nodePath): string {
  return paths.sep === '\\' ? p.replace(/\\/g, '/') : p;
}
