/**
 * Reading and writing the user's files. Every file error becomes a MedigenError that names the file
 * and says what to do (never a raw EACCES / EISDIR / ENOENT), and no output may be one of the
 * inputs. Library code reads user paths through these helpers; the CLI turns any file error that
 * still slips through into the same message (see `fileErrorOf`).
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MedigenError } from './errors';

/** A file-system error as Node throws it. */
type ErrnoError = Error & { code?: string; path?: string; syscall?: string };

function isErrno(e: unknown): e is ErrnoError {
  return e instanceof Error && typeof (e as ErrnoError).code === 'string' && /^E[A-Z]+$/.test((e as ErrnoError).code!);
}

/** Where a path is, for a message: the absolute path, and the link target for a symlink. */
function danglingTarget(abs: string): string | undefined {
  try {
    if (lstatSync(abs).isSymbolicLink()) return readlinkSync(abs);
  } catch {
    /* not there at all */
  }
  return undefined;
}

/**
 * The MedigenError for a failed read or write of `file`. `what` names the file for the user
 * ("predictions file", "LoRA adapter"); `writing` switches the wording and the hints.
 */
export function fileError(err: unknown, file: string, what = 'file', writing = false): MedigenError {
  const abs = resolve(file);
  const code = isErrno(err) ? err.code : undefined;
  const The = what.charAt(0).toUpperCase() + what.slice(1);
  const opts = { cause: err };
  switch (code) {
    case 'ENOENT': {
      if (writing) return new MedigenError(`Could not write the ${what} ${abs}: the folder ${dirname(abs)} does not exist.`, 'Create the folder first, or choose a file in a folder that exists.', opts);
      const target = danglingTarget(abs);
      if (target !== undefined) return new MedigenError(`The ${what} ${abs} is a link to ${target}, which does not exist.`, 'Point the link at an existing file (or give the real file\'s path instead).', opts);
      return new MedigenError(`The ${what} ${abs} does not exist.`, `Check the spelling and the folder; a relative path starts from the current folder (${process.cwd()}).`, opts);
    }
    case 'EACCES':
    case 'EPERM':
      return writing
        ? new MedigenError(`You may not write the ${what} ${abs} (permission denied).`, 'Choose a file in a folder you own (for example in your home folder), or change the folder\'s permissions.', opts)
        : new MedigenError(`You may not read the ${what} ${abs} (permission denied).`, `Give yourself read permission (chmod u+r "${abs}") or copy the file somewhere you can read it, then run again.`, opts);
    case 'EISDIR':
      return new MedigenError(`The ${what} ${abs} is a folder, not a file.`, writing ? 'Give a file name (for example inside that folder), not the folder itself.' : 'Give the path of a file inside that folder.', opts);
    case 'ENOTDIR':
      return new MedigenError(`The ${what} path ${abs} goes through something that is a file, not a folder.`, 'Check the path: one of the names before the last / is a file.', opts);
    case 'ELOOP':
      return new MedigenError(`The ${what} ${abs} is a link that points back to itself (a loop of symbolic links).`, 'Replace the link with the real file, or give the real file\'s path.', opts);
    case 'ENAMETOOLONG':
      return new MedigenError(`The ${what} path is too long: ${abs.slice(0, 120)}…`, 'Use a shorter path or file name.', opts);
    case 'ENOSPC':
    case 'EDQUOT':
      return new MedigenError(`The disk is full: could not write the ${what} ${abs}.`, 'Free some space (or choose another disk), then run again.', opts);
    case 'EROFS':
      return new MedigenError(`The ${what} ${abs} is on a read-only disk.`, 'Choose a file on a disk you can write to.', opts);
    case 'EMFILE':
    case 'ENFILE':
      return new MedigenError(`Too many files are open to ${writing ? 'write' : 'read'} the ${what} ${abs}.`, 'Close other programs (or raise the limit with ulimit -n), then run again.', opts);
    case 'EBUSY':
    case 'ETXTBSY':
      return new MedigenError(`The ${what} ${abs} is in use by another program.`, 'Close the program that holds it, then run again.', opts);
    default:
      return new MedigenError(`${The} ${abs}: could not ${writing ? 'write' : 'read'} it (${err instanceof Error ? err.message : String(err)}).`, `Check that the file is there and that you may ${writing ? 'write' : 'read'} it.`, opts);
  }
}

/**
 * The MedigenError for any file-system error Node threw with a path (the safety net of the CLI),
 * or undefined when `err` is not one.
 */
