import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import {
  adviseFit,
  checkTrainingEnvironment,
  defaultTrainConfig,
  estimateMemory,
  explainTorchWithoutGpu,
  formatGiB,
  launchTrainer,
  loadTrainConfig,
  memorySettingsFor,
  resolveArchitecture,
  slurmScript,
  trainerScript,
  type TrainConfig,
} from '../../models/train/index';
import { compareRuns, describeCorpus, listRuns, pickTrainingPython, prepareRun, type PreparedRun } from '../../models/train/index';
import { describeMachine, prepareCourseSetting, runVerdict } from '../../models/train/index';
import { withSigint } from '../options';
import { EXIT, defineCommand, type Command } from '../command';
import { DEFAULT_VENV, trainEnvCommands } from './trainEnv';

function pickPython(explicit?: string): string {
  return pickTrainingPython(explicit, DEFAULT_VENV);
}

/** The interpreter a run was launched with (written next to its config), if recorded. */
function runPython(dir: string): string | undefined {
  const f = join(dir, 'environment.json');
  if (!existsSync(f)) return undefined;
  try {
    return (JSON.parse(readFileSync(f, 'utf8')) as { python?: string }).python;
  } catch {
    return undefined;
  }
}

function reportPrepared(out: NodeJS.WritableStream, cfg: TrainConfig, run: PreparedRun): void {
  out.write(`${describeCorpus(run.corpus)}\n`);
  out.write(`Run folder: ${run.paths.dir} (${run.counts.train} training and ${run.counts.valid} validation examples, in the same prompt form \`medigen generate\` uses)\n`);
  const over = run.reports.train?.overBudget.length ?? 0;
  if (over) out.write(`${over} of ${run.counts.train} training examples are longer than ${cfg.data.maxSeqLength} tokens and will be cut to fit: the dialogue's end goes first, and a note longer than half of that keeps only its start. Expected with the CPU course setting; otherwise raise data.maxSeqLength if memory allows.\n`);
}

function withCorpus(cfg: TrainConfig, corpus: string | undefined): TrainConfig {
  return corpus ? { ...cfg, data: { ...cfg.data, corpus: resolve(corpus) } } : cfg;
}

function estimateTable(cfg: TrainConfig, archRef: string): string {
  const arch = resolveArchitecture(archRef);
  const est = estimateMemory(arch, memorySettingsFor(cfg));
  const width = Math.max(...est.parts.map((p) => p.label.length));
  return [
    `Estimated GPU memory for ${arch.name} (batch ${cfg.training.batchSize}, ${cfg.data.maxSeqLength} tokens, LoRA r=${cfg.lora.r}):`,
    ...est.parts.map((p) => `  ${p.label.padEnd(width)}  ${formatGiB(p.bytes).padStart(10)}  ${p.note}`),
    `  ${'Total'.padEnd(width)}  ${formatGiB(est.total).padStart(10)}`,
  ].join('\n');
}

const init = defineCommand({
  path: ['train', 'init'],
  summary: 'Write a training config with the MediGen study\'s defaults, to edit and launch.',
  usage: '[--out FILE] [--corpus DIR]',
  options: { out: { type: 'string' }, corpus: { type: 'string' } },
  help: { out: 'Where to write it. Defaults to medigen-train.json.', corpus: 'ACI-BENCH folder to train on (written as "data.corpus"). Defaults to ACI_BENCH_DIR when set.' },
  async run(ctx) {
    const out = resolve(ctx.values.out ?? 'medigen-train.json');
    if (existsSync(out)) throw new MedigenError(`${out} already exists; it was not overwritten.`, 'Edit that file, or choose another name with --out.');
    const corpus = ctx.values.corpus ? resolve(ctx.values.corpus) : (process.env.ACI_BENCH_DIR ?? '');
    const cfg = defaultTrainConfig();
    writeFileSync(out, JSON.stringify({ ...cfg, data: { ...cfg.data, corpus } }, null, 2) + '\n');
    ctx.out.write(`Wrote ${out}.\n  "baseModel": set it to your downloaded model folder.\n  "data.corpus": ${corpus ? `${corpus} (the ACI-BENCH folder split names are read from)` : 'empty, so `medigen train` would use the 3-encounter sample: set it to your ACI-BENCH folder (or pass --corpus)'}.\nThen run: medigen train --config ${out}\n`);
    return EXIT.ok;
  },
});

