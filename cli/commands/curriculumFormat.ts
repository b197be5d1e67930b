/** What the `medigen curriculum` commands share: the --modules option and how paths and module problems print. */
import { relative } from 'node:path';
import type { ModuleProblem } from '../../curriculum/engine';

export const modulesOption = { modules: { type: 'string' } } as const;
export const modulesHelp = { modules: 'Modules folder. Defaults to MEDIGEN_MODULES_DIR, else ~/.medigen/modules.' };

/** A path relative to the current folder when it is inside it, else absolute. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return !rel ? '.' : rel.startsWith('..') ? p : rel;
}

/** Formats module problems for a terminal: `file:line  path  message` then the hint. */
export function formatProblems(problems: ModuleProblem[], base: string): string {
  return problems
    .map((p) => {
      const rel = relative(base, p.file) || '.';
      return `  ✗ ${rel.startsWith('..') ? p.file : rel}${p.line ? `:${p.line}` : ''}${p.path ? `  ${p.path}` : ''}\n    ${p.message}\n    What to do: ${p.hint}`;
    })
    .join('\n');
}

