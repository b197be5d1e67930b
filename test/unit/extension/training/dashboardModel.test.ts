import assert from 'node:assert/strict';
import { initialRunState, parseTrainerLine, reduceRun, type RunState, type TrainerMessage } from '../../../../models/train/index';
import { compareTableHtml, dashboardView, formatDuration, formatGpuMemory, rougeSeries } from '../../../../extension/training/dashboardModel';

const GiB = 1024 ** 3;

/** Folds trainer stdout lines (as trainer.py writes them) into a run state. */
function fold(lines: object[]): RunState {
  return lines.map((l) => parseTrainerLine(JSON.stringify({ medigen: 1, ...l })) as TrainerMessage).reduce(reduceRun, initialRunState());
}

const started = { type: 'started', run_id: 'r', total_steps: 10, device: 'cuda:0', gpus: [], quantization: 'nf4', trainable_params: 1, total_params: 2, resumed_from_step: 0 };
const step = (n: number) => ({ type: 'step', step: n, epoch: 0, loss: 2 / n, lr: 1e-4 * n, tokens_per_second: 1234.4, gpu_memory: 5 * GiB, gpu_memory_peak: 6 * GiB, elapsed: n * 30 });
const run = { name: 'run-a', dir: '/runs/run-a' };

describe('training dashboard view', () => {
  it('shows a running run: step, figures, ETA, charts, and only Cancel', () => {
    const s = fold([started, step(1), step(2), { type: 'eval', step: 2, eval_loss: 1.5 }, step(3), { type: 'log', level: 'warning', message: 'slow disk' }]);
    const v = dashboardView(run, s, { active: true });
    assert.equal(v.status, 'running');
    assert.equal(v.statusText, 'Running: step 3 of 10');
    assert.equal(v.percent, 30);
    const fig = Object.fromEntries(v.figures.map((f) => [f.label, f.value]));
    assert.equal(fig.Step, '3 / 10');
    assert.equal(fig['Training loss'], (2 / 3).toFixed(4));
    assert.equal(fig['Best validation loss'], '1.5000');
    assert.equal(fig['Learning rate'], '3.00e-4');
    assert.equal(fig['Tokens / s'], '1234');
    assert.equal(fig['GPU memory (peak)'], '5.0 GiB (6.0 GiB)');
    assert.equal(fig.Elapsed, '1 min 30 s');
    assert.equal(fig['Time left'], '3 min 30 s'); // 7 steps left at 30 s each
    assert.equal(fig.Device, 'cuda:0');
    assert.match(v.lossChart, /class="chart-line series-train"/);
    assert.match(v.lossChart, /class="chart-point series-eval"/);
    assert.match(v.lrChart, /class="chart-line series-lr"/);
    assert.deepEqual(v.logTail, ['warning: slow disk']);
    assert.deepEqual([v.canCancel, v.canResume, v.canEvaluate], [true, false, false]);
  });

  it('offers Resume for a stopped run and says where it continues', () => {
    const s = fold([started, step(1), step(2), { type: 'checkpoint', step: 2, path: 'ckpt/2' }, step(3), { type: 'stopped', step: 3, checkpoint: 'ckpt/2', reason: 'cancelled' }]);
    const v = dashboardView(run, s, { active: false });
    assert.equal(v.status, 'stopped');
    assert.match(v.statusText, /Stopped at step 3 of 10\. Resume continues from the checkpoint at step 2\./);
    assert.deepEqual([v.canCancel, v.canResume, v.canEvaluate], [false, true, false]);
    assert.equal(v.figures.find((f) => f.label === 'Time left')!.value, '–');
  });

  it('shows an out-of-memory error with its category, hint and what to change', () => {
    const s = fold([started, step(1), { type: 'error', category: 'out_of_memory', message: 'CUDA out of memory. Tried to allocate 2.00 GiB', hint: 'Lower max sequence length.' }]);
    const v = dashboardView(run, s, { active: false });
    assert.equal(v.status, 'failed');
    assert.match(v.statusText, /Failed at step 1 of 10: out of gpu memory/);
    assert.equal(v.error!.title, 'Out of GPU memory');
    assert.equal(v.error!.hint, 'Lower max sequence length.');
    assert.ok(v.error!.advice.some((a) => /gradient checkpointing/.test(a)));
    assert.ok(v.canResume);
  });

  it('offers Evaluate Adapter for a finished run and shows base vs fine-tuned scores', () => {
    const s = fold([started, step(1), { type: 'finished', step: 10, adapter_dir: '/runs/run-a/adapter', train_loss: 0.4, best_eval_loss: 0.5, elapsed: 300, gpu_memory_peak: 7 * GiB }]);
    const v = dashboardView(run, s, {
      active: false,
      evaluation: { createdAt: 'now', split: 'valid', encounters: 20, baseModel: 'b.gguf', adapter: 'a.gguf', rows: [{ group: 'ALL', metric: 'rouge1', base: 0.41234, finetuned: 0.5 }, { group: 'ALL', metric: 'rouge2', base: 0.2, finetuned: 0.15 }] },
    });
    assert.equal(v.status, 'finished');
    assert.deepEqual([v.canCancel, v.canResume, v.canEvaluate], [false, false, true]);
    assert.equal(v.adapterDir, '/runs/run-a/adapter');
    assert.equal(v.percent, 100);
    assert.match(v.evaluation!.title, /20 notes of "valid"/);
    assert.deepEqual(v.evaluation!.rows[0], { group: 'ALL', metric: 'rouge1', base: '41.23', finetuned: '50.00', delta: '+8.77', better: true, worse: false });
    assert.deepEqual(v.evaluation!.rows[1], { group: 'ALL', metric: 'rouge2', base: '20.00', finetuned: '15.00', delta: '-5.00', better: false, worse: true });
    // while the trainer process is still alive, the adapter is not evaluated yet
    assert.equal(dashboardView(run, s, { active: true }).canEvaluate, false);
  });

  it('draws live ROUGE-1/2/L (×100) beside the loss, with the last figures, their cost and what cut notes mean', () => {
    const samples = (n: number) => ({ type: 'samples', step: n, file: `f${n}`, count: 4, indices: [0, 1, 2, 3], max_new_tokens: 256, tokens: 900, cut: 3, elapsed: 42 });
    const lines = [started, samples(0), step(1), step(2), { type: 'eval', step: 2, eval_loss: 1.5 }, samples(2), step(3)];
    // 'rouge' is the launcher's own message (it scores the notes), recorded next to the trainer's.
    const rougeAt = (n: number, r1: number, cut: number, empty = 0): TrainerMessage => ({ type: 'rouge', step: n, rouge1: r1, rouge2: r1 / 3, rougeL: r1 / 2, rougeLsum: r1 / 2, notes: 4, empty, cut, file: `f${n}` });
    let s = fold(lines.slice(0, 2));
    s = reduceRun(s, rougeAt(0, 0.05, 4, 1));
    for (const l of lines.slice(2)) s = reduceRun(s, parseTrainerLine(JSON.stringify({ medigen: 1, ...l }))!);
    s = reduceRun(s, rougeAt(2, 0.3, 3));
    const v = dashboardView(run, s, { active: true });
    assert.deepEqual(rougeSeries(s).map((x) => [x.name, x.className, x.points.map((p) => [p.step, Number(p.value.toFixed(6))])]), [
      ['ROUGE-1', 'series-rouge1', [[0, 5], [2, 30]]],
      ['ROUGE-2', 'series-rouge2', [[0, 1.666667], [2, 10]]],
      ['ROUGE-L', 'series-rougeL', [[0, 2.5], [2, 15]]],
    ]);
    for (const c of ['series-rouge1', 'series-rouge2', 'series-rougeL']) assert.match(v.rougeChart, new RegExp(`class="chart-line ${c}"`));
    assert.match(v.rougeChart, /aria-label="Live ROUGE-1, ROUGE-2 and ROUGE-L/);
    const fig = Object.fromEntries(v.figures.map((f) => [f.label, f.value]));
    assert.equal(fig['Live ROUGE-1 / 2 / L (step 2)'], '30.00 / 10.00 / 15.00');
    assert.equal(fig['Live ROUGE cost'], '4 notes of ≤ 256 tokens: 42 s an evaluation');
    assert.match(v.rougeNote!, /first 4 validation encounters \(the same ones at every step\); step 0 is the model before training/);
    assert.match(v.rougeNote!, /At step 2, 3 of 4 notes stopped at the 256-token limit: cut notes score low/);
    // Before any evaluation (or with live ROUGE off) the chart says what will appear, and no figure pretends.
    const early = dashboardView(run, fold([started, step(1)]), { active: true });
    assert.match(early.rougeChart, /class="chart-empty"[^>]*>ROUGE of notes written during training appears here/);
    assert.equal(early.rougeNote, undefined);
    assert.ok(!early.figures.some((f) => /ROUGE/.test(f.label)));
  });

  it('formats durations and memory for people', () => {
    assert.equal(formatDuration(12.4), '12 s');
    assert.equal(formatDuration(200), '3 min 20 s');
    assert.equal(formatDuration(3900), '1 h 05 min');
    assert.equal(formatDuration(undefined), '–');
    assert.equal(formatGpuMemory(0), '0 (CPU)');
    assert.equal(formatGpuMemory(1.5 * GiB), '1.5 GiB');
  });

  it('builds the comparison table with escaped names and values', () => {
    const html = compareTableHtml('run-<a>', 'run-b', { settings: [{ key: 'lora.r', a: 16, b: 64 }, { key: 'baseModel', a: 'x&y', b: undefined }], figures: [{ key: 'steps', a: 10, b: 12 }, { key: 'final train loss', a: 0.51234, b: undefined }] });
    assert.match(html, /run-&lt;a&gt;/);
    assert.match(html, /<th scope="row"><code>lora\.r<\/code><\/th><td>16<\/td><td>64<\/td>/);
    assert.match(html, /<td>x&amp;y<\/td><td>–<\/td>/);
    assert.match(html, /<th scope="row">final train loss<\/th><td>0\.512<\/td><td>–<\/td>/);
    assert.match(compareTableHtml('a', 'b', { settings: [], figures: [] }), /Both runs used the same settings/);
  });
});
