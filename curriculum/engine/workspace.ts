import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { forwardSlashes, projectRoot } from '../../core/index';
import { MANIFEST_FILE, type Exercise } from './types';

/**
 * How student code reaches the MediGen Lab library, wherever the student's files live.
 *
 * Students write `import { loadSplit } from 'medigen-lab'`. That name is not an npm package: it
 * is a path mapping to `curriculum/runtime/lab.ts` of the installed MediGen Lab. The check
 * runner passes the mapping to tsx in a generated tsconfig (TSX_TSCONFIG_PATH), and
 * `prepareWorkspace` writes the same mapping into the student's tsconfig.json so the editor
 * type-checks and completes it. Nothing is copied into the workspace but the starter files.
 */

/** The module name student code imports the library by. */
export const LAB_MODULE = 'medigen-lab';

/** Absolute path of the file `medigen-lab` maps to. */
export function labEntryFile(): string {
  return join(projectRoot(), 'curriculum', 'runtime', 'lab.ts');
}

/**
 * A tsconfig that maps `medigen-lab` to the library (used by the check runner and written into
 * workspaces). Its paths use `/` on every platform (`C:/Users/…` on Windows), as TypeScript and
 * tsx read them the same way everywhere.
 */
export function labTsconfig(root = projectRoot(), paths: { sep: string; join(...parts: string[]): string } = { sep, join }): object {
  const at = (...parts: string[]) => forwardSlashes(paths.join(root, ...parts), paths);
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node', 'mocha'],
      typeRoots: [at('node_modules', '@types')],
      paths: { [LAB_MODULE]: [at('curriculum', 'runtime', 'lab.ts')], 'medigen-lab/checks': [at('curriculum', 'runtime', 'checks.ts')] },
    },
  };
}

/** The module name check files import `loadStudent` by (curriculum/runtime/checks.ts). */
export const CHECKS_MODULE = 'medigen-lab/checks';

/** The tsconfig of the check process: `medigen-lab` and `medigen-lab/checks` mapped. */
export function checkTsconfig(): object {
  const base = labTsconfig() as { compilerOptions: { paths: Record<string, string[]> } };
  return { ...base, compilerOptions: { ...base.compilerOptions, paths: { ...base.compilerOptions.paths, [CHECKS_MODULE]: [forwardSlashes(join(projectRoot(), 'curriculum', 'runtime', 'checks.ts'))] } } };
}

/** Options of `prepareWorkspace`. */
export interface PrepareWorkspaceOptions {
  exercise: Exercise;
  /** The student's folder for this exercise; created when missing. */
  workDir: string;
}

/**
 * Copies the exercise's starter files into the student's folder (never overwriting a file that
 * is already there: student work wins) and writes a tsconfig.json mapping `medigen-lab` when the
 * folder has none. Returns the files copied (relative names).
 */
export function prepareWorkspace(opts: PrepareWorkspaceOptions): string[] {
  const workDir = resolve(opts.workDir);
  mkdirSync(workDir, { recursive: true });
  const copied: string[] = [];
  for (const f of opts.exercise.starterFiles) {
    const to = join(workDir, f);
    if (existsSync(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(opts.exercise.starterDir, f), to);
    copied.push(f);
  }
  const tsconfig = join(workDir, 'tsconfig.json');
  if (!existsSync(tsconfig)) writeFileSync(tsconfig, `${JSON.stringify({ ...labTsconfig(), include: ['*.ts'] }, null, 2)}\n`);
  return copied;
}

/** True when `dir` holds a module manifest. */
export function isModuleDir(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}