export function fileErrorOf(err: unknown): MedigenError | undefined {
  if (!isErrno(err) || !err.path) return undefined;
  const writing = /^(write|mkdir|rename|copyfile|unlink|rmdir|symlink)$/.test(err.syscall ?? '');
  return fileError(err, err.path, 'file', writing);
}

/** Stats a file the user named, following links; a missing file, a folder or a dangling link is a MedigenError. */
export function statUserFile(file: string, what = 'file'): Stats {
  const abs = resolve(file);
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (e) {
    throw fileError(e, abs, what);
  }
  if (st.isDirectory()) throw fileError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), abs, what);
  return st;
}

/** The bytes of a file the user named. */
export function readUserFile(file: string, what = 'file'): Buffer {
  const abs = resolve(file);
  statUserFile(abs, what);
  try {
    return readFileSync(abs);
  } catch (e) {
    throw fileError(e, abs, what);
  }
}

/** The text (UTF-8) of a file the user named. */
export function readUserText(file: string, what = 'file'): string {
  return readUserFile(file, what).toString('utf8');
}

/** Parses a JSON file the user named; bad JSON is a MedigenError with `hint`. */
export function readUserJson<T = unknown>(file: string, what = 'file', hint = 'Check that the file was saved completely and is valid JSON.'): T {
  const text = readUserText(file, what);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new MedigenError(`The ${what} ${resolve(file)} is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')}).`, hint, { cause: e });
  }
}

/** Checks that a folder the user named exists and is a folder. Returns its absolute path. */
export function requireUserDir(dir: string, what = 'folder', hint?: string): string {
  const abs = resolve(dir);
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (e) {
    const err = fileError(e, abs, what);
    throw hint ? new MedigenError(err.message, hint, { cause: e }) : err;
  }
  if (!st.isDirectory()) throw new MedigenError(`The ${what} ${abs} is a file, not a folder.`, hint ?? 'Give the folder that holds it.');
  return abs;
}

/** Writes a file the user named, with a MedigenError on failure. Returns the absolute path. */
export function writeUserFile(file: string, data: string | Uint8Array, what = 'file'): string {
  const abs = resolve(file);
  try {
    writeFileSync(abs, data);
  } catch (e) {
    throw fileError(e, abs, what, true);
  }
  return abs;
}

/** A file's identity for comparison: device and inode when it exists (symlinks, hard links, case). */
function identity(path: string): { real: string; id?: string } {
  const abs = resolve(path);
  try {
    const st = statSync(abs);
    return { real: realpathSync(abs), id: `${st.dev}:${st.ino}` };
  } catch {
    // Not there yet: compare the real folder + name (the folder may be a link).
    try {
      return { real: join(realpathSync(dirname(abs)), basename(abs)) };
    } catch {
      return { real: abs };
    }
  }
}

/** A path with the option or role that names it, e.g. { label: '--out', path: 'train.csv' }. */
export interface NamedPath {
  label: string;
  path: string;
}

/**
 * Refuses to write an output over an input: each output is compared with every input (and with
 * the other outputs) by real path and by device + inode, so a symlink, a hard link, `./x` vs `x`
 * and another case of the same name on a case-insensitive disk all count as the same file.
 */
export function assertOutputsAreNotInputs(outputs: readonly (NamedPath | undefined)[], inputs: readonly (NamedPath | undefined)[]): void {
  const outs = outputs.filter((o): o is NamedPath => !!o?.path);
  const ins = inputs.filter((i): i is NamedPath => !!i?.path).map((i) => ({ ...i, who: identity(i.path) }));
  const seen: (NamedPath & { who: ReturnType<typeof identity> })[] = [];
  for (const o of outs) {
    const who = identity(o.path);
    const same = (x: ReturnType<typeof identity>) => x.real === who.real || (x.id !== undefined && x.id === who.id);
    const input = ins.find((i) => same(i.who));
    if (input) {
      throw new MedigenError(
        `${o.label} ${resolve(o.path)} is the ${input.label} this command reads; writing it would destroy your input.`,
        `Choose another file name for ${o.label} (for example ${basename(o.path).replace(/(\.[^.]*)?$/, '.out$1')}).`,
      );
    }
    const twice = seen.find((s) => same(s.who));
    if (twice) throw new MedigenError(`${o.label} and ${twice.label} name the same file, ${resolve(o.path)}; one would overwrite the other.`, `Give ${o.label} and ${twice.label} different file names.`);
    seen.push({ ...o, who });
  }
}