const course = defineCommand({
  path: ['train', 'course'],
  summary: 'The CPU course setting: make the small course model (once) and write a config that fine-tunes it on the CPU in a few minutes.',
  usage: '[--out FILE] [--corpus DIR] [--python PY]',
  options: { out: { type: 'string' }, corpus: { type: 'string' }, python: { type: 'string' } },
  help: {
    out: 'Where to write the config. Defaults to medigen-course.json.',
    corpus: 'ACI-BENCH folder (written as "data.corpus"; the model\'s vocabulary is learned from its train split). Defaults to ACI_BENCH_DIR when set, else the sample.',
    python: `Interpreter of the training environment. Defaults to ${DEFAULT_VENV} when it exists, else python3.`,
  },
  details: 'For a machine without a GPU: plain LoRA in float32 on a small llama MediGen Lab creates (kept in the models folder). Launch the written config with `medigen train --config medigen-course.json`.',
  async run(ctx) {
    const out = resolve(ctx.values.out ?? 'medigen-course.json');
    if (existsSync(out)) throw new MedigenError(`${out} already exists; it was not overwritten.`, 'Launch it with `medigen train --config ' + out + '`, or choose another name with --out.');
    const corpus = ctx.values.corpus ? resolve(ctx.values.corpus) : (process.env.ACI_BENCH_DIR ?? '');
    const base = defaultTrainConfig();
    ctx.out.write('Making the CPU course model (once; about half a minute)…\n');
    const cfg = await prepareCourseSetting({ python: pickPython(ctx.values.python), base: { ...base, data: { ...base.data, ...(corpus ? { corpus } : {}) } } });
    writeFileSync(out, JSON.stringify(cfg, null, 2) + '\n');
    ctx.out.write(`Wrote ${out}: ${cfg.baseModel} on the CPU, LoRA r=${cfg.lora.r} in float32, ${cfg.training.epochs} epochs of batch ${cfg.training.batchSize}, sequences of ${cfg.data.maxSeqLength} tokens.\nThen run: medigen train --config ${out}${ctx.values.python ? ` --python ${ctx.values.python}` : ''}\n`);
    return EXIT.ok;
  },
});

const estimate = defineCommand({
  path: ['train', 'estimate'],
  summary: 'Estimate GPU memory for a fine-tune before launching it, and what to change if it will not fit.',
  usage: '--model <llama-3-8b|model folder> [--config FILE] [--free-gib N]',
  options: { model: { type: 'string' }, config: { type: 'string' }, 'free-gib': { type: 'string' } },
  help: {
    model: 'A known size (llama-3-8b, llama-2-7b, mistral-7b, llama-3.2-1b, llama-3.2-3b) or a model folder with config.json.',
    config: 'Training config to take the settings from. Defaults to the study\'s defaults.',
    'free-gib': 'GPU memory to compare with, in GiB. Defaults to the free memory of the first GPU, when one is visible.',
  },
  async run(ctx) {
    if (!ctx.values.model) throw new UsageError('Say which model to estimate with --model.', 'For example: medigen train estimate --model llama-3-8b');
    const cfg = ctx.values.config ? loadTrainConfig(ctx.values.config) : defaultTrainConfig();
    ctx.out.write(estimateTable(cfg, ctx.values.model) + '\n');
    let free = ctx.values['free-gib'] ? Number(ctx.values['free-gib']) * 1024 ** 3 : undefined;
    if (free === undefined) {
      const env = await checkTrainingEnvironment(pickPython());
      if (!('error' in env) && env.gpus[0]) free = env.gpus[0].memoryFree;
    }
    if (free === undefined || Number.isNaN(free)) {
      ctx.out.write('No GPU is visible here to compare with; pass --free-gib to compare with your GPU.\n');
      return EXIT.ok;
    }
    const advice = adviseFit(resolveArchitecture(ctx.values.model), memorySettingsFor(cfg), free);
    if (advice.fits) {
      ctx.out.write(`It fits in ${formatGiB(free)} of free GPU memory.\n`);
      return EXIT.ok;
    }
    ctx.out.write(`It will NOT fit in ${formatGiB(free)} of free GPU memory. To make it fit:\n${advice.suggestions.map((s) => `  ${s}`).join('\n')}\n`);
    return EXIT.failed;
  },
});

