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
  // TODO: build the whole object ({ version: 1, baseModel, device, data, quantization, lora, training, runsDir, name }).
  // Delete the next line when you write your code (it only keeps the imports in use).
  void [validateTrainConfig, corpus];
  throw new Error(`Not written yet: studyConfig should build the study's training config for ${baseModel}. Replace this line with your code (the TODO comment just above it, in config.ts, says how).`);
}
