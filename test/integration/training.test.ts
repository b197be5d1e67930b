/**
 * Fine-tuning in a real VS Code: the run form (drawn by its webview, live validation, Save Config
 * writing a file the CLI's loader accepts), a launch with the protocol fixture trainer
 * (test/fixtures/train/protocol_trainer.py: speaks trainer.py's protocol without torch), the
 * dashboard drawing step 3, Cancel → stopped, Resume, the run in the history tree, two runs
 * compared, Evaluate Adapter on a finished run (tiny GGUF model + a PEFT adapter written here), and
 * the live ROUGE curve (test/fixtures/train/live_rouge_trainer.py writes notes files; the launcher
 * scores them) on the dashboard and in the history.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MedigenLabApi } from '../../extension/extension';
import type { RunComparison } from '../../extension/training/comparePanel';
import type { EvaluationSummary } from '../../extension/training/dashboardModel';
import type { DashboardPanel } from '../../extension/training/dashboardPanel';
import type { TrainFormPanel } from '../../extension/training/formPanel';
import type { ActiveRun } from '../../models/train/index';
import { defaultTrainConfig, loadTrainConfig, validateTrainConfig } from '../../models/train/index';
import { ensureTinyModels } from '../../models/tiny/index';
import { writeTinyPeftAdapter } from '../unit/models/train/tinyPeft';

// This bundle lives in <repo>/out/test/integration/.
const repoRoot = join(__dirname, '..', '..', '..');
const fixtureTrainer = join(repoRoot, 'test', 'fixtures', 'train', 'protocol_trainer.py');
const liveRougeTrainer = join(repoRoot, 'test', 'fixtures', 'train', 'live_rouge_trainer.py');

/** Polls until `fn` returns a value other than undefined/false, or fails after `ms`. */
async function until<T>(fn: () => T | undefined | false, what: string, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Fine-tuning in VS Code', function () {
  this.timeout(120_000);
  let api: MedigenLabApi;
  let folder: string;
  const settings = () => vscode.workspace.getConfiguration('medigenLab');

  before(async () => {
    api = await vscode.extensions.getExtension<MedigenLabApi>('medigen-lab.medigen-lab')!.activate();
    folder = mkdtempSync(join(tmpdir(), 'medigen-training-it-'));
    await settings().update('trainingFolder', folder, vscode.ConfigurationTarget.Global);
    await settings().update('trainerScript', fixtureTrainer, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    api?.training.manager.cancelAll(1000);
    // MEDIGEN_TEST_SHOW=form|dashboard|evaluation leaves that page open for runTests.ts --screenshot.
    const show = process.env.MEDIGEN_TEST_SHOW;
    if (show === 'form') return void form?.panel.reveal();
    if (show === 'dashboard' && launched[0]) return void (await vscode.commands.executeCommand('medigenLab.openTrainingRun', launched[0].dir));
    if (show === 'evaluation') return void (await vscode.commands.executeCommand('medigenLab.openTrainingRun', join(folder, 'runs', 'run-done')));
    await settings().update('trainerScript', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('trainingFolder', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
  });

  let form: TrainFormPanel;
  const launched: ActiveRun[] = [];

  it('opens the run form with the study defaults, drawn and validated by its webview', async () => {
    form = (await vscode.commands.executeCommand<TrainFormPanel>('medigenLab.newTrainingRun'))!;
    assert.ok(form, 'the command returned no form');
    assert.equal(form.config.lora.r, 16);
    assert.equal(form.config.quantization.quantType, 'nf4');
    await until(() => form.renderedProblems === 0, 'the form page to draw the defaults without problems');
    // live validation: the page shows the problem of a bad value, then clears it
    assert.equal(await form.setInputs({ 'lora.r': 'sixteen' }), 1);
    assert.deepEqual(form.problems.map((p) => p.path), ['lora.r']);
    assert.equal(await form.setInputs({ 'lora.r': '8', name: 'run-a', runsDir: join(folder, 'runs'), device: 'cpu', 'data.maxSeqLength': '512' }), 0);
    // the preflight ran: an estimate for Llama-3-8B (guessed from the default model's name)
    const memory = await until(() => form.memory, 'the memory estimate');
    assert.ok(!('error' in memory), JSON.stringify(memory));
    assert.match(memory.model, /Llama-3-8B/);
  });

  it('saves a config file that the CLI (medigen train --config) accepts', async () => {
    const file = join(folder, 'medigen-train.json');
    assert.equal(await form.save(file), file);
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(validateTrainConfig(raw), []);
    const cfg = loadTrainConfig(file);
    assert.equal(cfg.lora.r, 8);
    assert.equal(cfg.name, 'run-a');
    assert.equal(cfg.device, 'cpu');
    assert.equal(cfg.data.maxSeqLength, 512);
  });

  it('launches a run whose dashboard reaches step 3, and Cancel stops it', async () => {
    const run = (await form.launch())!;
    assert.ok(run, 'launch returned no run');
    launched.push(run);
    assert.equal(run.dir, join(folder, 'runs', 'run-a'));
    const dashboard = await until(() => api.training.dashboard(run.dir), 'the dashboard to open');
    await dashboard.whenRendered((r) => r.step >= 3);
    assert.equal(dashboard.rendered.status, 'running');
    const view = dashboard.view();
    assert.equal(view.canCancel, true);
    assert.match(view.lossChart, /class="chart-line series-train"/);
    assert.equal(await vscode.commands.executeCommand<boolean>('medigenLab.cancelTrainingRun', run.dir), true);
    const final = await run.done;
    assert.equal(final.status, 'stopped');
    await dashboard.whenRendered((r) => r.status === 'stopped');
    assert.equal(dashboard.view().canResume, true);
    assert.match(dashboard.view().statusText, /Stopped at step 3 of 100\. Resume continues from the checkpoint at step 2/);
  });

  it('resumes the stopped run from its dashboard\'s Resume button', async () => {
    const dir = launched[0]!.dir;
    const dashboard = api.training.dashboard(dir)!;
    await dashboard.receive({ type: 'resume' });
    const active = await until(() => api.training.manager.activeRun(dir), 'the resumed trainer');
    await dashboard.whenRendered((r) => r.status === 'running' && r.step >= 3);
    assert.equal(dashboard.view().canResume, false);
    await dashboard.receive({ type: 'cancel' });
    assert.equal((await active.done).status, 'stopped');
    await dashboard.whenRendered((r) => r.status === 'stopped');
  });

  it('lists the run in the history, and opens its dashboard from there', async () => {
    const dir = launched[0]!.dir;
    const items = api.training.history.getChildren();
    const item = items.find((i) => i.id === dir);
    assert.ok(item, `run missing from history: ${items.map((i) => i.id).join(', ')}`);
    assert.equal(item.contextValue, 'trainingRun-stopped');
    assert.match(String(item.description), /^stopped · step 3\/100/);
    assert.deepEqual(item.command?.arguments, [dir]);
    const panel = await vscode.commands.executeCommand<DashboardPanel>('medigenLab.openTrainingRun', dir);
    assert.equal(panel?.dir, dir);
  });

  it('compares two runs side by side', async () => {
    form = (await vscode.commands.executeCommand<TrainFormPanel>('medigenLab.newTrainingRun', launched[0]!.dir))!;
    // "New Run from This Config": the first run's settings, without its name
    assert.equal(form.config.lora.r, 8);
    assert.equal(form.config.name, undefined);
    await until(() => form.renderedProblems >= 0, 'the second form to draw');
    assert.equal(await form.setInputs({ 'lora.r': '32', name: 'run-b' }), 0);
    const run = (await form.launch())!;
    launched.push(run);
    const dashboard = await until(() => api.training.dashboard(run.dir), 'the second dashboard');
    await dashboard.whenRendered((r) => r.step >= 3);
    await vscode.commands.executeCommand('medigenLab.cancelTrainingRun', run.dir);
    assert.equal((await run.done).status, 'stopped');
    const cmp = (await vscode.commands.executeCommand<RunComparison>('medigenLab.compareTrainingRuns', launched[0]!.dir, run.dir))!;
    assert.equal(cmp.a, 'run-a');
    assert.equal(cmp.b, 'run-b');
    assert.deepEqual(cmp.settings.find((s) => s.key === 'lora.r'), { key: 'lora.r', a: 8, b: 32 });
    assert.deepEqual(cmp.figures.find((f) => f.key === 'steps'), { key: 'steps', a: 3, b: 3 });
    assert.equal(api.training.history.getChildren().length, 2);
  });

  it('evaluates a finished run\'s adapter and shows base vs fine-tuned scores', async () => {
    const { model } = await ensureTinyModels();
    const dir = join(folder, 'runs', 'run-done');
    await writeTinyPeftAdapter(join(dir, 'adapter'));
    const cfg = { ...defaultTrainConfig(), name: 'run-done', runsDir: join(folder, 'runs'), data: { ...defaultTrainConfig().data, corpus: join(repoRoot, 'datasets', 'sample') } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, run_dir: dir }));
    const messages = [
      { type: 'started', runId: 'run-done', totalSteps: 5, device: 'cuda:0', gpus: [], quantization: 'nf4', trainableParams: 1, totalParams: 2, resumedFromStep: 0 },
      { type: 'step', step: 5, epoch: 1, loss: 0.9, lr: 1e-4, tokensPerSecond: 900, gpuMemory: 1, gpuMemoryPeak: 2, elapsed: 60 },
      { type: 'finished', step: 5, adapterDir: join(dir, 'adapter'), trainLoss: 0.9, bestEvalLoss: null, elapsed: 60, gpuMemoryPeak: 2 },
    ];
    writeFileSync(join(dir, 'protocol.jsonl'), messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
    await vscode.commands.executeCommand('medigenLab.refreshTrainingRuns');
    assert.equal(api.training.history.getChildren().find((i) => i.id === dir)?.contextValue, 'trainingRun-finished');
    const dashboard = (await vscode.commands.executeCommand<DashboardPanel>('medigenLab.openTrainingRun', dir))!;
    assert.equal(dashboard.view().canEvaluate, true);
    const s = settings();
    await s.update('model', model, vscode.ConfigurationTarget.Global);
    await s.update('threads', 1, vscode.ConfigurationTarget.Global);
    await s.update('maxTokens', 40, vscode.ConfigurationTarget.Global);
    await s.update('evaluateLimit', 2, vscode.ConfigurationTarget.Global);
    try {
      const summary = await vscode.commands.executeCommand<EvaluationSummary>('medigenLab.evaluateAdapter', dir);
      assert.ok(summary, 'Evaluate Adapter returned nothing (see the error notification)');
      assert.equal(summary.encounters, 2);
      assert.equal(summary.split, 'valid');
      const all = summary.rows.find((r) => r.group === 'ALL' && r.metric === 'rouge1')!;
      assert.ok(all.base >= 0 && all.base <= 1 && all.finetuned >= 0 && all.finetuned <= 1, JSON.stringify(all));
      const view = dashboard.view();
      assert.match(view.evaluation!.title, /2 notes of "valid"/);
      assert.equal(view.evaluation!.rows.length, summary.rows.length);
    } finally {
      for (const k of ['model', 'threads', 'maxTokens', 'evaluateLimit']) await s.update(k, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('draws the live ROUGE curve the launcher scored, and the history shows the last ROUGE-L', async () => {
    const d = defaultTrainConfig();
    const cfg = { ...d, name: 'run-rouge', runsDir: join(folder, 'runs'), device: 'cpu' as const, data: { ...d.data, corpus: join(repoRoot, 'datasets', 'sample'), maxSeqLength: 512 }, training: { ...d.training, liveRougeSamples: 2 } };
    const run = await api.training.manager.launch(cfg, folder, { script: liveRougeTrainer });
    const final = await run.done;
    assert.equal(final.status, 'finished');
    assert.deepEqual(final.liveRouge.map((p) => p.step), [0, 2, 4]);
    const dashboard = (await vscode.commands.executeCommand<DashboardPanel>('medigenLab.openTrainingRun', run.dir))!;
    await dashboard.whenRendered((r) => r.status === 'finished');
    const view = dashboard.view();
    for (const c of ['series-rouge1', 'series-rouge2', 'series-rougeL']) assert.match(view.rougeChart, new RegExp(`class="chart-line ${c}"`));
    const last = final.liveRouge.at(-1)!;
    assert.equal(view.figures.find((f) => f.label === 'Live ROUGE-1 / 2 / L (step 4)')?.value, [last.rouge1, last.rouge2, last.rougeL].map((v) => (v * 100).toFixed(2)).join(' / '));
    await vscode.commands.executeCommand('medigenLab.refreshTrainingRuns');
    const item = api.training.history.getChildren().find((i) => i.id === run.dir);
    assert.match(String(item?.description), new RegExp(`ROUGE-L ${(last.rougeL * 100).toFixed(1)}$`));
  });
});
