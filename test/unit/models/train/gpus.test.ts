import assert from 'node:assert/strict';
import { explainTorchWithoutGpu, parseNvidiaSmi, queryNvidiaSmi } from '../../../../models/train/index';

const MiB = 1024 ** 2;

describe('nvidia-smi (models/train/gpus)', () => {
  it('parses the query output, memory in MiB → bytes, skipping lines it cannot read', () => {
    // As printed on the H100 machine this project's GPU runs used (see README, "Trainer on a GPU").
    const out = '0, NVIDIA H100 80GB HBM3, 81559, 81033, 1, 580.159.04\n1, NVIDIA H100 80GB HBM3, [N/A], [N/A], [N/A], 580.159.04\n\n';
    assert.deepEqual(parseNvidiaSmi(out), [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotal: 81559 * MiB, memoryFree: 81033 * MiB, memoryUsed: 1 * MiB, driver: '580.159.04' }]);
    assert.deepEqual(parseNvidiaSmi('No devices were found\n'), []);
  });

  it('a machine without the driver gets an error that says so, not an exception', async () => {
    const r = await queryNvidiaSmi('/nonexistent/nvidia-smi');
    assert.ok('error' in r);
    assert.match(r.error, /nvidia-smi was not found: this machine has no NVIDIA driver/);
  });

  it('explains a GPU the environment\'s PyTorch cannot use, and stays quiet when there is no GPU at all', () => {
    const smi = { gpus: parseNvidiaSmi('0, NVIDIA H100 80GB HBM3, 81559, 81033, 1, 580.159.04') };
    assert.match(explainTorchWithoutGpu(smi, '2.13.0+cpu')!, /nvidia-smi sees NVIDIA H100 80GB HBM3 \(driver 580\.159\.04\), but .*PyTorch 2\.13\.0\+cpu cannot use it: it is a CPU-only build\. Reinstall/);
    assert.match(explainTorchWithoutGpu(smi, '2.13.0')!, /CUDA build may be newer than the driver/);
    assert.equal(explainTorchWithoutGpu({ error: 'nvidia-smi was not found' }, '2.13.0+cpu'), undefined);
    assert.equal(explainTorchWithoutGpu(undefined, null), undefined);
  });
});
