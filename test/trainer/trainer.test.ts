import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertHfToGguf } from '../../models/gguf/index';
import { defaultTrainConfig, validateTrainConfig, type TrainConfig } from '../../models/train/index';
import { launchTrainer, type LaunchOptions } from '../../models/train/index';
import { convertPeftToGguf } from '../../models/train/index';
import type { RunState, TrainerMessage } from '../../models/train/index';
import { prepareRun, replayRun, type RunPaths } from '../../models/train/index';
import { CORPUS, ggufGreedy, hfGreedyWithBase, requireVenv, scratchDir, tinyHfModel } from './fixture';

const MAX_STEPS = 120;
const CHECKPOINT_EVERY = 30;
const KILL_AT = 45;

/** The tiny CPU run: ACI-BENCH train → valid, 128 tokens, LoRA r=8 on all projections. */
function tinyConfig(model: string, name: string, over: Partial<TrainConfig['training']> = {}, device: TrainConfig['device'] = 'cpu'): TrainConfig {
  const d = defaultTrainConfig();
  return {
    ...d,
    baseModel: model,
    device,
    name,
    runsDir: join(scratchDir(), 'runs'),
    data: { ...d.data, train: 'train', valid: 'valid', corpus: CORPUS, maxSeqLength: 128 },
    lora: { ...d.lora, r: 8, alpha: 16, dropout: 0 },
    // batch 3 × accumulation 2: 23 micro-batches an epoch (67 encounters), 11 steps and one leftover micro-batch dropped.
    // Live ROUGE kept small here (2 notes of 32 tokens); test/trainer/liveRouge.test.ts measures it.
    training: { ...d.training, maxSteps: MAX_STEPS, learningRate: 1e-2, batchSize: 3, gradientAccumulation: 2, gradientCheckpointing: false, warmupRatio: 0.05, logEvery: 1, evalEvery: CHECKPOINT_EVERY, checkpointEvery: CHECKPOINT_EVERY, liveRougeSamples: 2, liveRougeMaxTokens: 32, ...over },
  };
}

function launch(paths: RunPaths, o: Partial<LaunchOptions> = {}) {
  const messages: TrainerMessage[] = [];
  // One torch thread: a 64-wide model gains nothing from two, and on busy cores two threads wait on each other.
  const p = launchTrainer({ python: requireVenv(), configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, env: { OMP_NUM_THREADS: '1' }, ...o, onMessage: (m, s) => {
    messages.push(m);
    o.onMessage?.(m, s);
  } });
  return { p, messages };
}

