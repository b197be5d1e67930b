/**
 * The lab: the one place the extension keeps a student's work. Plain Node (no `vscode` import),
 * so the same logic runs in VS Code, in unit tests and in `npm run start:vscode`.
 *
 * It reconciles the curriculum engine with the sandbox: modules (with their solutions, checks and
 * wrong answers) are installed by the engine OUTSIDE the sandbox, under the modules folder
 * (`labModulesDir`: ~/.medigen/modules/_sandboxes/<sandbox>-<hash>/), so no student file can
 * reach them by a relative path; only the student's files live in the sandbox,
 * `<sandbox>/<module id>/<exercise id>/` (the engine's `workRoot` option). Checks run
 * against those files, every check / reset / restore / update is a git checkpoint, and progress
 * is kept in the sandbox's ProgressStore.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { projectRoot } from '../../core/index';
import {
  defaultModulesDir,
  installModule,
  listInstalled,
  loadModule,
  prepareWorkspace,
  runChecks,
  warmUpChecks,
  scoreExercise,
  updateModule,
  type CheckRun,
  type CurriculumModule,
  type Exercise,
  type InstalledModule,
  type Lesson,
  type UpdateResult,
} from '../engine/index';
import { ProgressStore, Sandbox, exercisePath, type Checkpoint } from '../../sandbox/index';

/** Names one exercise of an installed module. */
export interface ExerciseKey {
  moduleId: string;
  exerciseId: string;
}

/** An exercise with its module and lesson. */
export interface FoundExercise {
  module: CurriculumModule;
  lesson: Lesson;
  exercise: Exercise;
}

/** Options of `Lab.open`. */
export interface LabOptions {
  /** The student's folder (a git repository of their work). Created when missing. */
  sandboxRoot: string;
  /** Where modules are installed. Defaults to `labModulesDir(sandboxRoot)`, outside the sandbox. */
  modulesDir?: string;
  /** Module folders installed on first use when not installed yet, in course order (the Lessons tree shows them in this order). Defaults to the shipped modules (`shippedModuleDirs`). */
  shippedModules?: string[];
}

/** What `Lab.runCheck` returns: the engine's run plus the checkpoint taken before it. */
export interface LabCheckRun extends CheckRun {
  /** The checkpoint of the student's files taken before the checks ran (undefined: nothing had changed). */
  checkpoint?: string;
  /** The folder the checks ran against. */
  workDir: string;
}

/** What `Lab.updateModule` returns. */
export interface LabUpdate extends UpdateResult {
  /** Copy of the module as it was before the update (its starters are the left side of the instructor's diffs). */
  previousDir: string;
}

/** The modules shipped with MediGen Lab, in course order. */
export const SHIPPED_MODULES: readonly string[] = ['meet-the-data', 'cleaning-dialogues', 'instruction-prompts', 'scoring-notes', 'generating-notes', 'fine-tuning', 'is-this-note-safe'];

/** The shipped module folders (inside this MediGen Lab install), in course order. */
export function shippedModuleDirs(root = projectRoot()): string[] {
  return SHIPPED_MODULES.map((id) => join(root, 'curriculum', 'modules', id));
}

/** The key the ProgressStore uses for an exercise: `<moduleId>/<exerciseId>`. */
export function progressKey(k: ExerciseKey): string {
  return exercisePath(k);
}

/**
 * Where the lab installs modules for one sandbox: a folder of its own under the modules folder
 * (MEDIGEN_MODULES_DIR, else ~/.medigen/modules), never inside the sandbox. One per sandbox, so
 * each sandbox's installed.json points at its own work folders.
 */
export function labModulesDir(sandboxRoot: string): string {
  const root = resolve(sandboxRoot);
  const slug = basename(root).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'sandbox';
  return join(defaultModulesDir(), '_sandboxes', `${slug}-${createHash('sha256').update(root).digest('hex').slice(0, 10)}`);
}

/** The lab's modules folder: the one given, else `labModulesDir(sandboxRoot)`. Lab.open and the extension (before opening) agree on it. */
export function resolveModulesDir(sandboxRoot: string, modulesDir?: string): string {
  return resolve(modulesDir ?? labModulesDir(resolve(sandboxRoot)));
}

/** Where older versions installed modules: inside the sandbox, where student code could import a solution. */
const OLD_MODULES = join('.medigen', 'modules');

type Listener = () => void;

export class Lab {
  private mods: CurriculumModule[] = [];
  private readonly listeners = new Set<Listener>();