const prepare = defineCommand({
  path: ['train', 'prepare'],
  summary: 'Prepare a run folder (checked data, resolved config) without launching it: for a cluster, or to look first.',
  usage: '--config FILE [--corpus DIR]',
  options: { config: { type: 'string' }, corpus: { type: 'string' } },
  help: { config: 'Training config (see `medigen train init`).', corpus: 'ACI-BENCH folder the splits are read from (overrides "data.corpus").' },
  async run(ctx) {
    if (!ctx.values.config) throw new UsageError('Give the training config with --config.', 'Create one with `medigen train init`.');
    const cfg = withCorpus(loadTrainConfig(ctx.values.config), ctx.values.corpus);
    const prepared = await prepareRun(cfg);
    reportPrepared(ctx.out, cfg, prepared);
    const rel = relative(process.cwd(), prepared.paths.dir) || '.';
    ctx.out.write(`Not launched. Launch it here with: medigen train resume ${rel}\nor write a cluster script with: medigen train slurm --run ${rel}\n`);
    return EXIT.ok;
  },
});

const slurm = defineCommand({
  path: ['train', 'slurm'],
  summary: 'Write a SLURM batch script that runs a prepared run on a cluster node (paths relative to a root you choose).',
  usage: '--run DIR [--root DIR] [--gpus N] [--venv DIR] [--partition P] [--account A] [--time HH:MM:SS] [--out FILE]',
  options: { run: { type: 'string' }, root: { type: 'string' }, gpus: { type: 'string' }, venv: { type: 'string' }, partition: { type: 'string' }, account: { type: 'string' }, time: { type: 'string' }, out: { type: 'string' } },
  help: {
    run: 'A prepared run folder (`medigen train prepare`). The trainer is copied into it, so the folder is all the cluster needs besides the model and the environment.',
    root: 'The folder on the cluster the paths are relative to. Defaults to the folder you submit from ($SLURM_SUBMIT_DIR); MEDIGEN_ROOT overrides it at submission.',
    gpus: 'GPUs on the node. Defaults to 1.',
    venv: `Virtual environment on the cluster, relative to the root. Defaults to ${DEFAULT_VENV}.`,
    partition: 'SLURM partition.',
    account: 'SLURM account.',
    time: 'Time limit. Defaults to 24:00:00.',
    out: 'Where to write the script. Defaults to <run>/slurm.sh.',
  },
  async run(ctx) {
    if (!ctx.values.run) throw new UsageError('Say which prepared run to write a script for with --run.', 'Prepare one first: medigen train prepare --config medigen-train.json');
    const dir = resolve(ctx.values.run);
    const configFile = join(dir, 'config.json');
    if (!existsSync(configFile)) throw new MedigenError(`${ctx.values.run} is not a prepared run folder (it has no config.json).`, 'Prepare one with `medigen train prepare --config medigen-train.json`.');
    const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as TrainConfig;
    const gpus = Number(ctx.values.gpus ?? '1');
    if (!Number.isInteger(gpus) || gpus < 1) throw new UsageError(`--gpus must be a whole number of at least 1 (got ${ctx.values.gpus}).`);
    copyFileSync(trainerScript(), join(dir, 'trainer.py'));
    // Relative to where the command runs (the root's counterpart here); a run outside it keeps its folder name only.
    const runRel = relative(process.cwd(), dir);
    const runDir = runRel && !runRel.startsWith('..') && !isAbsolute(runRel) ? runRel : join('runs', cfg.name ?? 'run');
    const text = slurmScript(cfg, {
      jobName: cfg.name ?? 'medigen-train',
      runDir,
      trainerPath: join(runDir, 'trainer.py'),
      venv: ctx.values.venv ?? DEFAULT_VENV,
      gpus,
      ...(ctx.values.root ? { root: ctx.values.root } : {}),
      ...(ctx.values.partition ? { partition: ctx.values.partition } : {}),
      ...(ctx.values.account ? { account: ctx.values.account } : {}),
      ...(ctx.values.time ? { time: ctx.values.time } : {}),
    });
    const out = resolve(ctx.values.out ?? join(dir, 'slurm.sh'));
    writeFileSync(out, text, { mode: 0o755 });
    ctx.out.write(`Wrote ${out}. Copy ${runDir} to the same place under the cluster's root, then submit from the root: sbatch ${join(runDir, 'slurm.sh')}\n`);
    if (isAbsolute(cfg.baseModel) || existsSync(cfg.baseModel)) ctx.err.write(`Note: "baseModel" is ${cfg.baseModel}, a path on this machine; set it in ${join(runDir, 'config.json')} to where the model is on the cluster (or to its Hugging Face id).\n`);
    return EXIT.ok;
  },
});

