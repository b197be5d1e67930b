import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';
import { defaultTrainConfig } from '../../../models/train/index';
import { launchTrainer } from '../../../models/train/index';
import { listRuns, prepareRun, replayRun } from '../../../models/train/index';
import { setupTrainingEnvironment } from '../../../models/train/index';
import { projectRoot } from '../../../core/index';

describe('medigen train (CLI and run folders)', function () {
  this.timeout(120_000);
  let dir: string;
  let cwd: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-traincli-'));
    cwd = process.cwd();
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('init writes the study defaults and refuses to overwrite', async () => {
    let r = await runCli(['train', 'init']);
    assert.equal(r.code, 0, r.stderr);
    const cfg = JSON.parse(readFileSync(join(dir, 'medigen-train.json'), 'utf8'));
    assert.equal(cfg.lora.r, 16);
    assert.equal(cfg.quantization.quantType, 'nf4');
    r = await runCli(['train', 'init']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /was not overwritten/);
  });

  it('estimate prints the breakdown and fails with advice when it will not fit', async () => {
    let r = await runCli(['train', 'estimate', '--model', 'llama-3-8b', '--free-gib', '80']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Base weights \(4-bit NF4\)/);
    assert.match(r.stdout, /It fits in 80\.00 GiB/);
    r = await runCli(['train', 'estimate', '--model', 'llama-3-8b', '--free-gib', '8']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /will NOT fit/);
    r = await runCli(['train', 'estimate']);
    assert.equal(r.code, 2);
  });

  it('a bad config is reported with every problem and its path', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ version: 1, lora: { r: 'big' }, training: { batchSize: 0 }, tokenizer: 'x' }));
    const r = await runCli(['train', '--config', 'bad.json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /"lora.r" must be a number/);
    assert.match(r.stderr, /"training.batchSize" must be between 1/);
    assert.match(r.stderr, /"tokenizer" is not a setting/);
  });

  it('launching on this machine stops before any work with what is missing and how to fix it', async () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(defaultTrainConfig()));
    const r = await runCli(['train', '--config', 'ok.json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /(lacks torch|No CUDA GPU)/);
    assert.match(r.stderr, /What to do: /);
    assert.ok(!existsSync(join(dir, 'runs')), 'no run folder is created when the preflight fails');
  });

  it('prepares a run folder with instruction data, replays its history and lists it', async () => {
    const { paths, reports } = await prepareRun({ ...defaultTrainConfig(), name: 'first' }, dir);
    const first = JSON.parse(readFileSync(paths.trainData, 'utf8').split('\n')[0]!);
    assert.deepEqual(first.messages.map((m: { role: string }) => m.role), ['system', 'user', 'assistant'], 'chat examples: system, user, assistant');
    assert.equal(reports.train!.examples.length, readFileSync(paths.trainData, 'utf8').trim().split('\n').length);
    const resolved = JSON.parse(readFileSync(paths.config, 'utf8'));
    assert.equal(join(paths.dir, resolved.data.train_file), paths.trainData, 'data paths are relative to the run folder');
    await assert.rejects(prepareRun({ ...defaultTrainConfig(), name: 'first' }, dir), /already exists/);

    const fixture = join(projectRoot(), 'test', 'fixtures', 'train', 'protocol_trainer.py');
    const p = launchTrainer({ script: fixture, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, onMessage: (m) => m.type === 'step' && m.step === 3 && p.cancel(5000) });
    await p.done;
    const replayed = replayRun(paths.dir);
    assert.equal(replayed.status, 'stopped');
    assert.equal(replayed.trainLoss.length, 3);
    const r = await runCli(['train', 'runs', '--runs-dir', join(dir, 'runs')]);
    assert.match(r.stdout, /first\s+stopped\s+step 3\/100\s+loss 1\.000/);
    assert.equal(listRuns(join(dir, 'runs')).length, 1);
  });

  it('setup says plainly when the package index cannot be reached', async () => {
    await assert.rejects(
      // pip sees only an index nobody answers on (no config files, no find-links): offline.
      setupTrainingEnvironment({
        venv: join(dir, 'venv'),
        pipArgs: ['--index-url', 'http://127.0.0.1:9/simple', '--retries', '0'],
        env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_'))), PIP_CONFIG_FILE: '/dev/null' },
      }),
      (e: Error & { hint?: string }) => /cannot reach the Python package index/.test(e.message) && /--index-url/.test(e.hint ?? ''),
    );
    assert.ok(existsSync(join(dir, 'venv')), 'the virtual environment itself was created');
  });
});
