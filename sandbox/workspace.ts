/**
 * The student's sandbox: a folder of exercise files that is also a git repository, so every
 * attempt is checkpointed and nothing a student writes is ever lost. Plain Node (simple-git); the
 * extension, the CLI and the tests all use it.
 *
 * Layout of a sandbox folder:
 *   <root>/<moduleId>/<exerciseId>/...   the student's files, copied from the exercise's starter/
 *   <root>/.medigen/progress.json        lesson progress (see progress.ts), committed with the work
 *   <root>/.git                          checkpoints: one commit per check, reset, restore, update
 */
import { existsSync } from 'node:fs';
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

export interface Checkpoint {
  hash: string;
  date: string;
  message: string;
  /** Why it was taken: 'start', 'check', 'reset', 'restore', 'update' or 'manual'. */
  reason: string;
}

const AUTHOR = { name: 'MediGen Lab', email: 'sandbox@medigen-lab.invalid' };

/** What a sandbox never checkpoints. */
const IGNORED = 'node_modules/\n.medigen/runs/\n';

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
    try {
      await sb.git.version();
    } catch (e) {
      throw new MedigenError('Git is not installed, and MediGen Lab uses it to save every attempt you make.', 'Install git (https://git-scm.com/downloads, or `sudo apt install git`), then try again.', { cause: e });
    }
    if (!existsSync(join(root, '.git'))) {
      // What the folder already holds stays the user's: never staged (git's local exclude file, not
      // a file of theirs), and their .gitignore is kept as it is, our lines going to the same place.
      const existing = await Sandbox.existingEntries(root);
      const ownIgnore = !existsSync(join(root, '.gitignore'));
      await sb.git.init();
      await sb.git.addConfig('user.name', AUTHOR.name).addConfig('user.email', AUTHOR.email).addConfig('commit.gpgsign', 'false');
      if (ownIgnore) await writeFile(join(root, '.gitignore'), IGNORED);
      const keep = [...existing, ...(ownIgnore ? [] : ['.gitignore'])].map((n) => `/${n.replace(/([*?[\]\\!#])/g, '\\$1')}`);
      if (keep.length || !ownIgnore) await appendFile(join(root, '.git', 'info', 'exclude'), `\n# MediGen Lab: the folder's own files, never checkpointed\n${keep.join('\n')}\n${ownIgnore ? '' : IGNORED}`);
      await sb.commit('Create the MediGen Lab sandbox', 'start', true);
    }
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
      const saved = await this.commit(`Before reset of ${exercisePath(ex)}`, 'reset');
      const dest = join(this.root, exercisePath(ex));
      await rm(dest, { recursive: true, force: true });
      await mkdir(dest, { recursive: true });
      await cp(ex.starterDir, dest, { recursive: true });
      await this.commit(`Reset exercise ${exercisePath(ex)} to its starter files`, 'reset');
      return saved;
    });
  }

  /** Checkpoints that touched an exercise's files, newest first. */
  async attempts(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>): Promise<Checkpoint[]> {
    const log = await this.git.log({ file: exercisePath(ex) });
    return log.all.map((c) => ({ hash: c.hash, date: c.date, message: c.message, reason: /medigen-reason: (\w+)/.exec(c.body)?.[1] ?? 'manual' }));
  }

  /**
   * Brings an exercise's files back to how they were at checkpoint `hash`. What is there now is
   * checkpointed first, so restoring is itself undoable.
   */
  restoreAttempt(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>, hash: string): Promise<void> {
    return this.serial(async () => {
      const path = exercisePath(ex);
      const known = (await this.git.log({ file: path })).all.some((c) => c.hash === hash || c.hash.startsWith(hash));
      if (!known) throw new MedigenError(`There is no saved attempt ${hash.slice(0, 8)} of ${path}.`, 'Pick an attempt from the list that "Restore attempt" shows.');
      await this.commit(`Before restoring ${path} to ${hash.slice(0, 8)}`, 'restore');
      await rm(join(this.root, path), { recursive: true, force: true });
      await this.git.raw(['checkout', hash, '--', path]);
      await this.commit(`Restore ${path} to attempt ${hash.slice(0, 8)}`, 'restore');
    });
  }

  /** The content of a file at a checkpoint (for diffs). */
  async fileAt(hash: string, relPath: string): Promise<string> {
    return this.git.show([`${hash}:${relPath.split(sep).join('/')}`]);
  }

  /** Student files of an exercise, relative to the exercise folder. */
  async exerciseFiles(ex: Pick<ExerciseRef, 'moduleId' | 'exerciseId'>): Promise<string[]> {
    const base = join(this.root, exercisePath(ex));
    const out: string[] = [];
    const walk = async (dir: string) => {
      for (const d of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, d.name);
        if (d.isDirectory()) await walk(p);
        else out.push(relative(base, p));
      }
    };
    if (existsSync(base)) await walk(base);
    return out.sort();
  }
}
