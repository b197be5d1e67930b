/**
 * Lesson progress: one small store, changed only through named actions, saved to
 * `<sandbox>/.medigen/progress.json` after every change so it survives restarts. Views (the tree,
 * the lesson panel) subscribe and redraw; nothing else writes the state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type ExerciseStatus = 'not-started' | 'started' | 'failing' | 'passed';

export interface ExerciseProgress {
  status: ExerciseStatus;
  /** How many checks were run. */
  checks: number;
  /** How many hints the student has opened (hints are shown in order). */
  hintsShown: number;
  /** ISO time of the last change. */
  updated: string;
  /** One-line summary of the last check, e.g. "2 of 3 checks pass". */
  lastResult?: string;
  /** Points of the last check (public checks only; exercise.json's `points`). */
  score?: { points: number; max: number };
}

export interface ProgressState {
  version: 1;
  /** Keyed by `<moduleId>/<exerciseId>`. */
  exercises: Record<string, ExerciseProgress>;
}

type Listener = (state: Readonly<ProgressState>) => void;

const empty = (): ProgressState => ({ version: 1, exercises: {} });

export class ProgressStore {
  private state: ProgressState;
  private readonly listeners = new Set<Listener>();
  private saving: Promise<void> = Promise.resolve();
  readonly file: string;

  constructor(sandboxRoot: string) {
    this.file = join(sandboxRoot, '.medigen', 'progress.json');
    this.state = ProgressStore.read(this.file);
  }

  /** Reads saved progress; a damaged file is kept aside (never deleted) and progress starts fresh. */
  private static read(file: string): ProgressState {
    if (!existsSync(file)) return empty();
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as ProgressState;
      if (s && s.version === 1 && typeof s.exercises === 'object') return s;
    } catch {
      /* fall through */
    }
    void rename(file, `${file}.damaged-${Date.now()}`).catch(() => undefined);
    return empty();
  }

  get(key: string): ExerciseProgress {
    return this.state.exercises[key] ?? { status: 'not-started', checks: 0, hintsShown: 0, updated: '' };
  }

  snapshot(): Readonly<ProgressState> {
    return this.state;
  }

  onDidChange(l: Listener): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  // ---- named actions -------------------------------------------------------------------------

  exerciseStarted(key: string): Promise<void> {
    const p = this.get(key);
    return this.update(key, { ...p, status: p.status === 'not-started' ? 'started' : p.status });
  }

  checkFinished(key: string, passed: number, total: number, score?: { points: number; max: number }): Promise<void> {
    const { score: _old, ...p } = this.get(key);
    const ok = total > 0 && passed === total;
    return this.update(key, { ...p, status: ok ? 'passed' : 'failing', checks: p.checks + 1, lastResult: `${passed} of ${total} checks pass`, ...(score ? { score } : {}) });
  }

  /** Returns the index of the hint to show next (0-based), capped at `available - 1`. */
  async hintShown(key: string, available: number): Promise<number> {
    const p = this.get(key);
    const index = Math.min(p.hintsShown, Math.max(available - 1, 0));
    await this.update(key, { ...p, hintsShown: Math.min(p.hintsShown + 1, available) });
    return index;
  }

  exerciseReset(key: string): Promise<void> {
    const { score: _old, ...p } = this.get(key);
    return this.update(key, { ...p, status: 'started', lastResult: undefined });
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private update(key: string, next: ExerciseProgress): Promise<void> {
    this.state = { ...this.state, exercises: { ...this.state.exercises, [key]: { ...next, updated: new Date().toISOString() } } };
    for (const l of this.listeners) l(this.state);
    const data = JSON.stringify(this.state, null, 2);
    this.saving = this.saving.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, this.file);
    });
    return this.saving;
  }
}
