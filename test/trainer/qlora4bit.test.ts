import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTrainConfig, launchTrainer, prepareRun, type TrainConfig, type TrainerMessage } from '../../models/train/index';
import { CORPUS, VENV_PYTHON, requireVenv, scratchDir, tinyHfModel } from './fixture';

/**
 * The trainer's 4-bit QLoRA path (bitsandbytes NF4 base, prepare_model_for_kbit_training, LoRA on
 * top, live ROUGE generating from the 4-bit model). bitsandbytes needs a CUDA GPU and is not
 * installable on the machines the project is built on, so this runs only where the training
 * environment imports bitsandbytes and sees a GPU; elsewhere it is reported as NOT RUN (mocha's
 * "pending"), with the reason, and nothing of the 4-bit path counts as tested.
 */
function fourBitAvailable(): { ok: true; versions: string } | { ok: false; why: string } {
  const probe = spawnSync(VENV_PYTHON, ['-c', 'import json, torch\ntry:\n import bitsandbytes as b; v = b.__version__\nexcept Exception as e:\n v = None; err = f"{type(e).__name__}: {e}"\nprint(json.dumps({"bnb": v, "err": None if v else err, "cuda": torch.cuda.is_available(), "torch": torch.__version__}))'], { encoding: 'utf8' });
  const line = probe.stdout.trim().split('\n').at(-1) ?? '';
  if (probe.status !== 0 || !line.startsWith('{')) return { ok: false, why: `the training environment could not be asked (${probe.stderr.trim().split('\n').at(-1) ?? 'no output'})` };
  const r = JSON.parse(line) as { bnb: string | null; err: string | null; cuda: boolean; torch: string };
  if (!r.bnb) return { ok: false, why: `bitsandbytes is not importable in ${VENV_PYTHON} (${r.err})` };
  if (!r.cuda) return { ok: false, why: `bitsandbytes ${r.bnb} is installed but torch ${r.torch} sees no CUDA GPU` };
  return { ok: true, versions: `bitsandbytes ${r.bnb}, torch ${r.torch}` };
}

describe('the 4-bit QLoRA path: NF4 base with double quantization (needs bitsandbytes and a CUDA GPU)', function () {
  this.timeout(900_000);
  let messages: TrainerMessage[];
  let runDir: string;

  before(async function () {
    requireVenv();
    const available = fourBitAvailable();
    if (!available.ok) {
      process.stderr.write(`      NOT RUN: the 4-bit QLoRA path was not tested on this machine: ${available.why}. Its tests below are pending, not passed.\n`);
      this.skip();
    }
    process.stderr.write(`      running the 4-bit path with ${available.ok ? available.versions : ''}\n`);
    const model = await tinyHfModel();
    const d = defaultTrainConfig();
    const cfg: TrainConfig = {
      ...d,
      baseModel: model,
      device: 'cuda',
      name: 'qlora-4bit',
      runsDir: join(scratchDir(), 'runs'),
      data: { ...d.data, train: 'train', valid: 'valid', corpus: CORPUS, maxSeqLength: 128 },
      quantization: { load4bit: true, doubleQuant: true, quantType: 'nf4', computeDtype: 'bfloat16' },
      lora: { ...d.lora, r: 8, alpha: 16, dropout: 0 },
      training: { ...d.training, maxSteps: 40, learningRate: 1e-2, batchSize: 3, gradientAccumulation: 2, gradientCheckpointing: true, logEvery: 1, evalEvery: 20, checkpointEvery: 20, liveRougeSamples: 2, liveRougeMaxTokens: 32 },
    };
    const { paths } = await prepareRun(cfg);
    runDir = paths.dir;
    messages = [];
    const state = await launchTrainer({ python: VENV_PYTHON, configFile: paths.config, logFile: paths.log, protocolFile: paths.protocol, onMessage: (m) => messages.push(m) }).done;
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
  });

  it('loads the base in 4-bit NF4 with double quantization (no fallback to a 16-bit base)', () => {
    const started = messages.find((m) => m.type === 'started');
    assert.ok(started && started.type === 'started');
    assert.equal(started.quantization, 'nf4-4bit+double-quant');
    assert.ok(!messages.some((m) => m.type === 'log' && /4-bit QLoRA is OFF/.test(m.message)));
  });

  it('trains: the loss falls, GPU memory is reported, checkpoints and the adapter are saved', () => {
    const steps = messages.flatMap((m) => (m.type === 'step' ? [m] : []));
    assert.equal(steps.length, 40);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(steps.slice(0, 10).map((s) => s.loss)) > mean(steps.slice(-10).map((s) => s.loss)));
    assert.ok(steps.every((s) => s.gpuMemoryPeak > 0));
    for (const f of ['adapter_model.safetensors', 'adapter_config.json']) assert.ok(existsSync(join(runDir, 'adapter', f)), f);
    assert.ok(existsSync(join(runDir, 'checkpoints', 'step-20', 'trainer_state.pt')));
  });

  it('live ROUGE generates from the 4-bit model at step 0 and each evaluation', () => {
    assert.deepEqual(messages.flatMap((m) => (m.type === 'rouge' ? [m.step] : [])), [0, 20, 40]);
  });
});
