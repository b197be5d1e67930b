// ESM resolve hook of the student's process (registered by moduleGuard.ts): refuses files of an
// exercise module (solution/, checks/, wrong/) that student code imports. Plain JavaScript, as
// Node loads hooks before any TypeScript loader can help.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

let work = '';

export function initialize(data) {
  work = resolvePath(data.workDir);
}

// The same test as moduleGuard.ts's isWithin: relative() compares as the platform does (on
// Windows without case: VS Code says c:\ where Node says C:\).
function isWithin(child, parent) {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function moduleFolderOf(file) {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, 'medigen-module.json'))) return isWithin(work, dir) ? undefined : dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) {
    const file = fileURLToPath(r.url);
    const moduleDir = moduleFolderOf(file);
    if (moduleDir) throw new Error(`Your code imports ${file}, a file of the exercise module itself (${moduleDir}): its reference solution, checks and wrong answers are not yours to import. Write the exercise in your own file.`);
  }
  return r;
}
