/**
 * Runs a recipe stage by stage: data → instruction data → train → convert → generate (base and
 * adapter) → evaluate → report. Each finished stage is recorded in <output>/recipe-state.json with
 * a hash of the settings it depends on; a later run skips it while those settings are unchanged,
 * so an interrupted recipe continues where it stopped. `dryRun` says what each stage would do.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { buildManifest, sha256Text, writeManifest } from '../../core/index';
import { loadSplit, readTemplate } from '../../datasets/index';
import { resolveAdapterArtifact, resolveModelArtifact } from '../convert/index';
import { evaluateNotes, loadGold, loadPredictions, resultsCsv, resultsLatex, resultsMarkdown, resultsTable, toJson, toMarkdown, type Evaluation } from '../eval/index';
import { generateSplit } from '../generation/index';
import { loadLlm, parseGpuChoice } from '../llm/index';
import { checkTrainingEnvironment, launchTrainer } from '../train/index';
import { checkEncounters, chooseCorpus, describeCorpus } from '../train/index';
import { prepareRun, runPaths } from '../train/index';
import { trainConfigOf, type Recipe } from './config';

export const STAGES = ['data', 'instructions', 'train', 'convert', 'generate-base', 'generate-adapter', 'evaluate', 'report'] as const;
export type Stage = (typeof STAGES)[number];

export interface RecipeRunOptions {
  /** The recipe file's folder: relative paths in the recipe are relative to it. */
  baseDir: string;
  dryRun?: boolean;
  /** Python of the training environment, when the recipe names none. */
  python: string;
  /** One line per event, for the user. */
  say: (line: string) => void;
  signal?: AbortSignal;
}

interface StageRecord {
  hash: string;
  finishedAt: string;
  outputs: Record<string, string>;
}

type State = Record<string, StageRecord>;

/** What each stage depends on in the recipe (its hash decides whether it reruns). */
function dependsOn(r: Recipe, s: Stage): unknown {
  const data = r.data;
  const prompt = r.prompt;
  const train = { data: { train: data.train, valid: data.valid, corpus: data.corpus }, prompt, model: r.model, training: r.training };
  const gen = { test: data.test, corpus: data.corpus, limit: data.limit, prompt, model: r.model, generation: r.generation };
  switch (s) {
    case 'data':
      return data;
    case 'instructions':
      return train;
    case 'train':
      return train;
    case 'convert':
      return { train };
    case 'generate-base':
      return gen;
    case 'generate-adapter':
      return { gen, train };
    case 'evaluate':
      return { gen, train };
    case 'report':
      return { gen, train, evaluation: r.evaluation };
  }
}

const DESCRIBE: Record<Stage, (r: Recipe) => string> = {
  data: (r) => `check the ${r.data.train}, ${r.data.valid} and ${r.data.test} splits (every encounter has a dialogue and a note)`,
  instructions: () => 'write the training and validation examples (chat form, the prompt generation uses) into a run folder',
  train: (r) => `fine-tune ${r.model.base} with LoRA r=${r.training.lora.r ?? 16} on ${r.training.device} (resumes from the last checkpoint)`,
  convert: () => 'convert the base model and the trained adapter to GGUF (cached)',
  'generate-base': (r) => `generate ${r.data.limit ? `${r.data.limit} notes` : 'a note for every encounter'} of ${r.data.test} with the base model`,
  'generate-adapter': () => 'generate the same notes with the base model + adapter',
  evaluate: () => 'score both prediction files against the reference notes (ACI-BENCH ROUGE, per section)',
  report: () => 'write the results table (95% CIs, paired significance) as Markdown, CSV and LaTeX, and the manifest',
};

