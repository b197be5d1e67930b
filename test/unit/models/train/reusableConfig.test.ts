import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { defaultTrainConfig, prepareRun, reusableConfig, validateTrainConfig } from '../../../../models/train/index';

describe('a run\'s config as the settings of a new run ("New Run from This Config")', () => {
  it('drops what prepareRun adds for the trainer, so the settings validate and keep the run\'s choices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medigen-reuse-'));
    try {
      const cfg = { ...defaultTrainConfig(), name: 'run-a', runsDir: join(dir, 'runs'), lora: { ...defaultTrainConfig().lora, r: 8 }, data: { ...defaultTrainConfig().data, corpus: join(projectRoot(), 'datasets', 'sample') } };
      await prepareRun(cfg, dir);
      const raw = JSON.parse(readFileSync(join(dir, 'runs', 'run-a', 'config.json'), 'utf8'));
      assert.ok('train_source' in raw.data && 'run_dir' in raw, 'prepareRun records where its data came from');
      const again = reusableConfig(raw);
      assert.deepEqual(validateTrainConfig(again), []);
      assert.equal(again.name, undefined);
      assert.equal(again.lora.r, 8);
      assert.equal(again.data.corpus, cfg.data.corpus);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
