import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTrainConfig } from '../../../../models/train/index';
import { checkTrainingEnvironment, launchTrainer } from '../../../../models/train/index';
import { projectRoot } from '../../../../core/index';
import type { RunState } from '../../../../models/train/index';

const fixture = join(projectRoot(), 'test', 'fixtures', 'train', 'protocol_trainer.py');

describe('trainer launcher (real subprocesses)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-train-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function resolvedConfig(): string {
    const cfg = { ...defaultTrainConfig(), run_dir: dir, data: { ...defaultTrainConfig().data, train_file: join(dir, 'train.jsonl'), valid_file: join(dir, 'valid.jsonl') } };
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(cfg));
    return file;
  }

  it('the real trainer.py stops with a clear, categorised error where it cannot train (no torch or no GPU here)', async () => {
    const env = await checkTrainingEnvironment();
    const states: RunState[] = [];
    const p = launchTrainer({ configFile: resolvedConfig(), logFile: join(dir, 'trainer.log'), onMessage: (_m, s) => states.push(s) });
    const final = await p.done;
    assert.equal(final.status, 'failed');
    if (!('error' in env) && !env.packages.torch) {
      assert.equal(final.error?.category, 'missing_dependency');
      assert.match(final.error!.message, /lacks torch/);
      assert.match(final.error!.hint, /Set up training environment/);
    } else {
      assert.ok(['no_gpu', 'missing_dependency', 'model', 'data'].includes(final.error!.category), final.error!.category);
    }
  });

  it('the real trainer.py reports a broken config without a traceback', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1');
    const final = await launchTrainer({ configFile: bad, logFile: join(dir, 'trainer.log') }).done;
    assert.equal(final.error?.category, 'config');
    assert.match(final.error!.message, /Could not read the run config/);
  });

  it('the real trainer.py --check-env reports packages and GPUs', async () => {
    const env = await checkTrainingEnvironment();
    assert.ok(!('error' in env), JSON.stringify(env));
    if (!('error' in env)) {
      assert.ok('torch' in env.packages && 'bitsandbytes' in env.packages);
      assert.equal(typeof env.cuda, 'boolean');
    }
  });

  it('cancel sends SIGTERM: the trainer checkpoints and the run ends as stopped; stderr goes to the log', async () => {
    const log = join(dir, 'trainer.log');
    const p = launchTrainer({ script: fixture, configFile: resolvedConfig(), logFile: log, onMessage: (m) => m.type === 'step' && m.step === 3 && p.cancel(5000) });
    const final = await p.done;
    assert.equal(final.status, 'stopped');
    assert.deepEqual(final.trainLoss.map((x) => x.step), [1, 2, 3]);
    assert.deepEqual(final.checkpoints, [{ step: 2, path: 'ckpt/step-2' }]);
    assert.ok(final.logTail.includes('a library printing to stdout'), 'non-protocol stdout is kept as log');
    assert.match(readFileSync(log, 'utf8'), /warning from stderr/);
  });

  it('a killed trainer becomes a "crashed" error with the log tail and a resume hint', async () => {
    const log = join(dir, 'trainer.log');
    const p = launchTrainer({ script: fixture, configFile: resolvedConfig(), logFile: log, onMessage: (m) => m.type === 'step' && m.step === 3 && p.child.kill('SIGKILL') });
    const final = await p.done;
    assert.equal(final.status, 'failed');
    assert.equal(final.error?.category, 'crashed');
    assert.match(final.error!.message, /was killed \(SIGKILL\) at step 3/);
    assert.match(final.error!.message, /warning from stderr/);
    assert.match(final.error!.hint, /continues from the checkpoint at step 2/);
  });

  it('a missing Python interpreter is reported, not thrown', async () => {
    const final = await launchTrainer({ python: join(dir, 'no-such-python'), configFile: resolvedConfig(), logFile: join(dir, 'trainer.log') }).done;
    assert.equal(final.error?.category, 'missing_dependency');
    assert.match(final.error!.message, /Could not start Python/);
  });
});
