/**
 * The student's sandbox: a folder of exercise files that is also a git repository, so every
 * attempt is checkpointed and nothing a student writes is ever lost. Plain Node (simple-git); the
 * extension, the CLI and the tests all use it.
 *
 * Layout of a sandbox folder:
 *   <root>/<moduleId>/<exerciseId>/...   the student's files, copied from the exercise's starter/
 *   <root>/.medigen/progress.json        lesson progress (see progress.ts), never checkpointed (it changes
 *                                        after every check; a restore brings back files, not progress)
 *   <root>/.vscode/settings.json         written once when missing (never checkpointed): hides .medigen/ and
 *                                        .gitignore in the Explorer
 *   <root>/.git                          checkpoints: one commit per check, reset, restore, update; each check's
 *                                        result is a git note (refs/notes/medigen) on the checkpoint it ran on
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { MedigenError } from '../core/index';

export interface ExerciseRef {
  moduleId: string;
  exerciseId: string;
  /** The exercise's starter folder inside the installed module. */
  starterDir: string;
}

/** How a check on a checkpoint ended (kept as a git note on it). */
export interface AttemptResult {
  status: 'passed' | 'failed' | 'timeout' | 'load-error';
  passed: number;
  total: number;
}

export interface Checkpoint {
  hash: string;
  date: string;
  message: string;
  /** Why it was taken: 'start', 'check', 'reset', 'restore', 'update', 'internal' or 'manual'. */
  reason: string;
  /** The last check that ran on exactly these files, if any. */
  result?: AttemptResult;
  /** The exercise's files this checkpoint changed, relative to the exercise folder. */
  files: string[];
}

/** Commits that are the lab's housekeeping, not an attempt (editor settings, module installs). */
function isInternal(c: Pick<Checkpoint, 'reason' | 'message'>): boolean {
  return c.reason === 'internal' || /^(Install module|Editor settings for) /.test(c.message);
}

const NOTES_REF = 'medigen';
const AUTHOR = { name: 'MediGen Lab', email: 'sandbox@medigen-lab.invalid' };

/** What a sandbox never checkpoints. */
const IGNORED = 'node_modules/\n.medigen/runs/\n.medigen/progress.json\n.medigen/results/\n.medigen/sandbox.json\n/.vscode/settings.json\n';

/**
 * The file that marks a folder as a MediGen Lab sandbox (never checkpointed). VS Code activates the
 * extension when a workspace contains it (`workspaceContains:` in package.json), so a student who
 * opens the classroom sees the walkthrough and the first lesson without looking for them.
 */
export const SANDBOX_MARKER = '.medigen/sandbox.json';

/** The sandbox's own workspace settings, written only when the folder has none. */
const WORKSPACE_SETTINGS = { 'files.exclude': { '.medigen': true, '.gitignore': true } };

/** The folder of one exercise inside the sandbox, relative to the sandbox root. */
export function exercisePath(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>): string {
  return `${ex.moduleId}/${ex.exerciseId}`;
}

