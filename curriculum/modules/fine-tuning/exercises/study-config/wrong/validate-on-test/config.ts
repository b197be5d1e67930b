import { validateTrainConfig, type TrainConfig } from 'medigen-lab';

/**
 * The MediGen study's run as a training config the trainer accepts: `baseModel` (the downloaded
 * Llama-3-8B-Instruct folder), trained on the "train" split of the ACI-BENCH folder `corpus` and
 * validated on its "valid" split, on a CUDA GPU, kept under runs/ as "study-qlora".
 * QLoRA: base in 4-bit NF4 with double quantization, bfloat16 compute. LoRA: rank 16, alpha 32,
 * dropout 0.05 on all seven projections. Training: 3 epochs, learning rate 2e-4 with a cosine
 * schedule and 3% warm-up, batch 1 with 8 steps of gradient accumulation, 4,096 tokens, gradient
 * checkpointing, seed 42. Check it with validateTrainConfig (an empty list means the trainer accepts it).
 */
export function studyConfig(baseModel: string, corpus: string): TrainConfig {
  const config: TrainConfig = {
    version: 1,
    baseModel,
    device: 'cuda',
    data: { train: 'train', valid: 'test1', corpus, maxSeqLength: 4096 },
    quantization: { load4bit: true, doubleQuant: true, quantType: 'nf4', computeDtype: 'bfloat16' },
    lora: { r: 16, alpha: 32, dropout: 0.05, targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] },
    training: {
      epochs: 3,
      maxSteps: 0,
      learningRate: 2e-4,
      batchSize: 1,
      gradientAccumulation: 8,
      schedule: 'cosine',
      warmupRatio: 0.03,
      weightDecay: 0,
      gradientCheckpointing: true,
      seed: 42,
      logEvery: 1,
      evalEvery: 25,
      checkpointEvery: 50,
    },
    runsDir: 'runs',
    name: 'study-qlora',
  };
  const problems = validateTrainConfig(config);
  if (problems.length) throw new Error(problems.map((p) => p.message).join(' '));
  return config;
}
