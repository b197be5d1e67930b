import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A place in a file, 1-based, for an editor to mark. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

const FRAME = /(?:\(|\s)((?:file:\/\/)?\/[^\s()]*?|[A-Za-z]:\\[^\s()]*?):(\d+):(\d+)\)?\s*$/;
const ESBUILD_ERROR = /((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s:]+):(\d+):(\d+): ERROR:/;

function toPath(p: string): string {
  return p.startsWith('file://') ? fileURLToPath(p) : p;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** True when `file` lies inside `dir` (symlinks resolved, so /tmp and its real path both match). */
export function isInside(file: string, dir: string): boolean {
  for (const f of [file, real(file)]) {
    for (const d of [dir, real(dir)]) {
      const rel = relative(d, f);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return true;
    }
  }
  return false;
}

/**
 * Every file:line:column in an error's stack (and in a TypeScript syntax-error message, whose
 * "file:line:col: ERROR:" form comes from the tsx transform), in order.
 */
export function stackLocations(text: string): SourceLocation[] {
  const out: SourceLocation[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(ESBUILD_ERROR) ?? (/^\s*at\s/.test(line) ? line.match(FRAME) : null);
    if (m) out.push({ file: toPath(m[1]!), line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

/** The first location in `text` that lies inside `dir`. */
export function firstLocationIn(text: string, dir: string): SourceLocation | undefined {
  return stackLocations(text).find((l) => isInside(l.file, dir) && !l.file.includes(`${sep}node_modules${sep}`));
}

/**
 * The declaration of a function that a check's title names (e.g. "countTurns counts each
 * speaker" → `function countTurns` in the student's file), so an editor can mark something
 * useful when an assertion fails inside the check rather than in the student's code.
 */
export function declarationNamedIn(title: string, workDir: string, files: string[]): SourceLocation | undefined {
  const names = [...new Set(title.match(/[A-Za-z_$][\w$]*/g) ?? [])].filter((w) => /[a-z][A-Z]|^[a-z]+$/.test(w) && w.length > 2);
  for (const f of files) {
    const file = join(workDir, f);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const name of names) {
      const re = new RegExp(`\\b(?:function\\s+${name}\\b|(?:const|let|var)\\s+${name}\\s*[=:])`);
      const k = lines.findIndex((l) => re.test(l));
      if (k >= 0) return { file, line: k + 1, column: lines[k]!.search(re) + 1 };
    }
  }
  return undefined;
}
