/**
 * The trainer ↔ extension protocol: versioned JSON lines on the trainer's stdout (stderr goes to a
 * log file). `trainer.py` writes these messages; `parseTrainerLine` reads them; `reduceRun` folds
 * them into the state the dashboard draws.
 *
 * Version 1 grew compatibly: `samples` (the trainer wrote live-ROUGE notes, since issue 13) is a
 * trainer message; `rouge` is never read from the trainer's stdout: the launcher writes it after
 * scoring those notes itself with ACI-BENCH's ROUGE (models/train/liveRouge.ts), so a run's
 * protocol.jsonl keeps both and its history replays the ROUGE curve without scoring again.
 */
import type { SmiReport } from './gpus';

export const PROTOCOL_VERSION = 1;

export type ErrorCategory = 'out_of_memory' | 'missing_dependency' | 'config' | 'data' | 'model' | 'no_gpu' | 'crashed' | 'unknown';

export interface EnvironmentReport {
  python: string;
  packages: Record<string, string | null>;
  cuda: boolean;
  gpus: { name: string; memoryTotal: number; memoryFree: number }[];
  /** What nvidia-smi says (added by checkTrainingEnvironment; not sent by the trainer). */
  nvidiaSmi?: SmiReport;
}

export type TrainerMessage =
  | ({ type: 'environment' } & EnvironmentReport)
  | { type: 'started'; runId: string; totalSteps: number; device: string; gpus: { name: string; memoryTotal: number }[]; quantization: string; trainableParams: number; totalParams: number; resumedFromStep: number }
  | { type: 'step'; step: number; epoch: number; loss: number; lr: number; tokensPerSecond: number; gpuMemory: number; gpuMemoryPeak: number; elapsed: number }
  | { type: 'eval'; step: number; evalLoss: number; /** Validation examples evaluated (over all processes). */ examples?: number }
  | { type: 'checkpoint'; step: number; path: string }
  | {
      type: 'samples';
      step: number;
      /** live-rouge/step-N.jsonl: one {index, reference, prediction, tokens, cut} per note. */
      file: string;
      count: number;
      /** Positions of the notes' examples in the validation data (the fixed sample). */
      indices: number[];
      maxNewTokens: number;
      /** New tokens generated over all notes. */
      tokens: number;
      /** Notes stopped at maxNewTokens before the model ended them. */
      cut: number;
      /** Seconds the generation took (the cost of live ROUGE at this evaluation). */
      elapsed: number;
    }
  | ({ type: 'rouge' } & LiveRougePoint)
  | { type: 'log'; level: 'info' | 'warning'; message: string }
  | { type: 'stopped'; step: number; checkpoint: string | null; reason: string }
  | { type: 'finished'; step: number; adapterDir: string; trainLoss: number; bestEvalLoss: number | null; elapsed: number; gpuMemoryPeak: number }
  | { type: 'error'; category: ErrorCategory; message: string; hint: string };

/** ACI-BENCH ROUGE (mean F1 over the notes, 0..1) of one evaluation's live-ROUGE notes. */
export interface LiveRougePoint {
  step: number;
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
  /** Notes scored, and how many of them were empty or cut at the token limit. */
  notes: number;
  empty: number;
  cut: number;
  /** The notes file that was scored. */
  file: string;
}

/** Wire names (snake_case, as Python writes them) → our field names. */
const FIELDS: Record<string, string> = {
  run_id: 'runId', total_steps: 'totalSteps', memory_total: 'memoryTotal', trainable_params: 'trainableParams', total_params: 'totalParams',
  resumed_from_step: 'resumedFromStep', tokens_per_second: 'tokensPerSecond', gpu_memory: 'gpuMemory', gpu_memory_peak: 'gpuMemoryPeak',
  eval_loss: 'evalLoss', max_new_tokens: 'maxNewTokens', memory_free: 'memoryFree', adapter_dir: 'adapterDir', train_loss: 'trainLoss', best_eval_loss: 'bestEvalLoss',
};

function camel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camel);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [FIELDS[k] ?? k, camel(x)]));
  return v;
}

/** Types the trainer may send ('rouge' is the launcher's own, see above). */
const TYPES = new Set(['environment', 'started', 'step', 'eval', 'samples', 'checkpoint', 'log', 'stopped', 'finished', 'error']);

/**
 * Reads one stdout line. Lines that are not protocol messages (a library printing to stdout) come
 * back as log messages, so nothing the trainer says is lost.
 */
