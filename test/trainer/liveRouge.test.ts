import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numpyMean, rouge } from '../../models/eval/index';
import { defaultTrainConfig, launchTrainer, prepareRun, readLiveNotes, replayRun, type RunState, type TrainConfig, type TrainerMessage } from '../../models/train/index';
import { CORPUS, requireVenv, scratchDir, tinyHfModel } from './fixture';

const MAX_STEPS = 120;
const EVAL_EVERY = 30;
const SAMPLES = 3;
const MAX_TOKENS = 128;

/**
 * Live ROUGE on the real trainer (CPU, tiny random llama, ACI-BENCH train → valid): the trainer
 * writes notes for the first 3 validation encounters before training and at each evaluation, the
 * launcher scores them with models/eval's ACI-BENCH ROUGE, and the run's history keeps the curve.
 */
describe('live ROUGE: the task metric at each evaluation of a real CPU run', function () {
  this.timeout(900_000);
  let dir: string;
  let state: RunState;
  let messages: TrainerMessage[];

  let python: string;
  let model: string;
  function config(name: string, training: Partial<TrainConfig['training']>): TrainConfig {
    const d = defaultTrainConfig();
    return {
      ...d,
      baseModel: model,
      device: 'cpu',
      name,
      runsDir: join(scratchDir(), 'runs'),
      data: { ...d.data, train: 'train', valid: 'valid', corpus: CORPUS, maxSeqLength: 128 },
      lora: { ...d.lora, r: 8, alpha: 16, dropout: 0 },
      training: { ...d.training, maxSteps: MAX_STEPS, learningRate: 1e-2, batchSize: 3, gradientAccumulation: 2, gradientCheckpointing: false, warmupRatio: 0.05, logEvery: 5, evalEvery: EVAL_EVERY, checkpointEvery: MAX_STEPS, ...training },
    };
  }

  before(async () => {
    python = requireVenv();
    model = await tinyHfModel();
    const { paths } = await prepareRun(config('live-rouge', { liveRougeSamples: SAMPLES, liveRougeMaxTokens: MAX_TOKENS }));
    dir = paths.dir;
    messages = [];
    const p = launchTrainer({ python, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, env: { OMP_NUM_THREADS: '1' }, onMessage: (m) => messages.push(m) });
    state = await p.done;
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
  });

  const evalSteps = [0, ...Array.from({ length: MAX_STEPS / EVAL_EVERY }, (_, i) => (i + 1) * EVAL_EVERY)];

  it('writes notes for the same first 3 validation encounters before training and at every evaluation, within the token limit', () => {
    const samples = messages.flatMap((m) => (m.type === 'samples' ? [m] : []));
    assert.deepEqual(samples.map((m) => m.step), evalSteps);
    const refs = readFileSync(join(dir, 'data', 'valid.jsonl'), 'utf8').trim().split('\n').slice(0, SAMPLES).map((l) => (JSON.parse(l) as { messages: { role: string; content: string }[] }).messages.find((x) => x.role === 'assistant')!.content);
    for (const s of samples) {
      assert.equal(s.file, join(dir, 'live-rouge', `step-${s.step}.jsonl`));
      assert.ok(existsSync(s.file), s.file);
      assert.deepEqual(s.indices, [0, 1, 2]);
      assert.equal(s.maxNewTokens, MAX_TOKENS);
      const notes = readLiveNotes(s.file);
      assert.deepEqual(notes.map((n) => n.reference), refs, 'the references are the validation notes the run trained against');
      assert.ok(notes.every((n) => n.tokens <= MAX_TOKENS));
      assert.equal(s.tokens, notes.reduce((a, n) => a + n.tokens, 0));
      assert.equal(s.cut, notes.filter((n) => n.cut).length);
    }
  });

  it('records ROUGE-1/2/L at every evaluation step, equal to scoring the recorded notes with models/eval', () => {
    const scored = messages.flatMap((m) => (m.type === 'rouge' ? [m] : []));
    assert.deepEqual(scored.map((m) => m.step), evalSteps);
    for (const r of scored) {
      const notes = readLiveNotes(r.file);
      // Scored here directly: rouge_score's F1 per note, numpy's mean (ACI-BENCH's "ALL" figures).
      const each = notes.map((n) => rouge(n.reference, n.prediction));
      assert.equal(r.rouge1, numpyMean(each.map((s) => s.rouge1.fmeasure)), `rouge1 at step ${r.step}`);
      assert.equal(r.rouge2, numpyMean(each.map((s) => s.rouge2.fmeasure)), `rouge2 at step ${r.step}`);
      assert.equal(r.rougeL, numpyMean(each.map((s) => s.rougeL.fmeasure)), `rougeL at step ${r.step}`);
      assert.equal(r.rougeLsum, numpyMean(each.map((s) => s.rougeLsum.fmeasure)), `rougeLsum at step ${r.step}`);
      assert.equal(r.notes, SAMPLES);
      assert.equal(r.empty, notes.filter((n) => !n.prediction.trim()).length);
    }
    assert.deepEqual(state.liveRouge.map((p) => p.step), evalSteps, 'the live state holds the curve');
    process.stderr.write(`      [figures] live ROUGE-1/2/L ×100 by step (3 notes, ≤${MAX_TOKENS} tokens): ${scored.map((r) => `${r.step}: ${(r.rouge1 * 100).toFixed(2)}/${(r.rouge2 * 100).toFixed(2)}/${(r.rougeL * 100).toFixed(2)}`).join('; ')}; ` +
      `generation ${state.liveRougeCost?.seconds.toFixed(2)} s at the last evaluation\n`);
  });

  it('the run history (protocol.jsonl replayed) keeps the ROUGE curve', () => {
    const replayed = replayRun(dir);
    assert.deepEqual(replayed.liveRouge, state.liveRouge);
    assert.equal(replayed.liveRouge.length, evalSteps.length);
  });

  it('the notes improve: ROUGE-1 and ROUGE-L after training are above the untrained model\'s, and the notes gain the first section heading', () => {
    const first = state.liveRouge[0]!;
    const last = state.liveRouge.at(-1)!;
    assert.ok(last.rouge1 > first.rouge1, `ROUGE-1 ${first.rouge1} at step 0 → ${last.rouge1} at step ${last.step}`);
    assert.ok(last.rougeL > first.rougeL, `ROUGE-L ${first.rougeL} at step 0 → ${last.rougeL} at step ${last.step}`);
    const heading = (file: string) => readLiveNotes(file).filter((n) => n.prediction.startsWith('CHIEF COMPLAINT')).length;
    assert.equal(heading(first.file), 0, 'the untrained model writes no heading');
    assert.equal(heading(last.file), SAMPLES, 'every trained note opens with CHIEF COMPLAINT, as the references do');
  });

  it('a cancel during the notes ends their generation at once: no half-scored step, a checkpoint, stopped', async () => {
    // 3 notes of up to 1,800 tokens before the first step: the SIGTERM sent at "started" lands in (or before) them.
    const { paths } = await prepareRun(config('live-rouge-cancel', { liveRougeSamples: SAMPLES, liveRougeMaxTokens: 1800 }));
    const seen: TrainerMessage[] = [];
    const p = launchTrainer({ python, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, env: { OMP_NUM_THREADS: '1' }, onMessage: (m) => {
      seen.push(m);
      if (m.type === 'started') p.cancel(120_000);
    } });
    const final = await p.done;
    assert.equal(final.status, 'stopped', JSON.stringify(final.error));
    assert.equal(p.child.signalCode, null, 'the trainer exited by itself, not by the SIGKILL after the grace time');
    assert.ok(!seen.some((m) => m.type === 'samples' || m.type === 'rouge'), 'nothing was written or scored for the unfinished notes');
    assert.ok(final.logTail.some((l) => /Live ROUGE at step 0 was left unfinished: the run is stopping/.test(l)), final.logTail.join('\n'));
    assert.deepEqual(final.checkpoints.map((c) => c.step), [0]);
  });
});
