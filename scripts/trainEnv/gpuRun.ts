/**
 * The real trainer on a real NVIDIA GPU (issue 5's GPU test), through the same library code the
 * extension and `medigen train` use: nvidia-smi and the environment check, prepareRun, the memory
 * estimate, launchTrainer (SIGKILL, resume, SIGTERM). Needs a Python with torch (CUDA),
 * transformers and peft; bitsandbytes is optional (without it the trainer says so and trains LoRA
 * on a bf16 base). Runs on the GPU machine from a bundle (scripts/trainEnv/gpuRun.sh builds it),
 * so no node_modules are needed there.
 *
 *   node gpuRun.mjs --corpus DIR --out DIR [--python python3] [--phases main,memory-1b,memory-8b]
 *   (--device cpu: a smoke run of the driver itself on a machine without a GPU; its GPU checks fail)
 *
 * main       a tiny random llama (test/trainer/tiny_hf_llama.py), 300 steps on ACI-BENCH train with
 *            validation every 100, SIGKILL at step 150, resume from the step-100 checkpoint, finish
 *            and export the adapter; then a run cancelled with SIGTERM. Checks each outcome.
 * memory-1b, memory-8b
 *            a Llama-3.2-1B- / Llama-3-8B-shaped random model, the study's settings (LoRA r=16 on
 *            all projections, 4096 tokens, batch 1), gradient checkpointing off and on, 4 steps
 *            each: the preflight estimate against the peak the trainer measured (torch) and the
 *            peak nvidia-smi saw.
 * memory-3b, memory-8b-2k
 *            other shapes and settings (see SHAPES), to check the estimate out of sample.
 * Writes <out>/summary-<phases>.json (every figure and check) and the main run's folder and tiny model;
 * exits 1 when a check failed. scripts/trainEnv/gpuVerify.ts then converts the adapter and loads
 * it in node-llama-cpp (on any machine).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../core/index';
import { resolveArchitecture } from '../../models/train/index';
import { defaultTrainConfig, type TrainConfig } from '../../models/train/index';
import { queryNvidiaSmi } from '../../models/train/index';
import { checkTrainingEnvironment, launchTrainer } from '../../models/train/index';
import { adviseFit, estimateMemory, formatGiB, memorySettingsFor } from '../../models/train/index';
import type { RunState, TrainerMessage } from '../../models/train/index';
import { prepareRun, type RunPaths } from '../../models/train/index';
import { CHATML_TEMPLATE } from '../../models/tiny/index';

const { values: opt } = parseArgs({ options: { corpus: { type: 'string' }, out: { type: 'string' }, python: { type: 'string', default: 'python3' }, phases: { type: 'string', default: 'main,memory-1b,memory-8b' }, device: { type: 'string', default: 'cuda' } } });
if (!opt.corpus || !opt.out) throw new Error('usage: gpu-run --corpus DIR --out DIR [--python PY] [--phases main,memory-1b,memory-8b]');
const OUT = resolve(opt.out);
const CORPUS = resolve(opt.corpus);
const PY = opt.python!;
const WORK = join(OUT, 'work');
mkdirSync(WORK, { recursive: true });

const summary: Record<string, unknown> = { checks: [] as { name: string; ok: boolean; detail: string }[] };
const checks = summary.checks as { name: string; ok: boolean; detail: string }[];
function check(name: string, ok: boolean, detail = ''): void {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  (${detail})` : ''}`);
}
const save = () => writeFileSync(join(OUT, `summary-${opt.phases!.replace(/,/g, '_')}.json`), JSON.stringify(summary, null, 2));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function helper(args: string[]): Promise<unknown> {
  return new Promise((res, rej) => {
    const child = spawn(PY, [join(projectRoot(), 'test', 'trainer', 'tiny_hf_llama.py'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? res(JSON.parse(out.trim().split('\n').at(-1)!)) : rej(new Error(`tiny_hf_llama.py ${args[0]} exited with ${code}`))));
  });
}

function makeModel(name: string, shape: string[], merges: number): Promise<unknown> {
  const dir = join(WORK, name);
  return helper(['make', '--out', dir, '--text-csv', join(CORPUS, 'challenge_data', 'train.csv'), '--merges', String(merges), '--chat-template', CHATML_TEMPLATE, ...shape]).then((info) => ({ dir, info }));
}

function config(model: string, name: string, data: Partial<TrainConfig['data']>, lora: Partial<TrainConfig['lora']>, training: Partial<TrainConfig['training']>): TrainConfig {
  const d = defaultTrainConfig();
  return { ...d, baseModel: model, device: opt.device as TrainConfig['device'], name, runsDir: join(WORK, 'runs'), data: { ...d.data, corpus: CORPUS, ...data }, lora: { ...d.lora, ...lora }, training: { ...d.training, ...training } };
}

/** Runs the trainer through the launcher; `sample` polls nvidia-smi for the peak memory used. */
async function launch(paths: RunPaths, o: { resume?: boolean; onStep?: (m: TrainerMessage & { type: 'step' }, kill: (s: NodeJS.Signals) => void) => void; sample?: boolean } = {}) {
  const messages: TrainerMessage[] = [];
  let smiPeak = 0;
  let polling = true;
  const poll = (async () => {
    while (o.sample && polling) {
      const r = await queryNvidiaSmi();
      if (!('error' in r)) smiPeak = Math.max(smiPeak, r.gpus[0]!.memoryUsed);
      await new Promise((x) => setTimeout(x, 200));
    }
  })();
  const p = launchTrainer({ python: PY, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, ...(o.resume ? { resume: true } : {}), onMessage: (m) => {
    messages.push(m);
    if (m.type === 'step') o.onStep?.(m, (s) => (s === 'SIGTERM' ? p.cancel(120_000) : p.child.kill(s)));
  } });
  const state: RunState = await p.done;
  polling = false;
  await poll;
  return { state, messages, smiPeak, exitCode: p.child.exitCode };
}
const stepsOf = (ms: TrainerMessage[]) => ms.flatMap((m) => (m.type === 'step' ? [m] : []));

