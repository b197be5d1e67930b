/**
 * Launches `trainer.py` as a child process and follows it: protocol messages from stdout, stderr
 * into the run's log file, cancel by SIGTERM (the trainer checkpoints and exits), and a crash
 * (killed process, Python traceback, no final message) turned into a clear error message. Live-ROUGE
 * notes the trainer announces (`samples`) are scored here, in order, and recorded as `rouge`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../core/index';
import { queryNvidiaSmi } from './gpus';
import { rougeForSamples } from './liveRouge';
import { initialRunState, parseTrainerLine, reduceRun, type EnvironmentReport, type RunState, type TrainerMessage } from './protocol';

export function trainerScript(): string {
  return join(projectRoot(), 'models', 'train', 'trainer.py');
}

export interface LaunchOptions {
  /** Python interpreter of the training environment. Defaults to `python3`. */
  python?: string;
  /** A trainer script speaking the same protocol. Defaults to MediGen Lab's trainer.py. */
  script?: string;
  /** The resolved config file inside the run folder. */
  configFile: string;
  /** Where stderr goes. */
  logFile: string;
  /** Every message is appended here as a JSON line, so the run can be replayed later (history). */
  protocolFile?: string;
  resume?: boolean;
  /** Run through `accelerate launch` on this many GPUs (more than 1 = multi-GPU). */
  gpus?: number;
  env?: NodeJS.ProcessEnv;
  onMessage?: (m: TrainerMessage, state: RunState) => void;
}

export interface TrainingProcess {
  readonly child: ChildProcess;
  /** Asks the trainer to checkpoint and stop (SIGTERM); kills it if it has not exited after `graceMs`. */
  cancel(graceMs?: number): void;
  /** Resolves with the final state once the process has exited. */
  readonly done: Promise<RunState>;
}

async function logTail(file: string, lines = 20): Promise<string> {
  if (!existsSync(file)) return '';
  const text = await readFile(file, 'utf8');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * `accelerate launch` arguments for `processes` processes on one machine, told everything so it
 * asks nothing and guesses nothing (the trainer does its own bf16 autocast). With "device": "cpu"
 * the same launch runs CPU processes over gloo, which is how the trainer suite tests it.
 */
export function accelerateArgs(processes: number): string[] {
  return ['--multi_gpu', '--num_machines', '1', '--num_processes', String(processes), '--mixed_precision', 'no', '--dynamo_backend', 'no'];
}

export function launchTrainer(o: LaunchOptions): TrainingProcess {
  const python = o.python ?? 'python3';
  const trainerArgs = [o.script ?? trainerScript(), '--config', o.configFile, ...(o.resume ? ['--resume'] : [])];
  const [cmd, args] = o.gpus && o.gpus > 1 ? [python, ['-m', 'accelerate.commands.launch', ...accelerateArgs(o.gpus), ...trainerArgs]] : [python, ['-u', ...trainerArgs]];
  const child = spawn(cmd, args, { env: { ...process.env, PYTHONUNBUFFERED: '1', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(o.logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  const protocol = o.protocolFile ? createWriteStream(o.protocolFile, { flags: 'a' }) : undefined;
  let state = initialRunState();
  const lines = createInterface({ input: child.stdout! });
  // Live-ROUGE scoring runs beside the trainer, one evaluation after the other; exit waits for it.
  let scoring = Promise.resolve();
  lines.on('line', (line) => {
    const m = parseTrainerLine(line);
    if (!m) return;
    record(m);
    if (m.type === 'samples') scoring = scoring.then(async () => record(await rougeForSamples(m)));
  });
  const record = (m: TrainerMessage) => {
    protocol?.write(`${JSON.stringify(m)}\n`);
    state = reduceRun(state, m);
    o.onMessage?.(m, state);
  };
  let killTimer: NodeJS.Timeout | undefined;
  const done = new Promise<RunState>((resolve) => {
    let spawnError: Error | undefined;
    child.on('error', (e) => (spawnError = e));
    child.on('close', async (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      await new Promise<void>((r) => log.end(r));
      await scoring;
      if (spawnError) {
        const m: TrainerMessage = { type: 'error', category: 'missing_dependency', message: `Could not start Python (${python}): ${spawnError.message}.`, hint: 'Set up the training environment first ("MediGen Lab: Set up training environment" or `medigen train setup`).' };
        record(m);
      } else if (state.status === 'running' || state.status === 'starting') {
        const tail = await logTail(o.logFile);
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const m: TrainerMessage = {
          type: 'error',
          category: 'crashed',
          message: `The trainer ${how} at step ${state.step} without finishing.${tail ? `\nLast lines of its log:\n${tail}` : ''}`,
          hint: state.checkpoints.length ? `Resume the run: it continues from the checkpoint at step ${state.checkpoints.at(-1)!.step}.` : 'Check the log file for the cause, then launch the run again.',
        };
        record(m);
      }
      if (protocol) await new Promise<void>((r) => protocol.end(r));
      resolve(state);
    });
  });
  return {
    child,
    done,
    cancel(graceMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    },
  };
}

/**
 * Asks trainer.py what the environment has (packages, CUDA, GPUs with free memory), and nvidia-smi
 * what the driver sees (`nvidiaSmi`), both at once.
 */
export async function checkTrainingEnvironment(python = 'python3'): Promise<EnvironmentReport | { error: string }> {
  const [report, smi] = await Promise.all([askTrainer(python), queryNvidiaSmi()]);
  return 'error' in report ? report : { ...report, nvidiaSmi: smi };
}

function askTrainer(python: string): Promise<EnvironmentReport | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, [trainerScript(), '--check-env'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ error: `Could not run ${python}: ${e.message}` }));
    child.on('close', () => {
      const m = out.split('\n').map(parseTrainerLine).find((x) => x?.type === 'environment');
      if (m && m.type === 'environment') {
        const { type: _t, ...report } = m;
        resolve(report);
      } else resolve({ error: `${python} did not report its environment.` });
    });
  });
}
