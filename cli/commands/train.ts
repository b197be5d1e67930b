import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import { streamProgress } from '../../core/index';
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
import { setupTrainingEnvironment, venvPython } from '../../models/train/index';
import { compareRuns, listRuns, prepareRun } from '../../models/train/index';
import { withSigint } from '../options';
import { EXIT, defineCommand, type Command } from '../command';

/** Where `medigen train setup` puts the environment unless told otherwise. */
const DEFAULT_VENV = '.medigen/train-venv';

function pickPython(explicit?: string): string {
  if (explicit) return explicit;
  const venv = venvPython(resolve(DEFAULT_VENV));
  return existsSync(venv) ? venv : 'python3';
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
  usage: '[--out FILE]',
  options: { out: { type: 'string' } },
  help: { out: 'Where to write it. Defaults to medigen-train.json.' },
  async run(ctx) {
    const out = resolve(ctx.values.out ?? 'medigen-train.json');
    if (existsSync(out)) throw new MedigenError(`${out} already exists; it was not overwritten.`, 'Edit that file, or choose another name with --out.');
    writeFileSync(out, JSON.stringify(defaultTrainConfig(), null, 2) + '\n');
    ctx.out.write(`Wrote ${out}. Set "baseModel" to your downloaded model folder, then run: medigen train --config ${out}\n`);
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

const setup = defineCommand({
  path: ['train', 'setup'],
  summary: 'Create the Python environment for training and install its pinned packages.',
  usage: '[--venv DIR] [--python PY] [--index-url URL]',
  options: { venv: { type: 'string' }, python: { type: 'string' }, 'index-url': { type: 'string' } },
  help: { venv: `Virtual environment folder. Defaults to ${DEFAULT_VENV}.`, python: 'Python used to create it. Defaults to python3.', 'index-url': 'A package index mirror to install from.' },
  async run(ctx) {
    const progress = streamProgress(ctx.err, 'Training environment');
    const venv = resolve(ctx.values.venv ?? DEFAULT_VENV);
    try {
      const { python } = await setupTrainingEnvironment({ venv, progress, ...(ctx.values.python ? { python: ctx.values.python } : {}), ...(ctx.values['index-url'] ? { pipArgs: ['--index-url', ctx.values['index-url']] } : {}) });
      ctx.out.write(`Training environment ready: ${python}\n`);
    } finally {
      progress.end();
    }
    return EXIT.ok;
  },
});

const env = defineCommand({
  path: ['train', 'env'],
  summary: 'Show what the training environment has: Python packages, CUDA, GPUs and free memory.',
  usage: '[--python PY] [--json]',
  options: { python: { type: 'string' }, json: { type: 'boolean' } },
  help: { python: `Interpreter to ask. Defaults to ${DEFAULT_VENV} when it exists, else python3.`, json: 'Print JSON.' },
  async run(ctx) {
    const python = pickPython(ctx.values.python);
    const report = await checkTrainingEnvironment(python);
    if ('error' in report) throw new MedigenError(report.error, 'Install Python 3, or run `medigen train setup` to create the training environment.');
    if (ctx.values.json) {
      ctx.out.write(JSON.stringify(report, null, 2) + '\n');
    } else {
      ctx.out.write(`Python ${report.python} (${python})\n`);
      for (const [name, v] of Object.entries(report.packages)) ctx.out.write(`  ${name.padEnd(14)} ${v ?? 'MISSING'}\n`);
      ctx.out.write(report.gpus.length ? report.gpus.map((g, i) => `GPU ${i}: ${g.name}, ${formatGiB(g.memoryFree)} free of ${formatGiB(g.memoryTotal)}\n`).join('') : 'No CUDA GPU is visible to PyTorch.\n');
      const smi = report.nvidiaSmi;
      if (smi) ctx.out.write('error' in smi ? `${smi.error}\n` : smi.gpus.map((g) => `nvidia-smi: GPU ${g.index}: ${g.name}, ${formatGiB(g.memoryFree)} free of ${formatGiB(g.memoryTotal)}, driver ${g.driver}\n`).join(''));
    }
    if (!report.cuda) {
      const why = explainTorchWithoutGpu(report.nvidiaSmi, report.packages.torch);
      if (why) ctx.err.write(`${why}\n`);
    }
    const missing = Object.entries(report.packages).filter(([n, v]) => v === null && n !== 'bitsandbytes').map(([n]) => n);
    if (missing.length) ctx.err.write(`Missing: ${missing.join(', ')}. Run \`medigen train setup\` to install them.\n`);
    return missing.length || !report.cuda ? EXIT.failed : EXIT.ok;
  },
});

const slurm = defineCommand({
  path: ['train', 'slurm'],
  summary: 'Write a SLURM batch script that runs the same training on a cluster node.',
  usage: '--config FILE --run-dir DIR [--gpus N] [--venv DIR] [--partition P] [--account A] [--time HH:MM:SS] [--out FILE]',
  options: { config: { type: 'string' }, 'run-dir': { type: 'string' }, gpus: { type: 'string' }, venv: { type: 'string' }, partition: { type: 'string' }, account: { type: 'string' }, time: { type: 'string' }, out: { type: 'string' } },
  help: {
    config: 'Training config.',
    'run-dir': 'Run folder on the cluster (shared filesystem); copy the run\'s config.json there.',
    gpus: 'GPUs on the node. Defaults to 1.',
    venv: 'Virtual environment on the cluster. Defaults to <run dir>/../venv.',
    partition: 'SLURM partition.',
    account: 'SLURM account.',
    time: 'Time limit. Defaults to 24:00:00.',
    out: 'Write the script here instead of printing it.',
  },
  async run(ctx) {
    if (!ctx.values.config || !ctx.values['run-dir']) throw new UsageError('--config and --run-dir are both needed.');
    const cfg = loadTrainConfig(ctx.values.config);
    const gpus = Number(ctx.values.gpus ?? '1');
    if (!Number.isInteger(gpus) || gpus < 1) throw new UsageError(`--gpus must be a whole number of at least 1 (got ${ctx.values.gpus}).`);
    const runDir = ctx.values['run-dir'];
    const text = slurmScript(cfg, {
      jobName: cfg.name ?? 'medigen-train',
      runDir,
      trainerPath: trainerScript(),
      venv: ctx.values.venv ?? join(runDir, '..', 'venv'),
      gpus,
      ...(ctx.values.partition ? { partition: ctx.values.partition } : {}),
      ...(ctx.values.account ? { account: ctx.values.account } : {}),
      ...(ctx.values.time ? { time: ctx.values.time } : {}),
    });
    if (ctx.values.out) {
      writeFileSync(ctx.values.out, text, { mode: 0o755 });
      ctx.out.write(`Wrote ${ctx.values.out}. Submit it on the cluster with: sbatch ${ctx.values.out}\n`);
    } else ctx.out.write(text);
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
      ctx.out.write(`${r.name}  ${r.state.status.padEnd(8)} step ${r.state.step}/${r.state.totalSteps || '?'}${loss !== undefined ? `  loss ${loss.toFixed(3)}` : ''}${r.state.error ? `  ${r.state.error.message.split('\n')[0]}` : ''}\n`);
    }
    return EXIT.ok;
  },
});

const train = defineCommand({
  path: ['train'],
  summary: 'Fine-tune a model with (Q)LoRA on ACI-BENCH: prepare data, check memory, launch and follow the trainer.',
  usage: '--config FILE [--python PY] [--gpus N] [--force]',
  options: { config: { type: 'string' }, python: { type: 'string' }, gpus: { type: 'string' }, force: { type: 'boolean' } },
  help: {
    config: 'Training config (see `medigen train init`).',
    python: `Interpreter of the training environment. Defaults to ${DEFAULT_VENV} when it exists, else python3.`,
    gpus: 'GPUs to train on (more than 1 uses accelerate launch). Defaults to 1.',
    force: 'Launch even when the memory estimate says it will not fit.',
  },
  details: 'Cancel with Ctrl+C: the trainer saves a checkpoint first. Resume a stopped run with `medigen train resume <run folder>`.',
  async run(ctx) {
    if (!ctx.values.config) throw new UsageError('Give the training config with --config.', 'Create one with `medigen train init`, edit it, then run `medigen train --config medigen-train.json`.');
    const cfg = loadTrainConfig(ctx.values.config);
    const python = pickPython(ctx.values.python);
    const env = await checkTrainingEnvironment(python);
    if ('error' in env) throw new MedigenError(env.error, 'Run `medigen train setup` to create the training environment.');
    const missing = ['torch', 'transformers', 'peft'].filter((p) => !env.packages[p]);
    if (missing.length) throw new MedigenError(`The training environment (${python}) lacks ${missing.join(', ')}.`, 'Run `medigen train setup` to install the pinned training packages.');
    const onCpu = cfg.device === 'cpu';
    if (!onCpu && (!env.cuda || !env.gpus.length)) throw new MedigenError(explainTorchWithoutGpu(env.nvidiaSmi, env.packages.torch) ?? 'No CUDA GPU is visible, and fine-tuning needs one.', 'Run on a machine with an NVIDIA GPU (check `nvidia-smi`), or use `medigen train slurm` for a cluster. To try the loop on a tiny model without a GPU, set "device": "cpu" in the config.');
    if (onCpu) ctx.out.write('Training on the CPU ("device": "cpu"): plain LoRA in float32, fine for tiny models and smoke runs, far too slow for real ones.\n');
    else if (existsSync(join(cfg.baseModel, 'config.json'))) {
      ctx.out.write(estimateTable(cfg, cfg.baseModel) + '\n');
      const advice = adviseFit(resolveArchitecture(cfg.baseModel), memorySettingsFor(cfg), env.gpus[0]!.memoryFree);
      if (!advice.fits && !ctx.values.force) {
        throw new MedigenError(`This run will probably not fit in the ${formatGiB(advice.free)} free on ${env.gpus[0]!.name}.`, `Change the config:\n${advice.suggestions.map((s) => `    ${s}`).join('\n')}\n  or pass --force to try anyway.`);
      }
    }
    const { paths, reports } = await prepareRun(cfg);
    ctx.out.write(`Run folder: ${paths.dir}\n`);
    if (reports.train.overBudget.length) ctx.out.write(`${reports.train.overBudget.length} of ${reports.train.examples.length} training examples are longer than ${cfg.data.maxSeqLength} tokens and will be truncated.\n`);
    return follow(ctx.out, ctx.err, { python, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, gpus: Number(ctx.values.gpus ?? '1') });
  },
});

const resume = defineCommand({
  path: ['train', 'resume'],
  summary: 'Continue a stopped or crashed run from its last checkpoint.',
  usage: '<run folder> [--python PY] [--gpus N]',
  options: { python: { type: 'string' }, gpus: { type: 'string' } },
  help: { python: 'Interpreter of the training environment.', gpus: 'GPUs to train on. Defaults to 1.' },
  async run(ctx) {
    const dir = ctx.positionals[0];
    if (!dir) throw new UsageError('Say which run to resume.', 'For example: medigen train resume runs/run-20261122-101500 (see `medigen train runs`).');
    const configFile = join(resolve(dir), 'config.json');
    if (!existsSync(configFile)) throw new MedigenError(`${dir} is not a run folder (it has no config.json).`, 'Pick a folder listed by `medigen train runs`.');
    return follow(ctx.out, ctx.err, { python: pickPython(ctx.values.python), configFile, logFile: join(resolve(dir), 'trainer.log'), protocolFile: join(resolve(dir), 'protocol.jsonl'), resume: true, gpus: Number(ctx.values.gpus ?? '1') });
  },
});

async function follow(out: NodeJS.WritableStream, err: NodeJS.WriteStream, o: Parameters<typeof launchTrainer>[0]): Promise<number> {
  const p = launchTrainer({
    ...o,
    onMessage: (m, s) => {
      if (m.type === 'started') out.write(`Training on ${m.device}: ${m.totalSteps} steps, ${(m.trainableParams / 1e6).toFixed(1)} M trainable parameters, ${m.quantization}.\n`);
      else if (m.type === 'step') err.write(`step ${m.step}/${s.totalSteps}  loss ${m.loss.toFixed(4)}  lr ${m.lr.toExponential(2)}  ${m.tokensPerSecond.toFixed(0)} tok/s  ${formatGiB(m.gpuMemoryPeak)} peak${s.eta !== undefined ? `  ~${Math.ceil(s.eta / 60)} min left` : ''}\n`);
      else if (m.type === 'eval') out.write(`validation loss at step ${m.step}: ${m.evalLoss.toFixed(4)}\n`);
      else if (m.type === 'checkpoint') out.write(`checkpoint saved: ${m.path}\n`);
      else if (m.type === 'log') err.write(`${m.message}\n`);
    },
  });
  const final = await withSigint(err, 'Stopping: the trainer is saving a checkpoint...', (signal) => {
    signal.addEventListener('abort', () => p.cancel(), { once: true });
    return p.done;
  });
  if (final.status === 'finished') {
    out.write(`Finished. Adapter: ${final.adapterDir}\n`);
    return EXIT.ok;
  }
  if (final.status === 'stopped') {
    out.write(`Stopped at step ${final.step}. Resume with: medigen train resume ${o.configFile.replace(/[/\\]config\.json$/, '')}\n`);
    return EXIT.ok;
  }
  throw new MedigenError(final.error?.message ?? 'Training failed.', final.error?.hint ?? `See the log: ${o.logFile}`);
}

export const trainCommands: Command[] = [train, init, estimate, setup, env, resume, runs, slurm];