/** Runs (or, with dryRun, describes) every stage; returns the output folder. */
export async function runRecipe(r: Recipe, o: RecipeRunOptions): Promise<{ output: string; ran: Stage[]; skipped: Stage[] }> {
  const out = resolve(o.baseDir, r.output);
  const stateFile = join(out, 'recipe-state.json');
  const state: State = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as State) : {};
  const at = (p: string) => (p ? resolve(o.baseDir, p) : '');
  const corpus = chooseCorpus(at(r.data.corpus) || undefined);
  const templateFile = at(r.prompt.template) || undefined;
  const template = templateFile ? readTemplate(templateFile) : undefined;
  const instruction = { ...(template ? { template } : {}), ...(r.prompt.systemPrompt ? { systemPrompt: r.prompt.systemPrompt } : {}) };
  const base = at(r.model.base) && existsSync(at(r.model.base)) ? at(r.model.base) : r.model.base;
  const python = r.python ? at(r.python) : o.python;
  const runDir = join(out, 'runs', 'train');
  const ran: Stage[] = [];
  const skipped: Stage[] = [];
  let dirty = false;
  o.say(`Recipe "${r.name}" → ${out}`);
  o.say(describeCorpus(corpus));

  const run: Record<Stage, () => Promise<Record<string, string>>> = {
    data: async () => {
      const files: Record<string, string> = {};
      for (const [role, ref] of [['train', r.data.train], ['valid', r.data.valid], ['test', r.data.test]] as const) {
        const split = loadSplit(ref, corpus.dir);
        checkEncounters(split.file, split.encounters);
        files[role] = split.file;
        o.say(`  ${role}: ${split.encounters.length} encounters (${split.file})`);
      }
      return files;
    },
    instructions: async () => {
      rmSync(runDir, { recursive: true, force: true }); // an earlier, unfinished attempt of this stage
      const prepared = await prepareRun(trainConfigOf({ ...r, model: { base } }, join(out, 'runs'), corpus.dir, templateFile), out);
      o.say(`  ${prepared.counts.train} training and ${prepared.counts.valid} validation examples in ${prepared.paths.dir}`);
      return { run: prepared.paths.dir };
    },
    train: async () => {
      const env = await checkTrainingEnvironment(python);
      if ('error' in env) throw new MedigenError(env.error, 'Set "python" in the recipe to your training environment, or run `medigen train setup`.');
      const missing = ['torch', 'transformers', 'peft'].filter((p) => !env.packages[p]);
      if (missing.length) throw new MedigenError(`The training environment (${python}) lacks ${missing.join(', ')}.`, 'Run `medigen train setup`, or set "python" in the recipe to an environment that has them.');
      const paths = runPaths(runDir);
      const p = launchTrainer({
        python,
        configFile: paths.config,
        logFile: paths.log,
        protocolFile: paths.protocol,
        resume: existsSync(join(runDir, 'checkpoints')),
        onMessage: (m, s) => {
          if (m.type === 'started') o.say(`  training on ${m.device}: ${m.totalSteps} steps`);
          else if (m.type === 'step' && (m.step % 10 === 0 || m.step === s.totalSteps)) o.say(`  step ${m.step}/${s.totalSteps} loss ${m.loss.toFixed(4)}`);
        },
      });
      const stop = () => p.cancel();
      o.signal?.addEventListener('abort', stop);
      const final = await p.done;
      o.signal?.removeEventListener('abort', stop);
      if (final.status !== 'finished' || !final.adapterDir || !existsSync(join(final.adapterDir, 'adapter_config.json'))) {
        throw new MedigenError(`Training did not finish (${final.status})${final.error ? `: ${final.error.message}` : ''}.`, final.error?.hint ?? `See ${paths.log}; run the recipe again to resume from the last checkpoint.`);
      }
      const manifest = await buildManifest('adapter', { run: runDir }, { adapter: final.adapterDir, trainData: paths.trainData }, Object.fromEntries(Object.entries(env.packages).map(([k, v]) => [`python:${k}`, v])));
      writeManifest(join(runDir, 'adapter-manifest.json'), manifest);
      return { adapter: final.adapterDir, python };
    },
    convert: async () => {
      const say = (m: string) => o.say(`  ${m}`);
      const model = await resolveModelArtifact(base, { say });
      const adapter = await resolveAdapterArtifact(runDir, model.path, { say });
      return { model: model.path, adapter: adapter.path };
    },
    'generate-base': async () => generate(false),
    'generate-adapter': async () => generate(true),
    evaluate: async () => {
      const evals = await evaluateBoth();
      mkdirSync(join(out, 'eval'), { recursive: true });
      for (const [name, ev] of Object.entries(evals)) {
        writeFileSync(join(out, 'eval', `${name}.json`), toJson(ev));
        writeFileSync(join(out, 'eval', `${name}.md`), toMarkdown(ev));
        o.say(`  ${name}: rougeLsum ${((ev.results.ALL as Record<string, number>).rougeLsum! * 100).toFixed(2)} over ${ev.notes.length} notes`);
      }
      return { base: join(out, 'eval', 'base.json'), adapter: join(out, 'eval', 'adapter.json') };
    },
    report: async () => {
      const evals = await evaluateBoth();
      const table = resultsTable([{ name: 'base', evaluation: evals.base! }, { name: 'base + adapter', evaluation: evals.adapter! }], r.evaluation);
      const md = join(out, 'results.md');
      writeFileSync(md, `# ${r.name}\n\n${r.data.limit ? `Scored on the first ${r.data.limit} encounters of ${r.data.test} (data.limit), not the whole split.\n\n` : ''}${resultsMarkdown(table)}`);
      writeFileSync(join(out, 'results.csv'), resultsCsv(table));
      writeFileSync(join(out, 'results.tex'), resultsLatex(table));
      const st = state;
      const manifest = await buildManifest(
        'recipe',
        { recipe: r, systemPromptSha256: sha256Text(r.prompt.systemPrompt), stages: Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v.hash])) },
        { train: st.data?.outputs.train, valid: st.data?.outputs.valid, test: st.data?.outputs.test, template: templateFile, model: st.convert?.outputs.model, adapter: st.train?.outputs.adapter, adapterGguf: st.convert?.outputs.adapter },
      );
      writeManifest(join(out, 'manifest.json'), manifest);
      o.say(`  ${md}, results.csv, results.tex and manifest.json`);
      return { markdown: md, csv: join(out, 'results.csv'), latex: join(out, 'results.tex'), manifest: join(out, 'manifest.json') };
    },
  };

  async function generate(withAdapter: boolean): Promise<Record<string, string>> {
    const conv = state.convert?.outputs;
    if (!conv) throw new MedigenError('The convert stage has not run.', 'Run the recipe from the start.');
    const loaded = await loadLlm(conv.model!, { gpu: parseGpuChoice(r.generation.gpu), ...(r.generation.threads ? { threads: r.generation.threads } : {}), ...(r.generation.context ? { contextSize: r.generation.context } : {}) });
    const file = join(out, 'predictions', withAdapter ? 'adapter.csv' : 'base.csv');
    mkdirSync(dirname(file), { recursive: true });
    try {
      const res = await generateSplit(loaded, {
        split: r.data.test,
        corpusDir: corpus.dir,
        out: file,
        ...instruction,
        ...(withAdapter ? { lora: { path: conv.adapter!, scale: 1 } } : {}),
        maxTokens: r.generation.maxTokens,
        temperature: r.generation.temperature,
        seed: r.generation.seed,
        grammar: r.generation.grammar,
        ...(r.generation.context ? { contextSize: r.generation.context } : {}),
        ...(r.data.limit ? { limit: r.data.limit } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (!res.complete) throw new MedigenError('Generation stopped before every note was written.', 'Run the recipe again: it resumes the notes already written.');
      o.say(`  ${res.total} notes → ${file}${res.cutAtMaxTokens.length ? ` (${res.cutAtMaxTokens.length} stopped at maxTokens)` : ''}${res.blank.length ? ` (${res.blank.length} blank)` : ''}`);
    } finally {
      await loaded.dispose();
    }
    return { predictions: file };
  }

  async function evaluateBoth(): Promise<Record<string, Evaluation>> {
    const gold = loadGold(r.data.test, { corpus: corpus.dir });
    const evals: Record<string, Evaluation> = {};
    for (const name of ['base', 'adapter']) {
      const preds = loadPredictions(join(out, 'predictions', `${name}.csv`));
      const ids = new Set(preds.map((p) => p.encounterId));
      evals[name] = await evaluateNotes(r.data.limit ? gold.encounters.filter((e) => ids.has(e.encounterId)) : gold.encounters, preds);
    }
    return evals;
  }

  for (const [k, s] of STAGES.entries()) {
    const hash = createHash('sha256').update(JSON.stringify(dependsOn(r, s))).digest('hex').slice(0, 16);
    const rec = state[s];
    const fresh = !dirty && rec && rec.hash === hash;
    const label = `[${k + 1}/${STAGES.length}] ${s}`;
    if (fresh) {
      o.say(`${label}: done earlier, skipped`);
      skipped.push(s);
      continue;
    }
    dirty = true; // every later stage reruns
    if (o.dryRun) {
      o.say(`${label}: would ${DESCRIBE[s](r)}${rec ? ' (its settings changed since it ran)' : ''}`);
      continue;
    }
    o.say(`${label}: ${DESCRIBE[s](r)}`);
    o.signal?.throwIfAborted();
    const outputs = await run[s]();
    state[s] = { hash, finishedAt: new Date().toISOString(), outputs };
    mkdirSync(out, { recursive: true });
    writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
    ran.push(s);
  }
  if (o.dryRun) o.say('Dry run: nothing was changed.');
  return { output: out, ran, skipped };
}