const runs = defineCommand({
  path: ['train', 'runs'],
  summary: 'List training runs with their status and figures, or compare two side by side.',
  usage: '[--runs-dir DIR] [--compare NAME_A,NAME_B]',
  options: { 'runs-dir': { type: 'string' }, compare: { type: 'string' } },
  help: { 'runs-dir': 'Folder of runs. Defaults to ./runs.', compare: 'Two run names separated by a comma.' },
  async run(ctx) {
    const all = listRuns(resolve(ctx.values['runs-dir'] ?? 'runs'));
    if (ctx.values.compare) {
      const [na, nb] = ctx.values.compare.split(',');
      const a = all.find((r) => r.name === na);
      const b = all.find((r) => r.name === nb);
      if (!a || !b) throw new MedigenError(`Run ${!a ? na : nb} was not found.`, `Runs here: ${all.map((r) => r.name).join(', ') || 'none'}.`);
      const cmp = compareRuns(a, b);
      ctx.out.write(`Settings that differ (${a.name} | ${b.name}):\n${cmp.settings.map((s) => `  ${s.key}: ${JSON.stringify(s.a)} | ${JSON.stringify(s.b)}`).join('\n') || '  none'}\n`);
      ctx.out.write(`Figures:\n${cmp.figures.map((f) => `  ${f.key}: ${f.a?.toFixed(3) ?? '-'} | ${f.b?.toFixed(3) ?? '-'}`).join('\n')}\n`);
      return EXIT.ok;
    }
    if (!all.length) ctx.out.write('No runs yet. Start one with: medigen train --config medigen-train.json\n');
    for (const r of all) {
      const loss = r.state.trainLoss.at(-1)?.value;
      const rouge = r.state.liveRouge.at(-1);
      ctx.out.write(`${r.name}  ${r.state.status.padEnd(8)} step ${r.state.step}/${r.state.totalSteps || '?'}${loss !== undefined ? `  loss ${loss.toFixed(3)}` : ''}${rouge ? `  ROUGE-L ${(rouge.rougeL * 100).toFixed(2)}` : ''}${r.state.error ? `  ${r.state.error.message.split('\n')[0]}` : ''}\n`);
    }
    return EXIT.ok;
  },
});

