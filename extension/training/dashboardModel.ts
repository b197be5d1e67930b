/**
 * What the run dashboard shows, computed from a run's state (models/train/protocol.ts RunState):
 * status, figures, the loss, live-ROUGE and learning-rate charts (inline SVG), the log tail, an error with
 * its category and what to do, which buttons apply, and the base-vs-fine-tuned scores once the
 * adapter has been evaluated. Pure functions, unit-tested without VS Code.
 */
import type { ErrorCategory, EvaluationSummary, RunState } from '../../models/train/index';

export type { EvaluationSummary };
import { escapeXml, lineChartSvg } from './chart';

/** A labelled figure in the dashboard's header. */
export interface Figure {
  label: string;
  value: string;
}

/** Everything the dashboard webview draws. */
export interface DashboardView {
  runName: string;
  runDir: string;
  status: RunState['status'];
  /** The status in words, e.g. "Running: step 12 of 300". */
  statusText: string;
  step: number;
  totalSteps: number;
  /** 0..100, for the progress bar. */
  percent: number;
  figures: Figure[];
  lossChart: string;
  /** Live ROUGE-1/2/L (×100) of the fixed validation sample by step (models/train/liveRouge.ts). */
  rougeChart: string;
  /** What the last live-ROUGE point rests on (notes cut at the token limit, empty notes), when worth saying. */
  rougeNote?: string;
  lrChart: string;
  logTail: string[];
  error?: { category: ErrorCategory; title: string; message: string; hint: string; advice: string[] };
  canCancel: boolean;
  canResume: boolean;
  canEvaluate: boolean;
  adapterDir?: string;
  evaluation?: { title: string; rows: { group: string; metric: string; base: string; finetuned: string; delta: string; better: boolean; worse: boolean }[] };
}

/** Error categories in words, for the dashboard's error box. */
export const ERROR_TITLES: Record<ErrorCategory, string> = {
  out_of_memory: 'Out of GPU memory',
  missing_dependency: 'A Python package is missing',
  config: 'A setting is wrong',
  data: 'A problem with the training data',
  model: 'The base model could not be loaded',
  no_gpu: 'No GPU found',
  crashed: 'The trainer stopped unexpectedly',
  unknown: 'Training failed',
};

/** Extra advice per category, added to the trainer's own hint. */
export function errorAdvice(category: ErrorCategory): string[] {
  switch (category) {
    case 'out_of_memory':
      return [
        'Start a new run from this one ("New Run from This Config") and change, most effective first:',
        'turn on gradient checkpointing; keep "Load the base model in 4-bit" on;',
        'use batch size 1 and raise gradient accumulation (same effective batch);',
        'lower the max sequence length (e.g. 2048 or 1024); or pick a smaller base model.',
        'The memory estimate in the run form shows what each change saves.',
      ];
    case 'missing_dependency':
      return ['Run "MediGen Lab: Set Up Training Environment", then resume or relaunch the run.'];
    case 'no_gpu':
      return ['Fine-tuning a real model needs an NVIDIA GPU (check with nvidia-smi). To try the loop on a tiny model, set Device to cpu.'];
    case 'crashed':
      return ['Open the log to see the last lines the trainer wrote.'];
    default:
      return [];
  }
}