  private constructor(
    readonly sandboxRoot: string,
    readonly modulesDir: string,
    readonly sandbox: Sandbox,
    readonly progress: ProgressStore,
    /** Ids of the shipped modules in course order: they come first, other modules after them by id. */
    private readonly courseOrder: readonly string[] = [],
  ) {
    progress.onDidChange(() => this.fire());
  }

  /**
   * Opens the lab at `sandboxRoot`: creates the sandbox (git repository) when missing, installs
   * the shipped modules that are not installed yet, and loads every installed module.
   */
  static async open(opts: LabOptions): Promise<Lab> {
    const root = resolve(opts.sandboxRoot);
    const modulesDir = resolveModulesDir(root, opts.modulesDir);
    if (modulesDir === root || modulesDir.startsWith(root + sep)) {
      throw new MedigenError(`The modules folder ${modulesDir} is inside the sandbox ${root}.`, 'Modules hold reference solutions: keep them outside the student\'s folder (leave the modules setting empty for the default, ~/.medigen/modules).');
    }
    const sandbox = await Sandbox.open(root);
    const old = join(root, OLD_MODULES);
    const shipped = (opts.shippedModules ?? shippedModuleDirs()).map((dir) => ({ dir, id: readModuleId(dir) }));
    const lab = new Lab(root, modulesDir, sandbox, new ProgressStore(root), shipped.flatMap((m) => (m.id ? [m.id] : [])));
    const installed = new Set(listInstalled({ modulesDir }).map((m) => m.id));
    if (existsSync(old)) {
      // Move modules installed by an older version out of the sandbox: install them again outside
      // (student files are never overwritten), then delete the copy that held the solutions.
      for (const m of listInstalled({ modulesDir: old })) {
        if (installed.has(m.id)) continue;
        try {
          await lab.installModule(m.source, { ...(m.pinned && m.ref ? { ref: m.ref } : {}), reload: false });
          installed.add(m.id);
        } catch {
          // The source is gone: the shipped modules are installed below; others can be installed again by hand.
        }
      }
      rmSync(old, { recursive: true, force: true });
    }
    for (const { dir, id } of shipped) {
      if (id && !installed.has(id)) await lab.installModule(dir, { reload: false });
    }
    await lab.reload();
    return lab;
  }