const train = defineCommand({
  path: ['train'],
  summary: 'Fine-tune a model with (Q)LoRA on ACI-BENCH: prepare data, check memory, launch and follow the trainer.',
  usage: '--config FILE [--corpus DIR] [--python PY] [--gpus N] [--force]',
  options: { config: { type: 'string' }, corpus: { type: 'string' }, python: { type: 'string' }, gpus: { type: 'string' }, force: { type: 'boolean' } },
  help: {
    config: 'Training config (see `medigen train init`).',
    corpus: 'ACI-BENCH folder the splits are read from (overrides "data.corpus"). Defaults to data.corpus, else ACI_BENCH_DIR, else the 3-encounter sample (said when used).',
    python: `Interpreter of the training environment. Defaults to ${DEFAULT_VENV} when it exists, else python3.`,
    gpus: 'GPUs to train on (more than 1 uses accelerate launch). Defaults to 1.',
    force: 'Launch even when the memory estimate says it will not fit.',
  },
  details: 'Cancel with Ctrl+C: the trainer saves a checkpoint first. Resume a stopped run with `medigen train resume <run folder>`.',
  async run(ctx) {
    if (!ctx.values.config) throw new UsageError('Give the training config with --config.', 'Create one with `medigen train init`, edit it, then run `medigen train --config medigen-train.json`.');
    const cfg = withCorpus(loadTrainConfig(ctx.values.config), ctx.values.corpus);
    const python = pickPython(ctx.values.python);
    const env = await checkTrainingEnvironment(python);
    if ('error' in env) throw new MedigenError(env.error, 'Run `medigen train setup` to create the training environment.');
    const missing = ['torch', 'transformers', 'peft'].filter((p) => !env.packages[p]);
    if (missing.length) throw new MedigenError(`The training environment (${python}) lacks ${missing.join(', ')}.`, 'Run `medigen train setup` to install the pinned training packages.');
    const onCpu = cfg.device === 'cpu';
    if (!onCpu && (!env.cuda || !env.gpus.length)) throw new MedigenError(explainTorchWithoutGpu(env.nvidiaSmi, env.packages.torch) ?? 'No CUDA GPU is visible, and fine-tuning needs one.', 'Run on a machine with an NVIDIA GPU (check `nvidia-smi`), or use `medigen train slurm` for a cluster. To try the loop on a tiny model without a GPU, set "device": "cpu" in the config.');
    const verdict = runVerdict(cfg, describeMachine(env));
    if (!verdict.canRun) throw new MedigenError(`This run cannot start on this machine: ${verdict.reason}`, verdict.whatToDo ?? 'Change the config, then launch again.');
    if (verdict.reason) ctx.out.write(`Note: ${verdict.reason}\n`);
    if (onCpu) ctx.out.write('Training on the CPU ("device": "cpu"): plain LoRA in float32, fine for tiny models and smoke runs, far too slow for real ones.\n');
    else if (existsSync(join(cfg.baseModel, 'config.json'))) {
      ctx.out.write(estimateTable(cfg, cfg.baseModel) + '\n');
      const advice = adviseFit(resolveArchitecture(cfg.baseModel), memorySettingsFor(cfg), env.gpus[0]!.memoryFree);
      if (!advice.fits && !ctx.values.force) {
        throw new MedigenError(`This run will probably not fit in the ${formatGiB(advice.free)} free on ${env.gpus[0]!.name}.`, `Change the config:\n${advice.suggestions.map((s) => `    ${s}`).join('\n')}\n  or pass --force to try anyway.`);
      }
    }
    const prepared = await prepareRun(cfg);
    const { paths } = prepared;
    reportPrepared(ctx.out, cfg, prepared);
    writeFileSync(join(paths.dir, 'environment.json'), JSON.stringify({ python }, null, 2) + '\n');
    return follow(ctx.out, ctx.err, { python, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, gpus: Number(ctx.values.gpus ?? '1') });
  },
});

