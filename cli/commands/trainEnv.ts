import { resolve } from 'node:path';
import { MedigenError, streamProgress } from '../../core/index';
import { checkTrainingEnvironment, chooseExistingPython, explainTorchWithoutGpu, formatGiB, pickTrainingPython, setupTrainingEnvironment } from '../../models/train/index';
import { EXIT, defineCommand, type Command } from '../command';

/** Where `medigen train setup` puts the environment unless told otherwise. */
export const DEFAULT_VENV = '.medigen/train-venv';

function pickPython(explicit?: string): string {
  return pickTrainingPython(explicit, DEFAULT_VENV);
}

const setup = defineCommand({
  path: ['train', 'setup'],
  summary: 'Create the Python environment for training and install its pinned packages, or use one you already have.',
  usage: '[--venv DIR] [--python PY] [--index-url URL] | --use PY',
  options: { venv: { type: 'string' }, python: { type: 'string' }, 'index-url': { type: 'string' }, use: { type: 'string' } },
  help: {
    venv: `Virtual environment folder. Defaults to ${DEFAULT_VENV}.`,
    python: 'Python used to create it. Defaults to python3.',
    'index-url': 'A package index mirror to install from.',
    use: 'Use an existing environment\'s interpreter (with torch, transformers and peft) for every training command in this folder, instead of creating one. Recorded in .medigen/train-python.',
  },
  details: 'bitsandbytes (4-bit QLoRA) is installed only where nvidia-smi sees a CUDA GPU. The new environment becomes the default only once every package installed.',
  async run(ctx) {
    if (ctx.values.use) {
      const report = await checkTrainingEnvironment(ctx.values.use);
      if ('error' in report) throw new MedigenError(report.error, 'Give --use the python of an environment that has torch, transformers and peft (e.g. ~/envs/train/bin/python).');
      const missing = ['torch', 'transformers', 'peft'].filter((p) => !report.packages[p]);
      if (missing.length) throw new MedigenError(`${ctx.values.use} lacks ${missing.join(', ')}; it was not chosen.`, 'Install them there (pip install -r models/train/requirements.txt), or run `medigen train setup` without --use to create an environment.');
      const file = chooseExistingPython(ctx.values.use);
      ctx.out.write(`Training commands in this folder now use ${ctx.values.use} (recorded in ${file}; delete that file to go back to the default).\n`);
      return EXIT.ok;
    }
    const progress = streamProgress(ctx.err, 'Training environment');
    const venv = resolve(ctx.values.venv ?? DEFAULT_VENV);
    try {
      const r = await setupTrainingEnvironment({ venv, progress, ...(ctx.values.python ? { python: ctx.values.python } : {}), ...(ctx.values['index-url'] ? { pipArgs: ['--index-url', ctx.values['index-url']] } : {}) });
      progress.end();
      ctx.out.write(`Training environment ready: ${r.python}\n`);
      if (r.fourBitNote) ctx.out.write(`${r.fourBitNote}\n`);
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
  help: { python: `Interpreter to ask. Defaults to the one chosen with \`train setup --use\`, else ${DEFAULT_VENV} once set up, else python3.`, json: 'Print JSON.' },
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

export const trainEnvCommands: Command[] = [setup, env];