  /** Called after any change of modules or progress (views redraw from it). */
  onDidChange(l: Listener): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }

  /** The installed modules that loaded: the shipped ones in course order, then the others by id. */
  get modules(): readonly CurriculumModule[] {
    return this.mods;
  }

  /** The installed modules as recorded by the engine. */
  installed(): InstalledModule[] {
    return listInstalled({ modulesDir: this.modulesDir });
  }

  /** Loads every installed module again (after install/update). Modules that no longer load are left out. */
  async reload(): Promise<void> {
    const out: CurriculumModule[] = [];
    for (const m of this.installed()) {
      // Loading a module is synchronous work (~5–10 ms each in a fresh extension host): between
      // modules the event loop runs, so VS Code's requests to the extension host (as it creates a
      // lesson's webview meanwhile) are not kept waiting for all of them.
      await new Promise((r) => setImmediate(r));
      const r = await loadModule(m.dir, { loadChecks: false, installed: true });
      if (r.ok) out.push(r.module);
    }
    const rank = (id: string) => {
      const k = this.courseOrder.indexOf(id);
      return k < 0 ? this.courseOrder.length : k;
    };
    this.mods = out.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
    this.fire();
  }

  /** Finds a module, or throws a MedigenError listing the installed ones. */
  module(moduleId: string): CurriculumModule {
    const m = this.mods.find((x) => x.id === moduleId);
    if (!m) throw new MedigenError(`No module "${moduleId}" is installed in ${this.modulesDir}.`, `Installed modules: ${this.mods.map((x) => x.id).join(', ') || 'none'}. Install it with "MediGen Lab: Install Module".`);
    return m;
  }

  /** Finds a lesson of a module. */
  lesson(moduleId: string, lessonId: string): { module: CurriculumModule; lesson: Lesson } {
    const module = this.module(moduleId);
    const lesson = module.lessons.find((l) => l.id === lessonId);
    if (!lesson) throw new MedigenError(`The module "${moduleId}" has no lesson "${lessonId}".`, `Its lessons: ${module.lessons.map((l) => l.id).join(', ')}.`);
    return { module, lesson };
  }

  /** Finds an exercise of a module. */
  exercise(k: ExerciseKey): FoundExercise {
    const module = this.module(k.moduleId);
    for (const lesson of module.lessons) {
      const exercise = lesson.exercises.find((e) => e.id === k.exerciseId);
      if (exercise) return { module, lesson, exercise };
    }
    throw new MedigenError(`The module "${k.moduleId}" has no exercise "${k.exerciseId}".`, `Its exercises: ${module.exercises.map((e) => e.id).join(', ')}.`);
  }

  /** The student's folder of an exercise (inside the sandbox). */
  workDir(k: ExerciseKey): string {
    return join(this.sandboxRoot, exercisePath(k));
  }

  /** The file the student edits first (the exercise's entry file in the sandbox). */
  entryFile(k: ExerciseKey): string {
    return join(this.workDir(k), this.exercise(k).exercise.entry);
  }

  /** Finds the exercise a sandbox file belongs to, e.g. the file open in the editor. */
  exerciseOfFile(file: string): ExerciseKey | undefined {
    const full = resolve(file);
    if (!full.startsWith(this.sandboxRoot + sep)) return undefined;
    const rel = full.slice(this.sandboxRoot.length + 1).split(/[\\/]/);
    if (rel.length < 3) return undefined;
    const [moduleId, exerciseId] = rel as [string, string];
    const m = this.mods.find((x) => x.id === moduleId);
    return m?.exercises.some((e) => e.id === exerciseId) ? { moduleId, exerciseId } : undefined;
  }

  /**
   * Starts an exercise: its starter files (and a tsconfig.json mapping `medigen-lab`) in the
   * sandbox, never over the student's own files; checkpointed. Returns the exercise folder.
   */
  async startExercise(k: ExerciseKey): Promise<string> {
    const { exercise } = this.exercise(k);
    const workDir = this.workDir(k);
    prepareWorkspace({ exercise, workDir });
    await this.sandbox.startExercise({ ...k, starterDir: exercise.starterDir });
    await this.progress.exerciseStarted(progressKey(k));
    return workDir;
  }

  /** Starts every exercise of a lesson. Returns their folders. */
  async startLesson(moduleId: string, lessonId: string): Promise<string[]> {
    const { lesson } = this.lesson(moduleId, lessonId);
    const dirs: string[] = [];
    for (const e of lesson.exercises) dirs.push(await this.startExercise({ moduleId, exerciseId: e.id }));
    return dirs;
  }

  /**
   * Runs an exercise's checks against the student's files: checkpoint first, then the engine's
   * runChecks in a separate process with the exercise's time limit; progress is recorded
   * (unless the run was stopped).
   */
  async runCheck(k: ExerciseKey, opts: { signal?: AbortSignal; progress?: Progress } = {}): Promise<LabCheckRun> {
    const { exercise } = this.exercise(k);
    const workDir = this.workDir(k);
    if (!existsSync(workDir)) await this.startExercise(k);
    const checkpoint = await this.sandbox.checkpoint(`Check ${exercisePath(k)}`, 'check');
    const run = await runChecks({
      exerciseDir: exercise.dir,
      workDir,
      checkTimeoutMs: exercise.timeLimitMs,
      timeoutMs: Math.max(60_000, exercise.timeLimitMs * (exercise.checkFiles.length + 10)),
      // A student checks again and again: the next check process starts now and waits, ready.
      warm: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
    });
    if (run.status !== 'aborted') {
      const score = run.results.length ? scoreExercise(exercise.points, run.results, { publicOnly: true }) : undefined;
      saveLastResults(this.sandboxRoot, k, run, score);
      await this.progress.checkFinished(progressKey(k), run.passed, run.results.length, score ? { points: score.points, max: score.max } : undefined);
      // The restore list shows how each attempt did. Not waited for (the student waits for the
      // result, not for git): the sandbox runs its git commands in order, so the list sees it.
      void this.sandbox.recordResult(k, checkpoint, { status: run.status, passed: run.passed, total: run.results.length }).catch(() => undefined);
    }
    return { ...run, workDir, ...(checkpoint ? { checkpoint } : {}) };
  }

  /**
   * Starts the process the next check runs in now (see the engine's warmUpChecks), so the first
   * "Run Check" of a session is as quick as the later ones. For when a student opens an exercise.
   */
  warmUpChecks(): void {
    warmUpChecks();
  }

  /** The next hint of an exercise (hints come in order; the store remembers how many were shown). */
  async nextHint(k: ExerciseKey): Promise<{ index: number; total: number; text: string }> {
    const { exercise } = this.exercise(k);
    if (!exercise.hints.length) throw new MedigenError(`The exercise "${k.exerciseId}" has no hints.`, 'Ask your instructor, or read the lesson text again.');
    const index = await this.progress.hintShown(progressKey(k), exercise.hints.length);
    return { index, total: exercise.hints.length, text: exercise.hints[index]! };
  }

  /** The hints the student has opened so far. */
  shownHints(k: ExerciseKey): string[] {
    const { exercise } = this.exercise(k);
    return exercise.hints.slice(0, this.progress.get(progressKey(k)).hintsShown);
  }

  /** Puts the starter files back (the current files are checkpointed first). Returns that checkpoint. */
  async resetExercise(k: ExerciseKey): Promise<string | undefined> {
    const { exercise } = this.exercise(k);
    const saved = await this.sandbox.resetExercise({ ...k, starterDir: exercise.starterDir });
    prepareWorkspace({ exercise, workDir: this.workDir(k) }); // the tsconfig.json mapping `medigen-lab`
    await this.sandbox.checkpoint(`Editor settings for ${exercisePath(k)}`, 'internal');
    await this.progress.exerciseReset(progressKey(k));
    return saved;
  }

  /** Checkpoints of an exercise's files (with each check's result and the files changed), newest first; housekeeping left out. */
  attempts(k: ExerciseKey): Promise<Checkpoint[]> {
    return this.sandbox.attempts(k);
  }

  /** Brings an exercise's files back to a checkpoint (what is there now is checkpointed first: `before`). */
  restoreAttempt(k: ExerciseKey, hash: string): Promise<{ before: string | undefined; files: string[] }> {
    return this.sandbox.restoreAttempt(k, hash);
  }

  /** Installs a module (folder or git URL) with its work folders in the sandbox; checkpointed. */
  async installModule(source: string, opts: { ref?: string; reload?: boolean; signal?: AbortSignal } = {}): Promise<InstalledModule> {
    const rec = await installModule({ source, modulesDir: this.modulesDir, workRoot: this.sandboxRoot, ...(opts.ref ? { ref: opts.ref } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    await this.sandbox.checkpoint(`Install module ${rec.id} ${rec.version}`, 'internal');
    if (opts.reload ?? true) await this.reload();
    return rec;
  }

  /**
   * Updates a module with the engine's update logic applied to the sandbox files: a checkpoint
   * first, the student's edited files are kept (the instructor's change comes back as a diff),
   * then a checkpoint of the result. The old module is kept in `previousDir` for diffs.
   */
  async updateModule(moduleId: string, opts: { ref?: string; signal?: AbortSignal } = {}): Promise<LabUpdate> {
    const before = this.installed().find((m) => m.id === moduleId);
    if (!before) throw new MedigenError(`No module "${moduleId}" is installed.`, `Installed modules: ${this.installed().map((m) => m.id).join(', ') || 'none'}.`);
    await this.sandbox.checkpoint(`Before updating module ${moduleId}`, 'update');
    const previousDir = join(this.modulesDir, moduleId, 'previous', before.version);
    rmSync(previousDir, { recursive: true, force: true });
    cpSync(before.dir, previousDir, { recursive: true });
    const result = await updateModule({ id: moduleId, modulesDir: this.modulesDir, ...(opts.ref ? { ref: opts.ref } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    if (result.status === 'updated') await this.sandbox.checkpoint(`Update module ${moduleId} to ${result.after.version}`, 'update');
    await this.reload();
    return { ...result, previousDir };
  }
}

/** Where the last check results of an exercise are kept: `<sandbox>/.medigen/results/<module>/<exercise>.json` (submit packs them). */
export function lastResultsFile(sandboxRoot: string, k: ExerciseKey): string {
  return join(sandboxRoot, '.medigen', 'results', `${exercisePath(k)}.json`);
}

/** The last check results as a submission carries them: each check's title, status and message (no output, no stack). */
export interface LastResults {
  at: string;
  status: CheckRun['status'];
  passed: number;
  total: number;
  score?: { points: number; max: number };
  results: { title: string; fullTitle: string; status: string; message?: string }[];
}

function saveLastResults(sandboxRoot: string, k: ExerciseKey, run: CheckRun, score: { points: number; max: number } | undefined): void {
  const data: LastResults = {
    at: new Date().toISOString(),
    status: run.status,
    passed: run.passed,
    total: run.results.length,
    ...(score ? { score: { points: score.points, max: score.max } } : {}),
    results: run.results.map((r) => ({ title: r.title, fullTitle: r.fullTitle, status: r.status, ...(r.message ? { message: r.message.slice(0, 2000) } : {}) })),
  };
  const file = lastResultsFile(sandboxRoot, k);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

function readModuleId(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'medigen-module.json'), 'utf8')) as { id?: string }).id;
  } catch {
    return undefined;
  }
}
