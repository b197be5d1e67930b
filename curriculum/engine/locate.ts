import { existsSync, readFileSync, realpathSync } from 'node:fs';
import nodePath, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWithin, type PathApi } from '../../core/index';

/** A place in a file, 1-based, for an editor to mark. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

// A file in a stack frame or an esbuild message: a POSIX path, a Windows path (`C:\…` or `C:/…`,
// a UNC `\\server\share\…`), or a file URL. Paths may hold spaces (`C:\Users\Jane Doe\…`).
const FILE = String.raw`(?:file:\/\/)?(?:\/|[A-Za-z]:[\\/]|\\\\)`;
/** `at fn (FILE:line:col)` (spaces allowed inside the parentheses) or `at FILE:line:col`. */
const FRAME_PAREN = new RegExp(String.raw`\((${FILE}[^()]*?):(\d+):(\d+)\)\s*$`);
const FRAME_BARE = new RegExp(String.raw`^\s*at\s+(?:async\s+)?(${FILE}.*?):(\d+):(\d+)\s*$`);
const ESBUILD_ERROR = new RegExp(String.raw`(${FILE}[^:\n]+):(\d+):(\d+): ERROR:`);
const NODE_MODULES = /[\\/]node_modules[\\/]/;

/** A file URL as a path of the platform `paths` is for (on Windows `file:///C:/a%20b` is `C:\a b`). */
function toPath(p: string, paths: PathApi): string {
  if (!p.startsWith('file://')) return p;
  if (paths === nodePath) return fileURLToPath(p);
  const pathname = decodeURIComponent(new URL(p).pathname);
  return paths.sep === '\\' ? pathname.replace(/^\/([A-Za-z]:)/, '$1').replace(/\//g, '\\') : pathname;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * True when `file` lies inside `dir` (symlinks resolved, so /tmp and its real path both match).
 * `paths` reads them by another platform's rules (`path.win32` in tests): no symlinks then.
 */
export function isInside(file: string, dir: string, paths: PathApi = nodePath): boolean {
  const native = paths === nodePath;
  for (const f of native ? [file, real(file)] : [file]) {
    for (const d of native ? [dir, real(dir)] : [dir]) {
      if (paths.relative(paths.resolve(d), paths.resolve(f)) !== '' && isWithin(f, d, paths)) return true;
    }
  }
  return false;
}

/**
 * Every file:line:column in an error's stack (and in a TypeScript syntax-error message, whose
 * "file:line:col: ERROR:" form comes from the tsx transform), in order.
 */
export function stackLocations(text: string, paths: PathApi = nodePath): SourceLocation[] {
  const out: SourceLocation[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(ESBUILD_ERROR) ?? (/^\s*at\s/.test(line) ? (line.match(FRAME_PAREN) ?? line.match(FRAME_BARE)) : null);
    if (m) out.push({ file: toPath(m[1]!, paths), line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

/** The first location in `text` that lies inside `dir` (and not in a package under it). `paths`: as for {@link isInside}. */
export function firstLocationIn(text: string, dir: string, paths: PathApi = nodePath): SourceLocation | undefined {
  return stackLocations(text, paths).find((l) => isInside(l.file, dir, paths) && !NODE_MODULES.test(l.file));
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
    const lines = readFileSync(file, 'utf8').split(/\r?\n/); // CRLF too (files saved on Windows)
    for (const name of names) {
      const re = new RegExp(`\\b(?:function\\s+${name}\\b|(?:const|let|var)\\s+${name}\\s*[=:])`);
      const k = lines.findIndex((l) => re.test(l));
      if (k >= 0) return { file, line: k + 1, column: lines[k]!.search(re) + 1 };
    }
  }
  return undefined;
}
