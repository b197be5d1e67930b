import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { defaultTrainConfig, type TrainConfig } from '../../../../models/train/index';
import type { RunState } from '../../../../models/train/index';
import { listRuns, replayRun } from '../../../../models/train/index';
import { RunManager, resolveConfigPaths } from '../../../../models/train/index';

const fixture = join(projectRoot(), 'test', 'fixtures', 'train', 'protocol_trainer.py');
const sample = join(projectRoot(), 'datasets', 'sample');

/** Resolves with the first state that passes `test`. */
function waitFor(manager: RunManager, dir: string, test: (s: RunState) => boolean): Promise<RunState> {
  return new Promise((resolve) => {
    const on = (d: string, s: RunState) => {
      if (d === dir && test(s)) {
        manager.off('state', on);
        resolve(s);
      }
    };
    manager.on('state', on);
  });
}

describe('training run manager (real subprocess: the protocol fixture trainer)', () => {
  let base: string;
  before(() => (base = mkdtempSync(join(tmpdir(), 'medigen-runs-'))));
  after(() => rmSync(base, { recursive: true, force: true }));

  it('launches a run, follows it to step 3, cancels it (stopped) and resumes it', async () => {
    const manager = new RunManager();
    const cfg: TrainConfig = { ...defaultTrainConfig(), name: 'fixture-run', runsDir: 'runs', device: 'cpu', data: { ...defaultTrainConfig().data, corpus: sample, maxSeqLength: 512 } };
    const ended: string[] = [];
    manager.on('ended', (_d, s) => ended.push(s.status));
    const run = await manager.launch(cfg, base, { script: fixture });
    assert.equal(run.dir, join(base, 'runs', 'fixture-run'));
    assert.ok(existsSync(run.paths.trainData) && existsSync(run.paths.validData), 'instruction data written');
    const at3 = await waitFor(manager, run.dir, (s) => s.step >= 3);
    assert.equal(at3.status, 'running');
    assert.equal(at3.totalSteps, 100);
    assert.deepEqual(at3.checkpoints, [{ step: 2, path: 'ckpt/step-2' }]);
    assert.ok(at3.logTail.includes('a library printing to stdout'));
    assert.equal(manager.activeRun(run.dir), run);
    assert.equal(manager.state(run.dir).step, 3);
    assert.equal(manager.cancel(run.dir), true);
    const final = await run.done;
    assert.equal(final.status, 'stopped');
    assert.equal(final.step, 3);
    assert.deepEqual(ended, ['stopped']);
    assert.equal(manager.activeRun(run.dir), undefined);
    assert.equal(manager.cancel(run.dir), false, 'nothing left to cancel');
    // the run folder replays to the same state, and the history lists it
    assert.equal(replayRun(run.dir).status, 'stopped');
    assert.deepEqual(listRuns(join(base, 'runs')).map((r) => [r.name, r.state.status]), [['fixture-run', 'stopped']]);
    assert.match(readFileSync(run.paths.log, 'utf8'), /warning from stderr/);

    const again = manager.resume(run.dir, { script: fixture });
    assert.throws(() => manager.resume(run.dir, { script: fixture }), /still running/);
    const resumed = await waitFor(manager, run.dir, (s) => s.status === 'running' && s.step >= 3);
    // the earlier curve is kept (one point per step after cleaning), the new steps continue it
    assert.ok(resumed.trainLoss.length >= 3);
    manager.cancel(run.dir);
    assert.equal((await again.done).status, 'stopped');
  });

  it('reports a trainer that cannot start as a failed run with what to do', async () => {
    const manager = new RunManager();
    const cfg: TrainConfig = { ...defaultTrainConfig(), name: 'no-python', runsDir: join(base, 'other'), data: { ...defaultTrainConfig().data, corpus: sample } };
    const run = await manager.launch(cfg, base, { python: join(base, 'no-such-python'), script: fixture });
    const final = await run.done;
    assert.equal(final.status, 'failed');
    assert.equal(final.error?.category, 'missing_dependency');
    assert.match(final.error!.hint, /Set up the training environment/);
  });

  it('resolves relative file settings against the training folder when the files are there', () => {
    mkdirSync(join(base, 'models', 'tiny'), { recursive: true });
    writeFileSync(join(base, 'models', 'tiny', 'config.json'), '{}');
    mkdirSync(join(base, 'corpus'), { recursive: true });
    writeFileSync(join(base, 'my-train.csv'), 'dataset,encounter_id,dialogue,note\n');
    const cfg: TrainConfig = { ...defaultTrainConfig(), baseModel: 'models/tiny', data: { ...defaultTrainConfig().data, train: 'my-train.csv', corpus: 'corpus', template: 'missing.txt' } };
    const r = resolveConfigPaths(cfg, base);
    assert.equal(r.baseModel, join(base, 'models', 'tiny'));
    assert.equal(r.data.train, join(base, 'my-train.csv'));
    assert.equal(r.data.valid, 'valid', 'a split name stays a split name');
    assert.equal(r.data.corpus, join(base, 'corpus'));
    assert.equal(r.data.template, 'missing.txt', 'a missing file is left for the library to report');
    assert.equal(resolveConfigPaths(defaultTrainConfig(), base).baseModel, 'meta-llama/Meta-Llama-3-8B-Instruct');
  });
});
