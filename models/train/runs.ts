/**
 * Run folders and history. Each run keeps everything about itself in `<runsDir>/<name>/`:
 *   config.json      the resolved settings the trainer read (with data file paths)
 *   data/            the instruction JSONL it trained and validated on
 *   protocol.jsonl   every message the trainer sent (replayed for history and comparison)
 *   trainer.log      the trainer's stderr
 *   checkpoints/     resumable checkpoints;  adapter/  the final PEFT adapter
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MedigenError, readUserJson } from '../../core/index';
import { buildManifest, sha256Text, writeManifest } from '../../core/index';
import { DEFAULT_SYSTEM_PROMPT, readTemplate, type LengthReport } from '../../datasets/index';
import { defaultTrainConfig, type TrainConfig } from './config';
import { chooseCorpus, trainingData, type CorpusChoice } from './data';
import { initialRunState, reduceRun, type RunState, type TrainerMessage } from './protocol';

export interface RunPaths {
  dir: string;
  config: string;
  protocol: string;
  log: string;
  trainData: string;
  validData: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: join(dir, 'config.json'),
    protocol: join(dir, 'protocol.jsonl'),
    log: join(dir, 'trainer.log'),
    trainData: join(dir, 'data', 'train.jsonl'),
    validData: join(dir, 'data', 'valid.jsonl'),
  };
}

function timestampName(d = new Date()): string {
  return `run-${d.toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-')}`;
}

/** What `prepareRun` made. */
export interface PreparedRun {
  paths: RunPaths;
  /** Token-length reports of the examples built from a split (absent for a JSONL given as is). */
  reports: { train?: LengthReport; valid?: LengthReport };
  /** The corpus split names were read from. */
  corpus: CorpusChoice;
  /** How many examples each side has. */
  counts: { train: number; valid: number };
}

/**
 * Creates a run folder: checks the data and writes the train and valid examples in chat form
 * (system prompt, instruction with the dialogue, note: the messages `medigen generate` sends) and
 * the resolved config the trainer reads. Nothing is written when the data is refused.
 */
export async function prepareRun(cfg: TrainConfig, baseDir = process.cwd()): Promise<PreparedRun> {
  const name = cfg.name ?? timestampName();
  const dir = resolve(baseDir, cfg.runsDir, name);
  if (existsSync(join(dir, 'config.json'))) {
    throw new MedigenError(`A run named "${name}" already exists in ${dir}.`, 'Give the run another name, or resume that run instead of starting it again.');
  }
  const corpus = chooseCorpus(cfg.data.corpus);
  const template = cfg.data.template ? readTemplate(cfg.data.template) : undefined;
  const systemPrompt = cfg.data.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
  const options = { maxTokens: cfg.data.maxSeqLength, systemPrompt, ...(template ? { template } : {}) };
  const train = trainingData(cfg.data.train, corpus.dir, options);
  const valid = trainingData(cfg.data.valid, corpus.dir, options);
  const paths = runPaths(dir);
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(paths.trainData, train.lines.join('\n') + '\n');
  await writeFile(paths.validData, valid.lines.join('\n') + '\n');
  // Paths the trainer reads are relative to the run folder, so the folder can be copied to a cluster.
  const resolved = { ...cfg, name, run_dir: '.', data: { ...cfg.data, corpus: corpus.dir, systemPrompt, train_file: 'data/train.jsonl', valid_file: 'data/valid.jsonl', train_source: train.file, valid_source: valid.file } };
  await writeFile(paths.config, JSON.stringify(resolved, null, 2));
  // What the run is made from: every setting and seed, hashes of its data, template and base model.
  const manifest = await buildManifest('training-run', resolved, { trainData: paths.trainData, validData: paths.validData, trainSource: train.file, validSource: valid.file, template: cfg.data.template, baseModel: existsSync(cfg.baseModel) ? cfg.baseModel : undefined });
  writeManifest(join(dir, 'manifest.json'), { ...manifest, settings: { ...resolved, systemPromptSha256: sha256Text(systemPrompt) } });
  return { paths, reports: { ...(train.report ? { train: train.report } : {}), ...(valid.report ? { valid: valid.report } : {}) }, corpus, counts: { train: train.lines.length, valid: valid.lines.length } };
}

/**
 * A run's config.json as the settings of a new run: the keys `prepareRun` adds for the trainer
 * (run_dir, the run's own name, the data files it wrote and where they came from) are removed.
 */
/** What a run folder's config.json says (the trainer's resolved config, written at the start). */
export interface RunConfigFile {
  baseModel?: unknown;
  data?: { maxSeqLength?: unknown; systemPrompt?: unknown; template?: unknown };
}

/**
 * Reads a run folder's config.json: the one reader for every use (the run's base model, its
 * prompt settings). A missing or damaged file is an error that names it and says what to do.
 */
export function readRunConfig(runDir: string): RunConfigFile {
  const file = join(resolve(runDir), 'config.json');
  const hint = `Restore ${file} (the trainer writes it when the run starts), or give the base model with --model and the adapter folder (${join(resolve(runDir), 'adapter')}) with --lora.`;
  const cfg = readUserJson<RunConfigFile | null>(file, 'run config', hint);
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new MedigenError(`The run config ${file} is not a JSON object.`, hint);
  return cfg;
}

