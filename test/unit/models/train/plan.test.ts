import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { KNOWN_ARCHITECTURES, architectureFromConfig, parameterCounts, type Architecture } from '../../../../models/train/index';
import { DEFAULT_TARGET_MODULES, defaultTrainConfig, validateTrainConfig } from '../../../../models/train/index';
import { adviseFit, estimateMemory, type MemorySettings } from '../../../../models/train/index';
import { initialRunState, parseTrainerLine, reduceRun } from '../../../../models/train/index';
import { slurmScript } from '../../../../models/train/index';

const GiB = 1024 ** 3;
const llama3 = KNOWN_ARCHITECTURES['llama-3-8b']!;
const base = { loraRank: 16, targetModules: DEFAULT_TARGET_MODULES, batchSize: 1, maxSeqLength: 4096, gradientCheckpointing: true };

describe('training plan: architecture and memory estimate', () => {
  it('counts Llama-3-8B at 8.03 B parameters, as published', () => {
    assert.equal(parameterCounts(llama3).total, 8_030_261_248);
  });

  it('reads an architecture from config.json keys', () => {
    const a = architectureFromConfig({ hidden_size: 64, num_hidden_layers: 2, intermediate_size: 128, vocab_size: 300, num_attention_heads: 4 });
    assert.equal(a.kvHeads, 4);
    assert.throws(() => architectureFromConfig({ hidden_size: 64 }), /no usable "num_attention_heads"/);
  });

  it('4-bit weights follow the QLoRA accounting (4.127 bits/param with double quantization)', () => {
    const w = estimateMemory(llama3, base).parts.find((p) => p.label.startsWith('Base weights'))!;
    assert.ok(Math.abs(w.bytes - (parameterCounts(llama3).linear * 4.127) / 8) / w.bytes < 1e-3);
    const noDq = estimateMemory(llama3, { ...base, doubleQuant: false }).parts.find((p) => p.label.startsWith('Base weights'))!;
    assert.ok(noDq.bytes > w.bytes);
  });

  it('LoRA r=16 on all linear layers of Llama-3-8B is 41.9 M trainable parameters', () => {
    const lora = estimateMemory(llama3, base).parts.find((p) => p.label.startsWith('LoRA'))!;
    assert.match(lora.note, /^41\.9 M/);
  });

  it('checkpointing, 4-bit and shorter sequences each lower the estimate', () => {
    const t = (s: Partial<typeof base> & { load4bit?: boolean }) => estimateMemory(llama3, { ...base, ...s }).total;
    assert.ok(t({ gradientCheckpointing: false }) > t({}));
    assert.ok(t({ load4bit: false }) > t({}) + 10 * GiB);
    assert.ok(t({ maxSeqLength: 2048 }) < t({}));
    assert.ok(t({ batchSize: 4 }) > t({}));
  });

  it('says when a run does not fit and what to change, step by step', () => {
    const advice = adviseFit(llama3, { ...base, gradientCheckpointing: false, batchSize: 4 }, 24 * GiB);
    assert.equal(advice.fits, false);
    assert.match(advice.suggestions.at(-1)!, /\(fits\)$/);
    assert.ok(advice.suggestions.some((s) => /gradient checkpointing/.test(s)));
    assert.equal(adviseFit(llama3, base, 80 * GiB).fits, true);
  });
});

describe('training config', () => {
  it('the defaults are valid', () => assert.deepEqual(validateTrainConfig(defaultTrainConfig()), []));

  it('reports unknown keys, wrong types and out-of-range values with their path', () => {
    const c = defaultTrainConfig() as unknown as Record<string, Record<string, unknown>>;
    c.lora!.rank = 8;
    c.training!.learningRate = 'fast';
    c.training!.batchSize = 0;
    c.quantization!.quantType = 'int3';
    const paths = validateTrainConfig(c).map((p) => p.path).sort();
    assert.deepEqual(paths, ['lora.rank', 'quantization.quantType', 'training.batchSize', 'training.learningRate']);
  });
});