const steps = (ms: TrainerMessage[]) => ms.flatMap((m) => (m.type === 'step' ? [m] : []));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the real (Q)LoRA trainer on CPU: tiny random llama, ACI-BENCH train/valid', function () {
  this.timeout(600_000);
  let model: string;
  let main: RunPaths;
  let killed: { state: RunState; messages: TrainerMessage[] };
  let resumed: { state: RunState; messages: TrainerMessage[] };

  before(async () => {
    requireVenv();
    model = await tinyHfModel();
  });

  it('the run config with "device": "cpu" is valid; a bad device is named', () => {
    assert.deepEqual(validateTrainConfig(tinyConfig('m', 'x')), []);
    const bad = { ...tinyConfig('m', 'x'), device: 'tpu' } as unknown as TrainConfig;
    assert.match(validateTrainConfig(bad).map((p) => p.message).join('\n'), /"device" must be one of auto, cuda, cpu/);
  });

  it('device "auto" without a GPU stops with no_gpu and says how to try on the CPU', async () => {
    const { paths } = await prepareRun(tinyConfig(model, 'auto', {}, 'auto'));
    const final = await launch(paths).p.done;
    assert.equal(final.status, 'failed');
    assert.equal(final.error?.category, 'no_gpu');
    assert.match(final.error!.hint, /"device": "cpu"/);
  });

  it('trains for real; a SIGKILL mid-run becomes "crashed" with a resume hint, checkpoints stay on disk', async () => {
    main = (await prepareRun(tinyConfig(model, 'main'))).paths;
    const { p, messages } = launch(main, { onMessage: (m) => m.type === 'step' && m.step === KILL_AT && p.child.kill('SIGKILL') });
    const state = await p.done;
    killed = { state, messages };
    const started = messages.find((m) => m.type === 'started');
    assert.ok(started && started.type === 'started');
    assert.equal(started.device.startsWith('CPU'), true);
    assert.equal(started.quantization, 'none (float32 LoRA on CPU)');
    assert.equal(started.trainableParams, 2 * 8 * (2 * (64 + 64) + 2 * (64 + 32) + 3 * (64 + 128)), 'LoRA r=8 on 7 projections × 2 layers');
    assert.ok(state.logTail.some((l) => /4-bit QLoRA needs bitsandbytes on a CUDA GPU/.test(l)), 'the 4-bit fallback is said plainly');
    assert.equal(state.status, 'failed');
    assert.equal(state.error?.category, 'crashed');
    assert.match(state.error!.message, /was killed \(SIGKILL\) at step 4\d/);
    assert.match(state.error!.hint, /continues from the checkpoint at step 30/);
    assert.deepEqual(state.checkpoints.map((c) => c.step), [CHECKPOINT_EVERY]);
    for (const f of ['adapter_model.safetensors', 'adapter_config.json', 'trainer_state.pt']) assert.ok(existsSync(join(main.dir, 'checkpoints', `step-${CHECKPOINT_EVERY}`, f)), f);
    assert.ok(steps(messages).length >= KILL_AT);
  });

  it('resume continues from the last checkpoint (steps go on from 31, the same losses as before the kill) and finishes', async () => {
    const { p, messages } = launch(main, { resume: true });
    const state = await p.done;
    resumed = { state, messages };
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
    const started = messages.find((m) => m.type === 'started');
    assert.ok(started && started.type === 'started' && started.resumedFromStep === CHECKPOINT_EVERY);
    const s = steps(messages);
    assert.equal(s[0]!.step, CHECKPOINT_EVERY + 1);
    assert.deepEqual(s.map((m) => m.step), Array.from({ length: MAX_STEPS - CHECKPOINT_EVERY }, (_, i) => CHECKPOINT_EVERY + 1 + i));
    // Same data position, optimizer and scheduler state: steps 31..45 repeat the killed run's losses.
    const before = new Map(steps(killed.messages).map((m) => [m.step, m.loss]));
    for (const m of s.filter((x) => x.step <= KILL_AT)) assert.ok(Math.abs(m.loss - before.get(m.step)!) < 1e-4, `step ${m.step}: ${m.loss} after resume vs ${before.get(m.step)} before the kill`);
    assert.deepEqual(state.checkpoints.map((c) => c.step), [60, 90, 120]);
    const adapter = join(main.dir, 'adapter');
    assert.ok(existsSync(join(adapter, 'adapter_model.safetensors')) && existsSync(join(adapter, 'adapter_config.json')));
    const finished = messages.find((m) => m.type === 'finished');
    assert.ok(finished && finished.type === 'finished' && finished.step === MAX_STEPS && finished.adapterDir === adapter);
    // The protocol file holds both sessions; replaying it gives the finished run.
    assert.equal(replayRun(main.dir).status, 'finished');
  });

  it('the loss falls: the first 20 steps average more than 1 nat above the last 20; validation loss falls too', () => {
    const all = new Map<number, number>();
    for (const m of [...steps(killed.messages).filter((x) => x.step <= CHECKPOINT_EVERY), ...steps(resumed.messages)]) all.set(m.step, m.loss);
    const losses = [...all.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    assert.equal(losses.length, MAX_STEPS);
    const first = mean(losses.slice(0, 20));
    const last = mean(losses.slice(-20));
    assert.ok(first - last > 1, `first-20 mean ${first.toFixed(3)} vs last-20 mean ${last.toFixed(3)}`);
    const evals = [...killed.messages, ...resumed.messages].flatMap((m) => (m.type === 'eval' ? [m] : []));
    assert.deepEqual(evals.map((e) => e.step), [30, 60, 90, 120]);
    assert.ok(evals[0]!.evalLoss > evals.at(-1)!.evalLoss, JSON.stringify(evals));
    const metrics = readFileSync(join(main.dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    assert.equal(metrics.filter((m) => m.type === 'eval').length, 4);
    process.stderr.write(`      [figures] loss first-20 mean ${first.toFixed(3)} → last-20 mean ${last.toFixed(3)}; eval ${evals.map((e) => e.evalLoss.toFixed(3)).join(' → ')}; ` +
      `${(steps(resumed.messages).length / resumed.state.elapsed).toFixed(2)} steps/s; ${resumed.state.logTail.find((l) => /Peak memory/.test(l)) ?? ''}\n`);
  });

  it('the trained adapter, converted to GGUF, changes what the converted base writes in node-llama-cpp, exactly as in transformers', async () => {
    const base = join(scratchDir(), 'trained-base.gguf');
    const lora = join(scratchDir(), 'trained-lora.gguf');
    await convertHfToGguf({ modelDir: model, out: base, type: 'F32' });
    const res = await convertPeftToGguf({ adapterDir: join(main.dir, 'adapter'), baseModel: base, out: lora, type: 'F32' });
    assert.equal(res.tensors, 2 * 7 * 2);
    assert.equal(res.rank, 8);
    const prompt = '<|im_start|>user\nGenerate a clinical note.\n\n[doctor] how is your knee today?\n[patient] it still hurts when i walk.<|im_end|>\n<|im_start|>assistant\n';
    const hfTuned = await hfGreedyWithBase(model, prompt, 10, join(main.dir, 'adapter'));
    const hfBase = hfTuned.base;
    const plain = await ggufGreedy(base, hfBase.prompt_ids, 10, hfBase.stop_ids);
    const tuned = await ggufGreedy(base, hfTuned.prompt_ids, 10, hfTuned.stop_ids, lora);
    assert.notDeepEqual(tuned, plain, 'the adapter changes the output');
    assert.deepEqual(plain, hfBase.ids, `base: llama.cpp = transformers (smallest logit margin ${hfBase.min_gap})`);
    assert.deepEqual(tuned, hfTuned.ids, `with the adapter: llama.cpp = transformers + PEFT (HF text ${JSON.stringify(hfTuned.text)}, smallest logit margin ${hfTuned.min_gap})`);
  });

  it('two processes through accelerate launch (CPU over gloo, as several GPUs would run): sharded data, one report, every validation example', async () => {
    const { paths } = await prepareRun(tinyConfig(model, 'two-processes', { maxSteps: 12, evalEvery: 6, checkpointEvery: 6 }));
    const { p, messages } = launch(paths, { gpus: 2 });
    const state = await p.done;
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
    assert.equal(messages.filter((m) => m.type === 'started').length, 1, 'only the main process reports');
    const s = steps(messages);
    assert.deepEqual(s.map((m) => m.step), Array.from({ length: 12 }, (_, i) => i + 1));
    // 67 encounters → 66 (an even split) → 33 a process → 11 batches of 3: step 1 ends after batch 2 of 11 (one process: 2 of 23).
    assert.equal(s[0]!.epoch, 0.182);
    const evals = messages.flatMap((m) => (m.type === 'eval' ? [m] : []));
    assert.deepEqual(evals.map((e) => [e.step, e.examples]), [[6, 20], [12, 20]], 'each evaluation covers all 20 validation encounters');
    assert.deepEqual(state.checkpoints.map((c) => c.step), [6, 12]);
    // Live ROUGE: the main process writes the notes while the other waits; each is scored once.
    assert.deepEqual(messages.flatMap((m) => (m.type === 'rouge' ? [m.step] : [])), [0, 6, 12]);
    assert.ok(existsSync(join(paths.dir, 'adapter', 'adapter_model.safetensors')));
  });

  it('cancel (SIGTERM) makes the trainer save a checkpoint and exit as stopped', async () => {
    const { paths } = await prepareRun(tinyConfig(model, 'cancel'));
    const { p, messages } = launch(paths, { onMessage: (m) => m.type === 'step' && m.step === 3 && p.cancel(60_000) });
    const state = await p.done;
    assert.equal(state.status, 'stopped', JSON.stringify(state.error));
    assert.equal(p.child.exitCode, 0);
    const stopped = messages.find((m) => m.type === 'stopped');
    assert.ok(stopped && stopped.type === 'stopped' && stopped.reason === 'cancelled');
    assert.ok(stopped.step >= 3 && stopped.step < CHECKPOINT_EVERY);
    assert.deepEqual(state.checkpoints.map((c) => c.step), [stopped.step]);
    assert.equal(stopped.checkpoint, join(paths.dir, 'checkpoints', `step-${stopped.step}`));
    assert.ok(existsSync(join(stopped.checkpoint!, 'trainer_state.pt')));
    assert.ok(!existsSync(join(paths.dir, 'adapter')), 'a cancelled run exports no final adapter');
  });
});