const resume = defineCommand({
  path: ['train', 'resume'],
  summary: 'Continue a stopped or crashed run from its last checkpoint (or start a prepared one).',
  usage: '<run folder> [--python PY] [--gpus N]',
  options: { python: { type: 'string' }, gpus: { type: 'string' } },
  help: { python: 'Interpreter of the training environment (remembered for the run). Defaults to the one the run was launched with.', gpus: 'GPUs to train on. Defaults to 1.' },
  async run(ctx) {
    const dir = ctx.positionals[0];
    if (!dir) throw new UsageError('Say which run to resume.', 'For example: medigen train resume runs/run-20261122-101500 (see `medigen train runs`).');
    const configFile = join(resolve(dir), 'config.json');
    if (!existsSync(configFile)) throw new MedigenError(`${dir} is not a run folder (it has no config.json).`, 'Pick a folder listed by `medigen train runs`.');
    // The interpreter: --python, else the one the run was launched with, else the default.
    const python = ctx.values.python ?? runPython(resolve(dir)) ?? pickPython();
    if (ctx.values.python) writeFileSync(join(resolve(dir), 'environment.json'), JSON.stringify({ python }, null, 2) + '\n');
    const env = await checkTrainingEnvironment(python);
    if ('error' in env) throw new MedigenError(env.error, 'Pass the training environment\'s interpreter with --python, or run `medigen train setup`.');
    const missing = ['torch', 'transformers', 'peft'].filter((p) => !env.packages[p]);
    if (missing.length) throw new MedigenError(`The training environment (${python}) lacks ${missing.join(', ')}; the run was not resumed.`, 'Pass the interpreter the run was trained with (--python), or run `medigen train setup`.');
    const fresh = !existsSync(join(resolve(dir), 'checkpoints'));
    return follow(ctx.out, ctx.err, { python, configFile, logFile: join(resolve(dir), 'trainer.log'), protocolFile: join(resolve(dir), 'protocol.jsonl'), resume: !fresh, gpus: Number(ctx.values.gpus ?? '1') });
  },
});

async function follow(out: NodeJS.WritableStream, err: NodeJS.WriteStream, o: Parameters<typeof launchTrainer>[0]): Promise<number> {
  const p = launchTrainer({
    ...o,
    onMessage: (m, s) => {
      if (m.type === 'started') out.write(`Training on ${m.device}: ${m.totalSteps} steps, ${(m.trainableParams / 1e6).toFixed(1)} M trainable parameters, quantization: ${m.quantization}.\n`);
      else if (m.type === 'step') err.write(`step ${m.step}/${s.totalSteps}  loss ${m.loss.toFixed(4)}  lr ${m.lr.toExponential(2)}  ${m.tokensPerSecond.toFixed(0)} tok/s${m.gpuMemoryPeak > 0 ? `  GPU ${formatGiB(m.gpuMemoryPeak)} peak` : ''}${s.eta !== undefined ? `  ~${Math.ceil(s.eta / 60)} min left` : ''}\n`);
      else if (m.type === 'eval') out.write(`validation loss at step ${m.step}: ${m.evalLoss.toFixed(4)}\n`);
      else if (m.type === 'rouge') out.write(`live ROUGE-1/2/L at step ${m.step}: ${[m.rouge1, m.rouge2, m.rougeL].map((v) => (v * 100).toFixed(2)).join(' / ')} (${m.notes} validation notes${m.cut ? `, ${m.cut} cut at the token limit` : ''}${m.empty ? `, ${m.empty} empty` : ''})\n`);
      else if (m.type === 'checkpoint') out.write(`checkpoint saved: ${m.path}\n`);
      else if (m.type === 'log') err.write(`${m.message}\n`);
    },
  });
  const final = await withSigint(err, 'Stopping: the trainer is saving a checkpoint...', (signal) => {
    signal.addEventListener('abort', () => p.cancel(), { once: true });
    return p.done;
  });
  if (final.status === 'finished') {
    if (!final.adapterDir || !existsSync(join(final.adapterDir, 'adapter_config.json'))) {
      throw new MedigenError(`The trainer said it finished, but no adapter was written${final.adapterDir ? ` (${final.adapterDir} has no adapter_config.json)` : ''}.`, `See the log: ${o.logFile}`);
    }
    out.write(`Finished. Adapter: ${final.adapterDir}\nNext: judge it against its base model: medigen train evaluate ${join(final.adapterDir, '..')} --model ${join(final.adapterDir, '..')}\n`);
    return EXIT.ok;
  }
  if (final.status === 'stopped') {
    out.write(`Stopped at step ${final.step}. Resume with: medigen train resume ${o.configFile.replace(/[/\\]config\.json$/, '')}\n`);
    return EXIT.ok;
  }
  throw new MedigenError(final.error?.message ?? 'Training failed.', final.error?.hint ?? `See the log: ${o.logFile}`);
}

export const trainCommands: Command[] = [train, init, course, prepare, estimate, ...trainEnvCommands, resume, runs, slurm];
