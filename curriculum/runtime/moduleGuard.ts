import { existsSync } from 'node:fs';
import Module, { register } from 'node:module';
import nodePath, { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MANIFEST = 'medigen-module.json';

/**
 * True when `child` is `parent` or lies inside it, by `paths`' rules (`path.win32`: `\` or `/`,
 * drive letters and names without case, since VS Code says `c:\…` where Node says `C:\…`).
 */
export function isWithin(child: string, parent: string, paths: Pick<typeof nodePath, 'relative' | 'resolve' | 'isAbsolute' | 'sep'> = nodePath): boolean {
  const rel = paths.relative(paths.resolve(parent), paths.resolve(child));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${paths.sep}`) && !paths.isAbsolute(rel));
}

/**
 * The module folder (one holding medigen-module.json) that `file` lies in, when the student's
 * folder `workDir` is not inside that same module: a reference solution, a check or a wrong
 * answer, which student code must not load. Undefined for every other file.
 */
export function moduleFolderOf(file: string, workDir: string): string | undefined {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, MANIFEST))) return isWithin(workDir, dir) ? undefined : dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The message of a refused import (the same text from the CommonJS and ESM paths). */
export function refusal(file: string, moduleDir: string): string {
  return `Your code imports ${file}, a file of the exercise module itself (${moduleDir}): its reference solution, checks and wrong answers are not yours to import. Write the exercise in your own file.`;
}

/**
 * Makes student code unable to load files of an exercise module (its solution/, checks/,
 * wrong/), whichever way it imports them: `import` (an ESM resolve hook, guardHooks.mjs) and
 * `require` (CommonJS resolution, which tsx uses for TypeScript files outside an ESM package).
 */
export function guardImports(workDir: string): void {
  const M = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const original = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    const file = original.call(this, request, ...rest);
    const moduleDir = nodePath.isAbsolute(file) ? moduleFolderOf(file, workDir) : undefined;
    if (moduleDir) throw new Error(refusal(file, moduleDir));
    return file;
  };
  register(pathToFileURL(join(import.meta.dirname ?? dirname(fileURLToPath(import.meta.url)), 'guardHooks.mjs')).href, { data: { workDir: resolve(workDir) } });
}