/** The base model a run was trained from (its config's baseModel). */
export function runBaseModel(runDir: string): string {
  const base = readRunConfig(runDir).baseModel;
  if (typeof base !== 'string' || !base) throw new MedigenError(`The run config ${join(resolve(runDir), 'config.json')} names no base model (baseModel).`, 'Give the base model with --model.');
  return base;
}

export function reusableConfig(raw: TrainConfig & { run_dir?: string; data: Record<string, unknown> }): TrainConfig {
  const { run_dir: _dir, name: _name, ...rest } = raw;
  const { train_file: _tf, valid_file: _vf, train_source: _ts, valid_source: _vs, ...data } = raw.data;
  const base = defaultTrainConfig();
  return { ...base, ...rest, data: { ...base.data, ...(data as Partial<TrainConfig['data']>) } };
}

/** Rebuilds a run's state from its protocol.jsonl. */
export function replayRun(dir: string): RunState {
  const file = runPaths(dir).protocol;
  let state = initialRunState();
  if (!existsSync(file)) return state;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      state = reduceRun(state, JSON.parse(line) as TrainerMessage);
    } catch {
      /* a half-written last line of a killed run: ignore it */
    }
  }
  // A run whose trainer died without a last word is shown as interrupted, not running forever.
  if (state.status === 'running' || state.status === 'starting') state = { ...state, status: 'stopped' };
  return state;
}

export interface RunSummary {
  name: string;
  dir: string;
  created: Date;
  config: TrainConfig & { run_dir?: string };
  state: RunState;
}

/** All runs in a runs folder, newest first. */
export function listRuns(runsDir: string): RunSummary[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(runsDir, d.name, 'config.json')))
    .map((d) => {
      const dir = join(runsDir, d.name);
      const file = join(dir, 'config.json');
      const config = readUserJson<TrainConfig>(file, 'run config', `That run folder is damaged (its config was probably cut off while being written). Move ${dir} out of ${runsDir} (or delete it), then list the runs again.`);
      if (!config || typeof config !== 'object') throw new MedigenError(`The run config ${file} holds ${JSON.stringify(config)}, not a training config.`, `Move ${dir} out of ${runsDir} (or delete it), then list the runs again.`);
      return { name: d.name, dir, created: statSync(file).mtime, config, state: replayRun(dir) };
    })
    .sort((a, b) => b.created.getTime() - a.created.getTime());
}

const ROUGE_NAMES = { rouge1: 'ROUGE-1', rouge2: 'ROUGE-2', rougeL: 'ROUGE-L' } as const;
const scaled = (v: number | undefined) => (v === undefined ? undefined : v * 100);
const bestRouge = (s: RunState, k: keyof typeof ROUGE_NAMES) => (s.liveRouge.length ? Math.max(...s.liveRouge.map((p) => p[k])) : undefined);

/** Two runs side by side: the settings that differ and their final figures. */
export function compareRuns(a: RunSummary, b: RunSummary): { settings: { key: string; a: unknown; b: unknown }[]; figures: { key: string; a: number | undefined; b: number | undefined }[] } {
  const flat = (o: unknown, prefix = ''): Record<string, unknown> =>
    Object.entries((o ?? {}) as Record<string, unknown>).reduce<Record<string, unknown>>((acc, [k, v]) => {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(acc, flat(v, key));
      else acc[key] = v;
      return acc;
    }, {});
  const fa = flat(a.config);
  const fb = flat(b.config);
  const skip = new Set(['name', 'run_dir', 'data.train_file', 'data.valid_file', 'data.train_source', 'data.valid_source']);
  const settings = [...new Set([...Object.keys(fa), ...Object.keys(fb)])]
    .filter((k) => !skip.has(k) && JSON.stringify(fa[k]) !== JSON.stringify(fb[k]))
    .map((key) => ({ key, a: fa[key], b: fb[key] }));
  const last = (p: { value: number }[]) => p.at(-1)?.value;
  const best = (p: { value: number }[]) => (p.length ? Math.min(...p.map((x) => x.value)) : undefined);
  const figures = [
    { key: 'steps', a: a.state.step, b: b.state.step },
    { key: 'final train loss', a: last(a.state.trainLoss), b: last(b.state.trainLoss) },
    { key: 'best validation loss', a: best(a.state.evalLoss), b: best(b.state.evalLoss) },
    // Live ROUGE (×100): the last evaluation's and the best, on each run's fixed validation sample.
    ...(['rouge1', 'rouge2', 'rougeL'] as const).flatMap((k) => [
      { key: `live ${ROUGE_NAMES[k]} ×100 (last evaluation)`, a: scaled(a.state.liveRouge.at(-1)?.[k]), b: scaled(b.state.liveRouge.at(-1)?.[k]) },
      { key: `live ${ROUGE_NAMES[k]} ×100 (best)`, a: scaled(bestRouge(a.state, k)), b: scaled(bestRouge(b.state, k)) },
    ]),
    { key: 'peak GPU memory (GiB)', a: a.state.gpuMemoryPeak / 1024 ** 3, b: b.state.gpuMemoryPeak / 1024 ** 3 },
    { key: 'minutes', a: a.state.elapsed / 60, b: b.state.elapsed / 60 },
  ];
  return { settings, figures };
}
