import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
