import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { setupTrainingEnvironment } from '../../models/train/index';
import { requireVenv } from './fixture';

// `medigen train setup` on the suite's real environment, offline (pip --no-index): everything in
// requirements.txt is already there, so only bitsandbytes could be fetched, and only it fails.
describe('training environment setup: bitsandbytes only where CUDA is', function () {
  this.timeout(300_000);
  const venv = () => dirname(dirname(requireVenv()));

  it('without a CUDA GPU (no nvidia-smi here) installs the trainer\'s packages and leaves bitsandbytes out, saying so', async () => {
    const r = await setupTrainingEnvironment({ venv: venv(), pipArgs: ['--no-index'] });
    assert.equal(r.fourBit, false);
    assert.match(r.fourBitNote ?? '', /No CUDA GPU here, so bitsandbytes \(4-bit QLoRA\) was not installed/);
  });

  it('with CUDA it does try bitsandbytes, and a failure leaves a working plain-LoRA environment with the reason', async () => {
    const r = await setupTrainingEnvironment({ venv: venv(), pipArgs: ['--no-index'], cuda: true });
    assert.equal(r.fourBit, false);
    assert.match(r.fourBitNote ?? '', /bitsandbytes \(4-bit QLoRA\) could not be installed, so runs will train plain LoRA/);
    assert.match(r.fourBitNote ?? '', /bitsandbytes/);
  });
});
