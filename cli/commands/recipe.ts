import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import { commentedRecipe, readRecipe, runRecipe } from '../../models/recipe/index';
import { EXIT, defineCommand, type Command } from '../command';
import { DEFAULT_VENV } from './trainEnv';
import { pickTrainingPython } from '../../models/train/index';

const init = defineCommand({
  path: ['init'],
  summary: 'Write a commented recipe with the MediGen study\'s setup (data → training → generation → evaluation → report)',
  usage: '[--out FILE] [--corpus DIR] [--model DIR]',
  options: { out: { type: 'string' }, corpus: { type: 'string' }, model: { type: 'string' } },
  help: { out: 'Where to write it. Defaults to recipe.json.', corpus: 'Your ACI-BENCH folder (written as data.corpus). Defaults to ACI_BENCH_DIR when set.', model: 'The base model\'s Hugging Face folder (written as model.base).' },
  async run(ctx) {
    const out = resolve(ctx.values.out ?? 'recipe.json');
    if (existsSync(out)) throw new MedigenError(`${out} already exists; it was not overwritten.`, 'Edit that file, or choose another name with --out.');
    const { defaultRecipe } = await import('../../models/recipe/index');
    const r = defaultRecipe();
    r.data.corpus = ctx.values.corpus ? resolve(ctx.values.corpus) : (process.env.ACI_BENCH_DIR ?? '');
    if (ctx.values.model) r.model.base = resolve(ctx.values.model);
    writeFileSync(out, commentedRecipe(r));
    ctx.out.write(`Wrote ${out}. Read its comments, set "model.base"${r.data.corpus ? '' : ' and "data.corpus"'}, then see what it would do: medigen run ${ctx.values.out ?? 'recipe.json'} --dry-run\n`);
    return EXIT.ok;
  },
});

const run = defineCommand({
  path: ['run'],
  summary: 'Run a recipe from data to report: instruction data, training, conversion, generation (base and adapter), evaluation, results',
  usage: '<recipe.json> [--dry-run] [--python PY]',
  options: { 'dry-run': { type: 'boolean' }, python: { type: 'string' } },
  help: { 'dry-run': 'Say what each stage would do (and which are already done), change nothing.', python: 'Python of the training environment, when the recipe names none.' },
  details: 'Each stage that finished with the same settings is skipped, so an interrupted run continues where it stopped (Ctrl+C stops cleanly: training saves a checkpoint). Write a recipe with `medigen init`.',
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new UsageError('Say which recipe to run.', 'Write one with `medigen init`, then: medigen run recipe.json --dry-run');
    const recipe = readRecipe(file);
    const controller = new AbortController();
    const onSigint = () => {
      ctx.err.write('\nStopping after saving what is done; run the same command again to continue.\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      const r = await runRecipe(recipe, { baseDir: dirname(resolve(file)), dryRun: !!ctx.values['dry-run'], python: pickTrainingPython(ctx.values.python, DEFAULT_VENV), say: (l) => ctx.out.write(`${l}\n`), signal: controller.signal });
      if (!ctx.values['dry-run']) ctx.out.write(`Done. Results: ${r.output}/results.md (manifest: ${r.output}/manifest.json)\n`);
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    return EXIT.ok;
  },
});

export const recipeCommands: Command[] = [init, run];