/** A duration in words: "12 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Bytes as GiB with one decimal; "–" when unknown, "0 (CPU)" when zero. */
export function formatGpuMemory(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '–';
  if (bytes === 0) return '0 (CPU)';
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function statusText(s: RunState): string {
  const of = s.totalSteps ? ` of ${s.totalSteps}` : '';
  switch (s.status) {
    case 'starting':
      return 'Starting: preparing the model and data…';
    case 'running':
      return `Running: step ${s.step}${of}`;
    case 'finished':
      return `Finished after ${s.step} steps. The adapter is ready to evaluate.`;
    case 'stopped':
      return `Stopped at step ${s.step}${of}.${s.checkpoints.length ? ` Resume continues from the checkpoint at step ${s.checkpoints.at(-1)!.step}.` : ' No checkpoint was saved, so a resume starts over.'}`;
    case 'failed':
      return `Failed at step ${s.step}${of}: ${ERROR_TITLES[s.error?.category ?? 'unknown'].toLowerCase()}.`;
  }
}

/** The live-ROUGE curves (F1 ×100), one series per metric. */
export function rougeSeries(s: RunState): { name: string; points: { step: number; value: number }[]; className: string }[] {
  const series = (k: 'rouge1' | 'rouge2' | 'rougeL', name: string) => ({ name, className: `series-${k}`, points: s.liveRouge.map((p) => ({ step: p.step, value: p[k] * 100 })) });
  return [series('rouge1', 'ROUGE-1'), series('rouge2', 'ROUGE-2'), series('rougeL', 'ROUGE-L')];
}

function rougeFigures(s: RunState): Figure[] {
  const last = s.liveRouge.at(-1);
  if (!last) return [];
  const out: Figure[] = [{ label: `Live ROUGE-1 / 2 / L (step ${last.step})`, value: `${pct(last.rouge1)} / ${pct(last.rouge2)} / ${pct(last.rougeL)}` }];
  if (s.liveRougeCost) out.push({ label: 'Live ROUGE cost', value: `${s.liveRougeCost.notes} notes of ≤ ${s.liveRougeCost.maxNewTokens} tokens: ${formatDuration(s.liveRougeCost.seconds)} an evaluation` });
  return out;
}

function rougeNote(s: RunState): string | undefined {
  const last = s.liveRouge.at(-1);
  if (!last) return undefined;
  const parts: string[] = [];
  if (last.empty) parts.push(`${last.empty} of ${last.notes} notes were empty`);
  const limit = s.liveRougeCost ? `${s.liveRougeCost.maxNewTokens}-token` : 'token';
  if (last.cut) parts.push(`${last.cut} of ${last.notes} notes stopped at the ${limit} limit`);
  const base = `Scored with ACI-BENCH's ROUGE on the first ${last.notes} validation encounters (the same ones at every step); step 0 is the model before training.`;
  return parts.length ? `${base} At step ${last.step}, ${parts.join(' and ')}: cut notes score low against full-length references, so read the trend, not the level (raise training.liveRougeMaxTokens to see whole notes).` : base;
}

function pct(v: number): string {
  return (v * 100).toFixed(2);
}

/** Builds the dashboard for a run from its state (and its evaluation, when there is one). */
export function dashboardView(run: { name: string; dir: string }, s: RunState, opts: { active: boolean; evaluation?: EvaluationSummary } = { active: false }): DashboardView {
  const lastLoss = s.trainLoss.at(-1)?.value;
  const bestEval = s.evalLoss.length ? Math.min(...s.evalLoss.map((p) => p.value)) : undefined;
  const lr = s.learningRate.at(-1)?.value;
  const figures: Figure[] = [
    { label: 'Step', value: `${s.step}${s.totalSteps ? ` / ${s.totalSteps}` : ''}` },
    { label: 'Training loss', value: lastLoss !== undefined ? lastLoss.toFixed(4) : '–' },
    { label: 'Best validation loss', value: bestEval !== undefined ? bestEval.toFixed(4) : '–' },
    { label: 'Learning rate', value: lr !== undefined ? lr.toExponential(2) : '–' },
    { label: 'Tokens / s', value: s.tokensPerSecond !== undefined ? s.tokensPerSecond.toFixed(0) : '–' },
    { label: 'GPU memory (peak)', value: !s.gpuMemory && !s.gpuMemoryPeak ? formatGpuMemory(s.gpuMemory) : `${formatGpuMemory(s.gpuMemory)} (${formatGpuMemory(s.gpuMemoryPeak)})` },
    { label: 'Elapsed', value: formatDuration(s.elapsed) },
    { label: 'Time left', value: s.status === 'running' ? formatDuration(s.eta) : s.status === 'finished' ? 'done' : '–' },
  ];
  if (s.device) figures.push({ label: 'Device', value: s.device });
  figures.push(...rougeFigures(s));
  const view: DashboardView = {
    runName: run.name,
    runDir: run.dir,
    status: s.status,
    statusText: statusText(s),
    step: s.step,
    totalSteps: s.totalSteps,
    percent: s.totalSteps > 0 ? Math.min(100, Math.round((s.step / s.totalSteps) * 100)) : 0,
    figures,
    lossChart: lineChartSvg(
      [
        { name: 'training loss', points: s.trainLoss, className: 'series-train' },
        { name: 'validation loss', points: s.evalLoss, className: 'series-eval' },
      ],
      { title: 'Training and validation loss by step', emptyText: 'The loss appears here after the first steps.' },
    ),
    rougeChart: lineChartSvg(rougeSeries(s), {
      title: 'Live ROUGE-1, ROUGE-2 and ROUGE-L (F1 ×100) of the validation sample by step',
      emptyText: 'ROUGE of notes written during training appears here after the first evaluation (off when training.liveRougeSamples is 0).',
    }),
    lrChart: lineChartSvg([{ name: 'learning rate', points: s.learningRate, className: 'series-lr' }], { title: 'Learning rate by step', height: 160, formatY: (v) => (v === 0 ? '0' : Number(v.toPrecision(3)).toExponential()) }),
    logTail: s.logTail.slice(-50),
    canCancel: opts.active && (s.status === 'running' || s.status === 'starting'),
    canResume: !opts.active && (s.status === 'stopped' || s.status === 'failed'),
    canEvaluate: !opts.active && s.status === 'finished' && !!s.adapterDir,
  };
  if (s.adapterDir) view.adapterDir = s.adapterDir;
  const note = rougeNote(s);
  if (note) view.rougeNote = note;
  if (s.error) view.error = { category: s.error.category, title: ERROR_TITLES[s.error.category] ?? ERROR_TITLES.unknown, message: s.error.message, hint: s.error.hint, advice: errorAdvice(s.error.category) };
  if (opts.evaluation) {
    const e = opts.evaluation;
    view.evaluation = {
      title: `ROUGE F1 (×100) on ${e.encounters} notes of "${e.split}": base model vs fine-tuned`,
      rows: e.rows.map((r) => ({ group: r.group, metric: r.metric, base: pct(r.base), finetuned: pct(r.finetuned), delta: `${r.finetuned >= r.base ? '+' : ''}${pct(r.finetuned - r.base)}`, better: r.finetuned > r.base, worse: r.finetuned < r.base })),
    };
  }
  return view;
}

/** The comparison of two runs (models/train/runs.ts compareRuns) as an HTML table body. */
export function compareTableHtml(a: string, b: string, cmp: { settings: { key: string; a: unknown; b: unknown }[]; figures: { key: string; a: number | undefined; b: number | undefined }[] }): string {
  const show = (v: unknown) => escapeXml(v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(3));
  const head = `<tr><th scope="col"></th><th scope="col">${escapeXml(a)}</th><th scope="col">${escapeXml(b)}</th></tr>`;
  const figures = cmp.figures.map((f) => `<tr><th scope="row">${escapeXml(f.key)}</th><td>${num(f.a)}</td><td>${num(f.b)}</td></tr>`).join('');
  const settings = cmp.settings.length
    ? cmp.settings.map((s) => `<tr><th scope="row"><code>${escapeXml(s.key)}</code></th><td>${show(s.a)}</td><td>${show(s.b)}</td></tr>`).join('')
    : '<tr><td colspan="3">Both runs used the same settings.</td></tr>';
  return `<h2>Results</h2><table class="compare">${head}${figures}</table><h2>Settings that differ</h2><table class="compare">${head}${settings}</table>`;
}