describe('trainer protocol', () => {
  it('parses messages, keeps other stdout as log, and flags another protocol version', () => {
    assert.deepEqual(parseTrainerLine('{"medigen": 1, "type": "eval", "step": 5, "eval_loss": 1.5}'), { type: 'eval', step: 5, evalLoss: 1.5 });
    assert.deepEqual(parseTrainerLine('Loading checkpoint shards: 50%'), { type: 'log', level: 'info', message: 'Loading checkpoint shards: 50%' });
    assert.equal(parseTrainerLine('{"medigen": 2, "type": "step"}')?.type, 'error');
    assert.equal(parseTrainerLine('   '), undefined);
  });

  it('folds messages into dashboard state with an ETA from the pace since (re)start', () => {
    let s = initialRunState();
    s = reduceRun(s, parseTrainerLine('{"medigen":1,"type":"started","run_id":"r","total_steps":100,"device":"H100","gpus":[],"quantization":"nf4","trainable_params":1,"total_params":2,"resumed_from_step":50}')!);
    s = reduceRun(s, parseTrainerLine('{"medigen":1,"type":"step","step":60,"epoch":1,"loss":1.2,"lr":0.0001,"tokens_per_second":900,"gpu_memory":5,"gpu_memory_peak":7,"elapsed":20}')!);
    assert.equal(s.status, 'running');
    assert.equal(s.eta, 80, '40 steps left at 2 s per step');
    assert.deepEqual(s.trainLoss, [{ step: 60, value: 1.2 }]);
    s = reduceRun(s, { type: 'error', category: 'out_of_memory', message: 'm', hint: 'h' });
    assert.equal(s.status, 'failed');
  });
});

describe('SLURM script', () => {
  it('requests the GPUs, resumes on requeue and forwards TERM to the trainer', () => {
    const text = slurmScript(defaultTrainConfig(), { jobName: 'medigen run', runDir: "/scratch/o'neil/run1", trainerPath: '/opt/medigen/trainer.py', venv: '/opt/venv', gpus: 4 });
    assert.match(text, /^#!\/bin\/bash/);
    assert.match(text, /#SBATCH --gres=gpu:4/);
    assert.match(text, /#SBATCH --job-name=medigen_run/);
    assert.match(text, /accelerate launch --multi_gpu --num_machines 1 --num_processes 4 --mixed_precision no --dynamo_backend no '\/opt\/medigen\/trainer.py'/);
    assert.match(slurmScript(defaultTrainConfig(), { jobName: 'one', runDir: '/r', trainerPath: '/t.py', venv: '/v', gpus: 1 }), /\npython -u '\/t.py' --config/);
    assert.match(text, /RUN_DIR='\/scratch\/o'\\''neil\/run1'/);
    assert.match(text, /RESUME="--resume"/);
  });
});

describe('memory estimate against peaks measured on an H100 (test/fixtures/train/h100-memory-runs.json)', () => {
  const fixture = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'train', 'h100-memory-runs.json'), 'utf8')) as {
    runs: { name: string; architecture: Architecture; settings: MemorySettings; torchPeak?: number; smiPeak?: number; estimateBefore?: number; outOfMemory?: boolean }[];
  };
  for (const r of fixture.runs.filter((x) => x.outOfMemory)) {
    it(`the preflight says it will not fit on an 80 GB card: ${r.name} (it ran out of memory there)`, () => {
      assert.equal(adviseFit(r.architecture, r.settings, 80 * GiB).fits, false);
    });
  }
  for (const r of fixture.runs.filter((x): x is typeof x & { torchPeak: number; smiPeak: number } => !x.outOfMemory)) {
    it(`within 15% of what nvidia-smi saw: ${r.name}`, () => {
      const est = estimateMemory(r.architecture, r.settings);
      const ratio = est.total / r.smiPeak;
      assert.ok(Math.abs(ratio - 1) <= 0.15, `estimate ${(est.total / GiB).toFixed(2)} GiB vs measured ${(r.smiPeak / GiB).toFixed(2)} GiB (${ratio.toFixed(2)}x)`);
      const context = est.parts.find((p) => p.label.startsWith('CUDA context'))!.bytes;
      assert.ok(est.total - context <= r.torchPeak * 1.15, 'what PyTorch allocates is not overestimated by more than 15% either');
    });
  }
});