async function phaseMain(): Promise<void> {
  const { dir: model } = (await makeModel('tiny-hf-llama', [], 400)) as { dir: string };
  const TOTAL = 300, EVERY = 100, KILL = 150;
  const cfg = config(model, 'main', { maxSeqLength: 512 }, { r: 8, alpha: 16, dropout: 0 }, { maxSteps: TOTAL, learningRate: 5e-3, batchSize: 4, gradientAccumulation: 1, gradientCheckpointing: false, warmupRatio: 0.05, evalEvery: EVERY, checkpointEvery: EVERY });
  const { paths } = await prepareRun(cfg);
  const killed = await launch(paths, { sample: true, onStep: (m, kill) => m.step === KILL && kill('SIGKILL') });
  const started = killed.messages.find((m) => m.type === 'started');
  summary.main = { started, killedAt: stepsOf(killed.messages).at(-1)?.step, log: killed.state.logTail };
  check('trains on the GPU', !!started && started.type === 'started' && !/CPU/.test(started.device), started && started.type === 'started' ? `${started.device}, ${started.quantization}, ${started.trainableParams} trainable` : 'no started message');
  check('SIGKILL → crashed with a resume hint', killed.state.error?.category === 'crashed' && /continues from the checkpoint at step 100/.test(killed.state.error.hint), JSON.stringify(killed.state.error));
  check('the step-100 checkpoint is on disk', existsSync(join(paths.dir, 'checkpoints', 'step-100', 'adapter_model.safetensors')));
  const resumed = await launch(paths, { resume: true, sample: true });
  const rs = stepsOf(resumed.messages);
  const before = new Map(stepsOf(killed.messages).map((m) => [m.step, m.loss]));
  const diffs = rs.filter((m) => m.step <= KILL).map((m) => Math.abs(m.loss - before.get(m.step)!));
  check('resume continues at step 101 and finishes', resumed.state.status === 'finished' && rs[0]?.step === EVERY + 1 && rs.at(-1)?.step === TOTAL, `${resumed.state.status}, steps ${rs[0]?.step}..${rs.at(-1)?.step}`);
  check('steps 101-150 repeat the killed run\'s losses', diffs.length === KILL - EVERY && Math.max(...diffs) < 0.02, `max |Δloss| ${Math.max(...diffs).toExponential(2)} over ${diffs.length} steps`);
  const all = new Map<number, number>();
  for (const m of [...stepsOf(killed.messages).filter((x) => x.step <= EVERY), ...rs]) all.set(m.step, m.loss);
  const losses = [...all.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  const evals = [...killed.messages, ...resumed.messages].flatMap((m) => (m.type === 'eval' ? [m] : []));
  const first = mean(losses.slice(0, 20)), last = mean(losses.slice(-20));
  check('training loss falls (first 20 vs last 20 steps)', first - last > 1, `${first.toFixed(3)} → ${last.toFixed(3)}`);
  check('validation loss falls', evals.length === 3 && evals[0]!.evalLoss > evals.at(-1)!.evalLoss, evals.map((e) => `${e.step}: ${e.evalLoss.toFixed(3)}`).join(', '));
  check('the adapter is exported', existsSync(join(paths.dir, 'adapter', 'adapter_model.safetensors')));
  const est = estimateMemory(resolveArchitecture(model), { ...memorySettingsFor(cfg), load4bit: false });
  Object.assign(summary.main as object, {
    losses, evals, stepsPerSecond: rs.length / resumed.state.elapsed, runDir: paths.dir, model,
    memory: { estimate: est.total, torchPeak: resumed.state.gpuMemoryPeak, smiPeak: resumed.smiPeak },
  });
  console.log(`tiny run: ${(rs.length / resumed.state.elapsed).toFixed(1)} steps/s; memory estimate ${formatGiB(est.total)}, torch peak ${formatGiB(resumed.state.gpuMemoryPeak)}, nvidia-smi peak ${formatGiB(resumed.smiPeak)}`);

  const cancel = await prepareRun({ ...cfg, name: 'cancel' });
  const c = await launch(cancel.paths, { onStep: (m, kill) => m.step === 20 && kill('SIGTERM') });
  const stopped = c.messages.find((m) => m.type === 'stopped');
  check('cancel (SIGTERM) saves a checkpoint and exits 0 as stopped', c.state.status === 'stopped' && c.exitCode === 0 && !!stopped && stopped.type === 'stopped' && existsSync(join(stopped.checkpoint!, 'trainer_state.pt')), `${c.state.status}, exit ${c.exitCode}`);
}

/** Model shapes for the memory runs; 3b also checks the calibration out of sample (2048 tokens, batch 2, LoRA on q/v only, no dropout). */
const SHAPES: Record<string, { label: string; args: string[]; data?: Partial<TrainConfig['data']>; lora?: Partial<TrainConfig['lora']>; batchSize?: number }> = {
  '1b': { label: 'Llama-3.2-1B-shaped (hidden 2048, 16 layers, 32/8 heads, ffn 8192, vocab 128256)', args: ['--hidden', '2048', '--layers', '16', '--heads', '32', '--kv-heads', '8', '--ffn', '8192'] },
  '3b': { label: 'Llama-3.2-3B-shaped (hidden 3072, 28 layers, 24/8 heads, ffn 8192, vocab 128256), 2048 tokens, batch 2, LoRA r=64 on q/v, no dropout', args: ['--hidden', '3072', '--layers', '28', '--heads', '24', '--kv-heads', '8', '--ffn', '8192'],
    data: { maxSeqLength: 2048 }, lora: { r: 64, alpha: 128, dropout: 0, targetModules: ['q_proj', 'v_proj'] }, batchSize: 2 },
  '8b-2k': { label: 'Llama-3-8B-shaped, 2048 tokens, batch 4, LoRA r=16 on all projections', args: ['--hidden', '4096', '--layers', '32', '--heads', '32', '--kv-heads', '8', '--ffn', '14336'],
    data: { maxSeqLength: 2048 }, batchSize: 4 },
  '8b': { label: 'Llama-3-8B-shaped (hidden 4096, 32 layers, 32/8 heads, ffn 14336, vocab 128256)', args: ['--hidden', '4096', '--layers', '32', '--heads', '32', '--kv-heads', '8', '--ffn', '14336'] },
};

async function phaseMemory(shape: string): Promise<void> {
  const s = SHAPES[shape]!;
  const t0 = Date.now();
  // 50 merges: nearly a byte per token, so every dialogue fills the 4096 tokens the estimate assumes.
  const { dir: model } = (await makeModel(`llama-${shape}`, [...s.args, '--vocab', '128256', '--max-positions', '8192', '--dtype', 'bfloat16', '--device', 'cuda'], 50)) as { dir: string };
  const arch = resolveArchitecture(model);
  const rows: unknown[] = [];
  for (const gc of [false, true]) {
    const cfg = config(model, `mem-${shape}-${gc ? 'gc' : 'nogc'}`, { maxSeqLength: 4096, ...s.data }, { ...s.lora }, { maxSteps: 4, batchSize: s.batchSize ?? 1, gradientAccumulation: 1, gradientCheckpointing: gc, evalEvery: 1000, checkpointEvery: 1000 });
    const { paths } = await prepareRun(cfg);
    const idle = await queryNvidiaSmi();
    const r = await launch(paths, { sample: true });
    const started = r.messages.find((m) => m.type === 'started');
    const settings = { ...memorySettingsFor(cfg), load4bit: started?.type === 'started' && started.quantization.startsWith('nf4') };
    const est = estimateMemory(arch, settings);
    const ctx = est.parts.find((p) => p.label.startsWith('CUDA context'))!.bytes;
    const row = { shape, gradientCheckpointing: gc, architecture: arch, settings, status: r.state.status, error: r.state.error, quantization: started?.type === 'started' ? started.quantization : undefined,
      estimate: est.total, estimateWithoutContext: est.total - ctx, parts: est.parts, torchPeak: r.state.gpuMemoryPeak, smiPeak: r.smiPeak - ('error' in idle ? 0 : idle.gpus[0]!.memoryUsed), elapsed: r.state.elapsed };
    rows.push(row);
    console.log(`${s.label}, checkpointing ${gc ? 'on' : 'off'}: ${r.state.status}; estimate ${formatGiB(row.estimate)} (${formatGiB(row.estimateWithoutContext)} without context/slack); measured torch peak ${formatGiB(row.torchPeak)}, nvidia-smi peak ${formatGiB(row.smiPeak)}`);
    // The preflight's verdict against the free memory nvidia-smi reported: a run it says fits must finish; one it says
    // will not fit (launched anyway, as --force does) must stop with the trainer's out_of_memory error.
    const fits = adviseFit(arch, settings, 'error' in idle ? 0 : idle.gpus[0]!.memoryFree).fits;
    Object.assign(row, { preflightFits: fits });
    check(`${shape} memory run (checkpointing ${gc ? 'on' : 'off'}): the preflight said ${fits ? 'it fits, and it finished' : 'it will not fit, and it ran out of memory'}`,
      fits ? r.state.status === 'finished' : r.state.error?.category === 'out_of_memory', JSON.stringify(r.state.error ?? ''));
  }
  summary[`memory-${shape}`] = { label: s.label, rows, seconds: (Date.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  const env = await checkTrainingEnvironment(PY); // asks nvidia-smi too, unless the Python could not run
  const smi = 'error' in env || !env.nvidiaSmi ? await queryNvidiaSmi() : env.nvidiaSmi;
  summary.environment = { nvidiaSmi: smi, trainer: env };
  console.log(JSON.stringify(summary.environment));
  check('nvidia-smi sees a GPU', !('error' in smi), JSON.stringify(smi));
  check('the trainer\'s PyTorch sees CUDA', !('error' in env) && env.cuda);
  save();
  for (const phase of opt.phases!.split(',')) {
    const t0 = Date.now();
    try {
      if (phase === 'main') await phaseMain();
      else if (phase.startsWith('memory-')) await phaseMemory(phase.slice(7));
      else throw new Error(`unknown phase ${phase}`);
    } catch (e) {
      check(`phase ${phase} ran`, false, (e as Error).stack ?? String(e));
    }
    console.log(`phase ${phase}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    save();
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`${checks.length - failed} of ${checks.length} checks passed`);
  process.exitCode = failed ? 1 : 0;
}

void main();