export function parseTrainerLine(line: string): TrainerMessage | undefined {
  const text = line.trim();
  if (!text) return undefined;
  if (!text.startsWith('{')) return { type: 'log', level: 'info', message: text };
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { type: 'log', level: 'info', message: text };
  }
  if (obj.medigen !== PROTOCOL_VERSION) {
    if (typeof obj.medigen === 'number') {
      return { type: 'error', category: 'config', message: `The trainer speaks protocol version ${obj.medigen}, this MediGen Lab reads version ${PROTOCOL_VERSION}.`, hint: 'Update MediGen Lab (or use the trainer.py shipped with it).' };
    }
    return { type: 'log', level: 'info', message: text };
  }
  if (typeof obj.type !== 'string' || !TYPES.has(obj.type)) return { type: 'log', level: 'warning', message: `Unknown trainer message: ${text}` };
  const { medigen: _v, ...rest } = obj;
  return camel(rest) as TrainerMessage;
}

export interface Point {
  step: number;
  value: number;
}

/** Everything the dashboard shows about one run, rebuilt from its messages. */
export interface RunState {
  status: 'starting' | 'running' | 'finished' | 'stopped' | 'failed';
  runId?: string;
  device?: string;
  totalSteps: number;
  step: number;
  trainLoss: Point[];
  evalLoss: Point[];
  learningRate: Point[];
  tokensPerSecond?: number;
  gpuMemory?: number;
  gpuMemoryPeak: number;
  elapsed: number;
  /** Seconds left, from the pace of the steps seen so far. */
  eta?: number;
  checkpoints: { step: number; path: string }[];
  /** Live ROUGE at step 0 (the base model) and at each evaluation, in the order scored. */
  liveRouge: LiveRougePoint[];
  /** Seconds the last live-ROUGE generation took, and its settings. */
  liveRougeCost?: { seconds: number; notes: number; maxNewTokens: number };
  adapterDir?: string;
  error?: { category: ErrorCategory; message: string; hint: string };
  logTail: string[];
  resumedFromStep: number;
}

export function initialRunState(): RunState {
  return { status: 'starting', totalSteps: 0, step: 0, trainLoss: [], evalLoss: [], learningRate: [], gpuMemoryPeak: 0, elapsed: 0, checkpoints: [], liveRouge: [], logTail: [], resumedFromStep: 0 };
}

const LOG_TAIL = 200;

/** Folds one message into the run state (pure: returns a new object). */
export function reduceRun(s: RunState, m: TrainerMessage): RunState {
  switch (m.type) {
    case 'environment':
      return s;
    case 'started':
      return { ...s, status: 'running', runId: m.runId, device: m.device, totalSteps: m.totalSteps, resumedFromStep: m.resumedFromStep, step: m.resumedFromStep };
    case 'step': {
      const doneThisSession = m.step - s.resumedFromStep;
      const eta = doneThisSession > 0 && s.totalSteps > 0 ? ((s.totalSteps - m.step) * m.elapsed) / doneThisSession : undefined;
      return {
        ...s,
        status: 'running',
        step: m.step,
        trainLoss: [...s.trainLoss, { step: m.step, value: m.loss }],
        learningRate: [...s.learningRate, { step: m.step, value: m.lr }],
        tokensPerSecond: m.tokensPerSecond,
        gpuMemory: m.gpuMemory,
        gpuMemoryPeak: Math.max(s.gpuMemoryPeak, m.gpuMemoryPeak),
        elapsed: m.elapsed,
        eta,
      };
    }
    case 'eval':
      return { ...s, evalLoss: [...s.evalLoss, { step: m.step, value: m.evalLoss }] };
    case 'samples':
      return { ...s, liveRougeCost: { seconds: m.elapsed, notes: m.count, maxNewTokens: m.maxNewTokens } };
    case 'rouge': {
      const { type: _t, ...point } = m;
      return { ...s, liveRouge: [...s.liveRouge, point] };
    }
    case 'checkpoint':
      return { ...s, checkpoints: [...s.checkpoints, { step: m.step, path: m.path }] };
    case 'log':
      return { ...s, logTail: [...s.logTail, `${m.level === 'warning' ? 'warning: ' : ''}${m.message}`].slice(-LOG_TAIL) };
    case 'stopped':
      return { ...s, status: 'stopped', step: m.step, eta: undefined };
    case 'finished':
      return { ...s, status: 'finished', step: m.step, adapterDir: m.adapterDir, elapsed: m.elapsed, gpuMemoryPeak: Math.max(s.gpuMemoryPeak, m.gpuMemoryPeak), eta: 0 };
    case 'error':
      return { ...s, status: 'failed', error: { category: m.category, message: m.message, hint: m.hint }, eta: undefined };
  }
}