export class Sandbox {
  private readonly git: SimpleGit;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly root: string) {
    // Checkpoints never need hooks or a file-system monitor; turning both off means a sandbox folder that came from
    // someone else (an untrusted workspace) cannot make a checkpoint run its programs.
    // (simple-git guards both settings because pointing them somewhere runs programs; turning them off is the safe use.)
    this.git = simpleGit({
      baseDir: root,
      maxConcurrentProcesses: 1,
      config: [`core.hooksPath=${process.platform === 'win32' ? 'NUL' : '/dev/null'}`, 'core.fsmonitor=false'],
      unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true },
    });
  }

  /** Opens (and if needed creates) the sandbox at `root`: a git repository of the student's work. */
  static async open(root: string): Promise<Sandbox> {
    await mkdir(root, { recursive: true });
    const sb = new Sandbox(root);
    // An existing sandbox was made with git (opening it stays quick: no process to ask).
    if (!existsSync(join(root, '.git'))) {
      try {
        await sb.git.version();
      } catch (e) {
        throw new MedigenError('Git is not installed, and MediGen Lab uses it to save every attempt you make.', 'Install git (https://git-scm.com/downloads, or `sudo apt install git`), then try again.', { cause: e });
      }
    }
    if (!existsSync(join(root, '.git'))) {
      // What the folder already holds stays the user's: never staged (git's local exclude file, not
      // a file of theirs), and their .gitignore is kept as it is, our lines going to the same place.
      const existing = await Sandbox.existingEntries(root);
      const ownIgnore = !existsSync(join(root, '.gitignore'));
      await sb.git.init();
      // core.autocrlf false: a checkpoint keeps the bytes as written (a file saved with Windows
      // line endings comes back with them), whatever Git for Windows' global setting says.
      await sb.git.addConfig('user.name', AUTHOR.name).addConfig('user.email', AUTHOR.email).addConfig('commit.gpgsign', 'false').addConfig('core.autocrlf', 'false');
      if (ownIgnore) await writeFile(join(root, '.gitignore'), IGNORED);
      const keep = [...existing, ...(ownIgnore ? [] : ['.gitignore'])].map((n) => `/${n.replace(/([*?[\]\\!#])/g, '\\$1')}`);
      if (keep.length || !ownIgnore) await appendFile(join(root, '.git', 'info', 'exclude'), `\n# MediGen Lab: the folder's own files, never checkpointed\n${keep.join('\n')}\n${ownIgnore ? '' : IGNORED}`);
      await sb.commit('Create the MediGen Lab sandbox', 'start', true);
    } else await sb.untrackProgress();
    await Sandbox.writeWorkspaceSettings(root);
    return sb;
  }

  /**
   * Files and folders already in `root` that the sandbox would not own (anything but .git,
   * .medigen and .gitignore), so a host can ask before opening a sandbox there. They are never
   * committed either way: the sandbox lists them in git's local exclude file when it is created.
   */
  static async existingEntries(root: string): Promise<string[]> {
    if (!existsSync(root) || existsSync(join(root, '.git'))) return [];
    return (await readdir(root)).filter((n) => !['.git', '.medigen', '.gitignore'].includes(n)).sort();
  }

  /** Sandboxes made by older versions committed progress.json: it stays on disk, out of the checkpoints from now on. */
  private async untrackProgress(): Promise<void> {
    const exclude = join(this.root, '.git', 'info', 'exclude');
    // The last check results (.medigen/results/, read by `curriculum submit`) are never checkpointed either.
    const listsResults = [join(this.root, '.gitignore'), exclude].some((f) => existsSync(f) && readFileSync(f, 'utf8').includes('.medigen/results/'));
    if (!listsResults) {
      await mkdir(join(this.root, '.git', 'info'), { recursive: true });
      await appendFile(exclude, '\n# MediGen Lab: the last check results are not part of a checkpoint\n.medigen/results/\n');
    }
    const file = '.medigen/progress.json';
    // Listed in an ignore file: made by a version that never checkpointed it, or moved out already.
    if ([join(this.root, '.gitignore'), exclude].some((f) => existsSync(f) && readFileSync(f, 'utf8').split('\n').some((l) => l.trim().replace(/^\//, '') === file))) return;
    if (!(await this.git.raw(['ls-files', '--', file])).trim()) return;
    await mkdir(join(this.root, '.git', 'info'), { recursive: true });
    await appendFile(exclude, `\n# MediGen Lab: progress is not part of a checkpoint\n/${file}\n`);
    await this.git.raw(['rm', '--cached', '-q', '--', file]);
    // Only the index is committed (it holds just this removal); the student's other changes wait for their checkpoint.
    await this.git.raw(['commit', '-q', '-m', 'Keep lesson progress out of the checkpoints\n\nmedigen-reason: internal']);
  }

  /** Hides the lab's own files in the Explorer (.vscode/settings.json), unless the folder has settings of its own. */
  private static async writeWorkspaceSettings(root: string): Promise<void> {
    await Sandbox.writeOwnFile(root, '.vscode/settings.json', `${JSON.stringify(WORKSPACE_SETTINGS, null, 2)}\n`);
    await Sandbox.writeOwnFile(root, SANDBOX_MARKER, `${JSON.stringify({ medigenLab: 'sandbox', format: 1 }, null, 2)}\n`);
  }

  /** Writes one of the sandbox's own (never checkpointed) files when it is missing. */
  private static async writeOwnFile(root: string, rel: string, text: string): Promise<void> {
    const file = join(root, ...rel.split('/'));
    if (existsSync(file)) return;
    await mkdir(join(file, '..'), { recursive: true });
    // A sandbox made by an older version has no ignore line for it: git's local exclude file gets one.
    const listed = [join(root, '.gitignore'), join(root, '.git', 'info', 'exclude')].some((f) => existsSync(f) && readFileSync(f, 'utf8').split('\n').some((l) => l.trim().replace(/^\//, '') === rel));
    if (!listed) await appendFile(join(root, '.git', 'info', 'exclude'), `\n/${rel}\n`);
    await writeFile(file, text, { flag: 'wx' }).catch(() => undefined);
  }

  /** Resolves once every git operation asked for so far has ended (a result recorded after a check, a checkpoint). */
  async idle(): Promise<void> {
    for (let q = this.queue; ; q = this.queue) {
      await q;
      if (q === this.queue) return;
    }
  }

  /** Runs sandbox operations one at a time, so two clicks can't interleave git commands. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async commit(message: string, reason: string, allowEmpty = false): Promise<string | undefined> {
    await this.git.add(['-A']);
    const staged = (await this.git.raw(['diff', '--cached', '--name-only'])).trim();
    if (!allowEmpty && !staged) return undefined;
    const res = await this.git.commit(`${message}\n\nmedigen-reason: ${reason}`, undefined, allowEmpty ? { '--allow-empty': null } : {});
    return res.commit || (await this.git.revparse(['HEAD'])).trim();
  }

  /** Saves every file as it is now. Returns the checkpoint's hash, or undefined if nothing changed. */
  checkpoint(message: string, reason = 'manual'): Promise<string | undefined> {
    return this.serial(() => this.commit(message, reason));
  }

  /** True when the exercise's folder exists in the sandbox. */
  hasExercise(ex: ExerciseRef): boolean {
    return existsSync(join(this.root, exercisePath(ex)));
  }

  /**
   * Starts an exercise: copies its starter files into the sandbox (never over files the student
   * already has) and checkpoints. Returns the exercise folder.
   */
  startExercise(ex: ExerciseRef): Promise<string> {
    return this.serial(async () => {
      const dest = join(this.root, exercisePath(ex));
      if (!existsSync(ex.starterDir)) {
        throw new MedigenError(`The exercise "${ex.exerciseId}" has no starter files at ${ex.starterDir}.`, 'The module is incomplete: reinstall or update it, or tell your instructor.');
      }
      await mkdir(dest, { recursive: true });
      await cp(ex.starterDir, dest, { recursive: true, force: false, errorOnExist: false });
      await this.commit(`Start exercise ${exercisePath(ex)}`, 'start');
      return dest;
    });
  }

  /**
   * Puts the starter files back. The student's current files are checkpointed first, so the
   * attempt can be restored later.
   */
  resetExercise(ex: ExerciseRef): Promise<string | undefined> {
    return this.serial(async () => {
      await this.commit(`Before reset of ${exercisePath(ex)}`, 'reset');
      // The checkpoint with the files as they are now: the one just taken, or an earlier one when
      // nothing of this exercise changed since (the restore list shows it either way).
      const saved = await this.latest(exercisePath(ex));
      const dest = join(this.root, exercisePath(ex));
      await rm(dest, { recursive: true, force: true });
      await mkdir(dest, { recursive: true });
      await cp(ex.starterDir, dest, { recursive: true });
      await this.commit(`Reset exercise ${exercisePath(ex)} to its starter files`, 'reset');
      return saved;
    });
  }

  /** The newest checkpoint that touched `path`. */
  private async latest(path: string): Promise<string | undefined> {
    return (await this.git.raw(['log', '-1', '--format=%H', '--', path])).trim() || undefined;
  }

  /**
   * Records how a check ended on the exercise's files as they were at checkpoint `hash` (or, when
   * the check took no new checkpoint because nothing changed, at the newest one of the exercise).
   */
  recordResult(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>, hash: string | undefined, result: AttemptResult): Promise<void> {
    return this.serial(async () => {
      const target = hash ?? (await this.latest(exercisePath(ex)));
      if (!target) return;
      const note: AttemptResult = { status: result.status, passed: result.passed, total: result.total };
      await this.git.raw(['notes', `--ref=${NOTES_REF}`, 'add', '-f', '-m', JSON.stringify(note), target]);
    });
  }

  /**
   * Checkpoints that touched an exercise's files, newest first, with the result of the check that
   * ran on each and the files it changed. The lab's housekeeping commits (editor settings, module
   * installs) are left out unless `all` or a check ran on them.
   */
  async attempts(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>, opts: { all?: boolean } = {}): Promise<Checkpoint[]> {
    const path = exercisePath(ex);
    // In turn with the sandbox's other git commands: a result being recorded is in the list.
    const raw = await this.serial(() => this.git.raw(['log', `--notes=${NOTES_REF}`, '--format=%x1e%H%x1f%aI%x1f%s%x1f%b%x1f%N%x1d', '--name-only', '--', path]));
    const out: Checkpoint[] = [];
    for (const rec of raw.split('\x1e').slice(1)) {
      const [head = '', names = ''] = rec.split('\x1d');
      const [hash = '', date = '', message = '', body = '', note = ''] = head.split('\x1f');
      const files = names.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(`${path}/`)).map((l) => l.slice(path.length + 1));
      const c: Checkpoint = { hash, date, message, reason: /medigen-reason: (\w+)/.exec(body)?.[1] ?? 'manual', files };
      const result = parseResult(note.trim());
      if (result) c.result = result;
      // A housekeeping commit a check ran on (the files as installed, say) is an attempt after all.
      if (opts.all || !isInternal(c) || c.result) out.push(c);
    }
    return out;
  }

  /**
   * Brings an exercise's files back to how they were at checkpoint `hash`. What is there now is
   * checkpointed first, so restoring is itself undoable: returns that checkpoint (`before`) and the
   * files the restore changed (relative to the exercise folder).
   */
  restoreAttempt(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>, hash: string): Promise<{ before: string | undefined; files: string[] }> {
    return this.serial(async () => {
      const path = exercisePath(ex);
      const known = (await this.git.log({ file: path })).all.some((c) => c.hash === hash || c.hash.startsWith(hash));
      if (!known) throw new MedigenError(`There is no saved attempt ${hash.slice(0, 8)} of ${path}.`, 'Pick an attempt from the list that "Restore attempt" shows.');
      await this.commit(`Before restoring ${path} to ${hash.slice(0, 8)}`, 'restore');
      const before = await this.latest(path);
      await rm(join(this.root, path), { recursive: true, force: true });
      await this.git.raw(['checkout', hash, '--', path]);
      const restored = await this.commit(`Restore ${path} to attempt ${hash.slice(0, 8)}`, 'restore');
      const files = restored ? (await this.git.raw(['diff', '--name-only', `${restored}~1`, restored, '--', path])).split('\n').filter(Boolean).map((l) => l.slice(path.length + 1)) : [];
      return { before, files };
    });
  }

  /** The content of a file at a checkpoint (for diffs). */
  async fileAt(hash: string, relPath: string): Promise<string> {
    return this.git.show([`${hash}:${relPath.split(sep).join('/')}`]);
  }

  /** Student files of an exercise, relative to the exercise folder, with `/` separators on every platform. */
  async exerciseFiles(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>): Promise<string[]> {
    const base = join(this.root, exercisePath(ex));
    const out: string[] = [];
    const walk = async (dir: string) => {
      for (const d of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, d.name);
        if (d.isDirectory()) await walk(p);
        else out.push(relative(base, p).split(sep).join('/'));
      }
    };
    if (existsSync(base)) await walk(base);
    return out.sort();
  }
}

function parseResult(note: string): AttemptResult | undefined {
  if (!note) return undefined;
  try {
    const r = JSON.parse(note) as Partial<AttemptResult>;
    if (typeof r.status === 'string' && typeof r.passed === 'number' && typeof r.total === 'number') return { status: r.status, passed: r.passed, total: r.total };
  } catch {
    /* a note someone else wrote: no result */
  }
  return undefined;
}
