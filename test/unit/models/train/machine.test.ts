import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COURSE_MODEL_SHAPE, GPU_PATHS, cpuCourseConfig, defaultTrainConfig, describeMachine, environmentView, modelParameters, runVerdict, validateTrainConfig, type EnvironmentReport } from '../../../../models/train/index';

const GiB = 1024 ** 3;
const PACKAGES = { torch: '2.5.1', transformers: '4.46.0', peft: '0.13.0', accelerate: '1.0.0', safetensors: '0.4.5' };
/** What the trainer's --check-env reports on a laptop without a GPU, and on a 24 GB workstation. */
const LAPTOP: EnvironmentReport = { python: '3.12.3', packages: { ...PACKAGES, bitsandbytes: null }, cuda: false, gpus: [] };
const WORKSTATION: EnvironmentReport = { python: '3.12.3', packages: { ...PACKAGES, bitsandbytes: '0.44.1' }, cuda: true, gpus: [{ name: 'NVIDIA RTX 4090', memoryTotal: 24 * GiB, memoryFree: 23 * GiB }] };

describe('what this machine can train (machine.ts)', () => {
  let course: string;
  let small: string;
  before(() => {
    const root = mkdtempSync(join(tmpdir(), 'medigen-machine-'));
    // The course model's config.json as course_model.py writes it (659-token vocabulary), and a 135M model's.
    course = join(root, 'course-llama-v1');
    small = join(root, 'smol-135m');
    for (const [dir, c] of [
      [course, { hidden_size: COURSE_MODEL_SHAPE.hidden, num_hidden_layers: COURSE_MODEL_SHAPE.layers, intermediate_size: COURSE_MODEL_SHAPE.ffn, vocab_size: 659, num_attention_heads: COURSE_MODEL_SHAPE.heads, num_key_value_heads: COURSE_MODEL_SHAPE.kvHeads, tie_word_embeddings: false, model_type: 'llama' }],
      [small, { hidden_size: 576, num_hidden_layers: 30, intermediate_size: 1536, vocab_size: 49152, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true, model_type: 'llama' }],
    ] as const) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), JSON.stringify(c));
    }
    after(() => rmSync(root, { recursive: true, force: true }));
  });

  it('a laptop without a GPU is described as CPU only, naming the course model and the GPU paths', () => {
    const m = describeMachine(LAPTOP);
    assert.equal(m.cuda, false);
    assert.equal(m.fourBit, false);
    assert.match(m.summary, /no CUDA GPU/);
    assert.match(m.summary, /CPU only/);
    assert.match(m.summary, /CPU course model/);
    assert.match(m.summary, /Llama-3-8B .* need a GPU/);
    const w = describeMachine(WORKSTATION);
    assert.equal(w.cuda, true);
    assert.match(w.summary, /NVIDIA RTX 4090, 24 GiB/);
    assert.match(w.summary, /4-bit QLoRA/);
  });

  it('the study\'s run (Llama-3-8B, 4-bit, device auto) is refused on the laptop with the reason and what to do, and allowed on the workstation', () => {
    const study = defaultTrainConfig();
    const v = runVerdict(study, describeMachine(LAPTOP));
    assert.equal(v.canRun, false);
    assert.match(v.reason!, /Device is auto, but this machine has no CUDA GPU \(and 4-bit QLoRA needs one\)/);
    assert.match(v.whatToDo!, /CPU course setting/);
    assert.match(v.whatToDo!, /SSH/);
    assert.match(v.whatToDo!, /medigen train slurm/);
    assert.deepEqual(runVerdict(study, describeMachine(WORKSTATION)), { canRun: true });
  });

  it('8B on the CPU is refused for its size (float32 weights, days), even with 4-bit switched off', () => {
    const cfg = { ...defaultTrainConfig(), device: 'cpu' as const };
    const v = runVerdict(cfg, describeMachine(LAPTOP));
    assert.equal(v.canRun, false);
    assert.match(v.reason!, /about 8\.0 billion parameters/);
    assert.match(v.reason!, /float32 weights alone need 30 GiB/);
    const no4 = runVerdict({ ...cfg, quantization: { ...cfg.quantization, load4bit: false } }, describeMachine(WORKSTATION));
    assert.equal(no4.canRun, false, 'a GPU in the machine does not make a CPU run of 8B possible');
    assert.equal(modelParameters('meta-llama/Meta-Llama-3-8B-Instruct'), modelParameters('llama-3-8b'));
  });

  it('4-bit on the CPU is refused (bitsandbytes needs a CUDA GPU), with how to train plain LoRA instead', () => {
    const cfg = { ...defaultTrainConfig(), baseModel: course, device: 'cpu' as const };
    const v = runVerdict(cfg, describeMachine(LAPTOP));
    assert.equal(v.canRun, false);
    assert.match(v.reason!, /4-bit loading \(QLoRA\) needs bitsandbytes on a CUDA GPU, and Device is cpu/);
    assert.match(v.whatToDo!, /Untick "Load the base model in 4-bit"/);
  });

  it('the CPU course setting is valid, trains on the CPU in float32, and can run on the laptop', () => {
    const cfg = cpuCourseConfig(course);
    assert.deepEqual(validateTrainConfig(cfg), []);
    assert.equal(cfg.device, 'cpu');
    assert.equal(cfg.quantization.load4bit, false);
    assert.equal(cfg.baseModel, course);
    assert.ok(modelParameters(course)! < 1e6, `the course model has ${modelParameters(course)} parameters`);
    assert.deepEqual(runVerdict(cfg, describeMachine(LAPTOP)), { canRun: true });
    const kept = cpuCourseConfig(course, { ...defaultTrainConfig(), runsDir: 'my-runs', data: { ...defaultTrainConfig().data, corpus: '/data/aci' } });
    assert.equal(kept.runsDir, 'my-runs');
    assert.equal(kept.data.corpus, '/data/aci');
  });

  it('a mid-size model on the CPU is allowed with a warning; a model of unknown size too', () => {
    const mid = runVerdict({ ...cpuCourseConfig(small) }, describeMachine(LAPTOP));
    assert.equal(mid.canRun, true);
    assert.match(mid.reason!, /about 1\d\d\.\d million parameters: on the CPU expect hours/);
    const unknown = runVerdict({ ...cpuCourseConfig('my-own-model') }, describeMachine(LAPTOP));
    assert.equal(unknown.canRun, true);
    assert.match(unknown.reason!, /cannot tell the size of my-own-model/);
  });

  it('4-bit on a GPU without bitsandbytes runs with a warning (the trainer falls back to 16-bit)', () => {
    const v = runVerdict(defaultTrainConfig(), describeMachine({ ...WORKSTATION, packages: { ...WORKSTATION.packages, bitsandbytes: null } }));
    assert.equal(v.canRun, true);
    assert.match(v.reason!, /bitsandbytes is not installed/);
  });

  it('the preflight view carries the machine, and says "CPU course setting" when a GPU run meets no GPU', () => {
    const v = environmentView(LAPTOP, '/usr/bin/python3', 'auto');
    assert.equal(v.ready, false);
    assert.match(v.message, /CPU course setting/);
    assert.equal(v.machine?.cuda, false);
    assert.equal(environmentView(LAPTOP, '/usr/bin/python3', 'cpu').ready, true);
  });

  it('three GPU paths, each saying what it needs and how', () => {
    assert.deepEqual(GPU_PATHS.map((p) => p.id), ['local-cuda', 'ssh', 'slurm']);
    for (const p of GPU_PATHS) {
      assert.ok(p.needs.length > 20 && p.how.length > 20, p.id);
    }
    assert.match(GPU_PATHS[2]!.how, /medigen train slurm/);
  });
});
