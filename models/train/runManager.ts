/**
 * Starts, follows, cancels and resumes training runs for the extension (plain Node, so it is
 * unit-tested with the protocol fixture trainer). Each active run's state is folded from the
 * trainer's messages on top of what the run folder already recorded, so a resumed run keeps the
 * curves from before the interruption.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import type { TrainConfig } from './config';
import { launchTrainer, type TrainingProcess } from './launcher';
import { initialRunState, reduceRun, type RunState, type TrainerMessage } from './protocol';
import { prepareRun, replayRun, runPaths, type RunPaths } from './runs';

/** How to run the trainer. */
export interface TrainerSettings {
  /** Python interpreter of the training environment. Defaults to python3. */
  python?: string;
  /** A script speaking the trainer protocol instead of MediGen Lab's trainer.py. Defaults to trainer.py. */
  script?: string;
  /** Extra environment for the trainer. Defaults to none. */
  env?: NodeJS.ProcessEnv;
}

/** A run followed by the manager. */
export interface ActiveRun {
  name: string;
  dir: string;
  paths: RunPaths;
  state: RunState;
  process: TrainingProcess;
  /** Resolves with the final state when the trainer has exited. */
  done: Promise<RunState>;
}

/** Events: `state` (dir, state, message) on every trainer message, `ended` (dir, state) at exit. */
export interface RunManagerEvents {
  state: [dir: string, state: RunState, message: TrainerMessage];
  ended: [dir: string, state: RunState];
}

export class RunManager extends EventEmitter<RunManagerEvents> {
  private readonly active = new Map<string, ActiveRun>();

  /** The run in `dir` while its trainer is running. */
  activeRun(dir: string): ActiveRun | undefined {
    return this.active.get(dir);
  }

  /** Every run whose trainer is running. */
  activeRuns(): ActiveRun[] {
    return [...this.active.values()];
  }

  /** The live state of an active run, else the state replayed from its folder. */
  state(dir: string): RunState {
    return this.active.get(dir)?.state ?? replayRun(dir);
  }

  /**
   * Creates a run folder for `cfg` (instruction data and resolved config, under `baseDir`) and
   * starts the trainer on it.
   */
  async launch(cfg: TrainConfig, baseDir: string, settings: TrainerSettings = {}): Promise<ActiveRun> {
    const { paths } = await prepareRun(resolveConfigPaths(cfg, baseDir), baseDir);
    return this.start(paths, false, settings);
  }

  /** Continues a stopped or failed run from its last checkpoint. */
  resume(dir: string, settings: TrainerSettings = {}): ActiveRun {
    if (this.active.has(dir)) throw new MedigenError(`The run ${basename(dir)} is still running.`, 'Wait for it to finish, or cancel it first.');
    return this.start(runPaths(dir), true, settings);
  }

  /** Asks an active run's trainer to checkpoint and stop. Returns false when it is not running. */
  cancel(dir: string, graceMs?: number): boolean {
    const run = this.active.get(dir);
    if (!run) return false;
    run.process.cancel(graceMs);
    return true;
  }

  /** Cancels every active run (on shutdown). */
  cancelAll(graceMs?: number): void {
    for (const run of this.active.values()) run.process.cancel(graceMs);
  }

  private start(paths: RunPaths, resume: boolean, settings: TrainerSettings): ActiveRun {
    const dir = paths.dir;
    const before = resume ? replayRun(dir) : initialRunState();
    // A resumed run starts over in the launcher's eyes; keep the earlier curves, drop the old error.
    let state: RunState = { ...before, status: 'starting', error: undefined };
    const run = { name: basename(dir), dir, paths } as ActiveRun;
    const process = launchTrainer({
      configFile: paths.config,
      logFile: paths.log,
      protocolFile: paths.protocol,
      resume,
      ...(settings.python ? { python: settings.python } : {}),
      ...(settings.script ? { script: settings.script } : {}),
      ...(settings.env ? { env: settings.env } : {}),
      onMessage: (m) => {
        state = reduceRun(state, m);
        if (m.type === 'started' && resume) {
          // Steps after the checkpoint are trained again: their old points are replaced.
          const keep = <T extends { step: number }>(p: T[]) => p.filter((x) => x.step <= m.resumedFromStep);
          state = { ...state, trainLoss: keep(state.trainLoss), evalLoss: keep(state.evalLoss), learningRate: keep(state.learningRate), liveRouge: keep(state.liveRouge) };
        }
        run.state = state;
        this.emit('state', dir, state, m);
      },
    });
    run.state = state;
    run.process = process;
    run.done = process.done.then(() => {
      this.active.delete(dir);
      this.emit('ended', dir, run.state);
      return run.state;
    });
    this.active.set(dir, run);
    return run;
  }
}

/**
 * The config with its relative file settings (base model folder, corpus, template, CSV splits)
 * made absolute against `baseDir` when the file is there: the extension host's working folder is
 * not the student's, so a path written relative to the training folder must be resolved first.
 */
export function resolveConfigPaths(cfg: TrainConfig, baseDir: string): TrainConfig {
  const abs = (p: string | undefined, looksLikeFile = true): string | undefined => {
    if (!p || isAbsolute(p) || !looksLikeFile) return p;
    const candidate = resolve(baseDir, p);
    return existsSync(candidate) ? candidate : p;
  };
  const isFile = (p: string) => /[/\\]|\.(csv|json)$/i.test(p);
  const data = { ...cfg.data, train: abs(cfg.data.train, isFile(cfg.data.train))!, valid: abs(cfg.data.valid, isFile(cfg.data.valid))! };
  const corpus = abs(cfg.data.corpus);
  const template = abs(cfg.data.template);
  if (corpus) data.corpus = corpus;
  if (template) data.template = template;
  return { ...cfg, baseModel: abs(cfg.baseModel, isFile(cfg.baseModel) || existsSync(resolve(baseDir, cfg.baseModel)))!, data };
}
