import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTrainingEnvironment, defaultTrainConfig, describeMachine, prepareCourseSetting, runVerdict, validateTrainConfig } from '../../models/train/index';
import { CORPUS, requireVenv, scratchDir } from './fixture';

/** The CPU course setting as a student without a GPU gets it: the course model made by the real maker in the training environment. */
describe('the CPU course setting (course model made in the training environment)', function () {
  this.timeout(900_000);

  it('makes the course llama from ACI-BENCH train (once) and returns a setting this machine can run', async () => {
    const python = requireVenv();
    const out = join(scratchDir(), 'course-llama');
    const base = { ...defaultTrainConfig(), data: { ...defaultTrainConfig().data, corpus: CORPUS }, runsDir: 'my-runs' };
    const cfg = await prepareCourseSetting({ python, base, out });
    assert.equal(cfg.baseModel, out);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) assert.ok(existsSync(join(out, f)), f);
    const hf = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.equal(hf.hidden_size, 128);
    assert.ok(hf.vocab_size > 256 && hf.vocab_size < 1000, `a small BPE vocabulary learned from the notes (${hf.vocab_size})`);
    assert.deepEqual(validateTrainConfig(cfg), []);
    assert.equal(cfg.runsDir, 'my-runs', 'the student\'s runs folder is kept');
    const env = await checkTrainingEnvironment(python);
    assert.ok(!('error' in env), JSON.stringify(env));
    assert.equal(runVerdict(cfg, describeMachine(env)).canRun, true);
    const again = await prepareCourseSetting({ python, base, out });
    assert.equal(again.baseModel, out, 'made once, then reused');
  });

  it('says what to do when the training environment cannot be run', async () => {
    await assert.rejects(prepareCourseSetting({ python: join(scratchDir(), 'no-python'), base: { ...defaultTrainConfig(), data: { ...defaultTrainConfig().data, corpus: CORPUS } }, out: join(scratchDir(), 'never') }), (e: Error & { hint?: string }) => /Could not run/.test(e.message) && /Set Up Training Environment/.test(e.hint ?? ''));
  });
});
