import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { DEFAULT_TARGET_MODULES, validateTrainConfig, type TrainConfig } from 'medigen-lab';

interface Student {
  studyConfig(baseModel: string, corpus: string): TrainConfig;
}

let student: Remote<Student>;
before(async () => { student = await loadStudent<Student>('config.ts'); });
after(() => student?.close());

const MODEL = '/data/models/Meta-Llama-3-8B-Instruct';
const CORPUS = '/data/aci-bench';

describe('study-config', () => {
  it('studyConfig returns a config the trainer accepts (validateTrainConfig finds no problem)', async () => {
    for (const [model, corpus] of [[MODEL, CORPUS], ['/home/ana/llama3', '/home/ana/aci']] as const) {
      const cfg = await student.studyConfig(model, corpus);
      const problems = validateTrainConfig(cfg);
      assert.deepEqual(problems.map((p) => p.message), [], `The trainer refuses the config studyConfig returns for ${model}: ${problems.map((p) => p.message).join(' ')}`);
      assert.equal(cfg.baseModel, model, `studyConfig("${model}", …) should train ${model}; the config names ${cfg.baseModel}`);
      assert.equal(cfg.data?.corpus, corpus, `studyConfig(…, "${corpus}") should read the splits from ${corpus}; the config has data.corpus = ${cfg.data?.corpus}`);
    }
  });

  it('studyConfig: QLoRA as in the study (4-bit NF4, double quantization, bfloat16 compute)', async () => {
    const q = (await student.studyConfig(MODEL, CORPUS)).quantization;
    assert.deepEqual(q, { load4bit: true, doubleQuant: true, quantType: 'nf4', computeDtype: 'bfloat16' }, `studyConfig's quantization should be 4-bit NF4 with double quantization and bfloat16 compute; it is ${JSON.stringify(q)}`);
  });

  it('studyConfig: LoRA rank 16, alpha 32, dropout 0.05 on all seven projections', async () => {
    const l = (await student.studyConfig(MODEL, CORPUS)).lora;
    assert.deepEqual({ r: l?.r, alpha: l?.alpha, dropout: l?.dropout }, { r: 16, alpha: 32, dropout: 0.05 }, 'studyConfig\'s LoRA should be rank 16, alpha 32, dropout 0.05');
    assert.deepEqual([...(l?.targetModules ?? [])].sort(), [...DEFAULT_TARGET_MODULES].sort(), `studyConfig should put adapters on ${DEFAULT_TARGET_MODULES.join(', ')}; it names ${JSON.stringify(l?.targetModules)}`);
  });

  it('studyConfig: trains on train and validates on valid, on a CUDA GPU, with the study\'s schedule', async () => {
    const c = await student.studyConfig(MODEL, CORPUS);
    assert.deepEqual({ train: c.data?.train, valid: c.data?.valid, maxSeqLength: c.data?.maxSeqLength }, { train: 'train', valid: 'valid', maxSeqLength: 4096 }, 'studyConfig should train on "train", validate on "valid" (the test splits stay unseen until the end) with 4,096 tokens');
    assert.equal(c.device, 'cuda', `studyConfig should train on a CUDA GPU ("cuda"); it says ${c.device}`);
    const t = c.training;
    assert.deepEqual(
      { epochs: t?.epochs, learningRate: t?.learningRate, schedule: t?.schedule, warmupRatio: t?.warmupRatio, batchSize: t?.batchSize, gradientAccumulation: t?.gradientAccumulation, gradientCheckpointing: t?.gradientCheckpointing, seed: t?.seed },
      { epochs: 3, learningRate: 2e-4, schedule: 'cosine', warmupRatio: 0.03, batchSize: 1, gradientAccumulation: 8, gradientCheckpointing: true, seed: 42 },
      'studyConfig\'s training settings should be the study\'s: 3 epochs, 2e-4 cosine with 3% warm-up, batch 1 × 8 accumulation, checkpointing, seed 42',
    );
    assert.deepEqual({ runsDir: c.runsDir, name: c.name }, { runsDir: 'runs', name: 'study-qlora' }, 'studyConfig should keep the run under runs/ as "study-qlora"');
  });
});
