import { DEFAULT_TARGET_MODULES, estimateTrainingMemory, type Architecture, type MemorySettings } from 'medigen-lab';

/**
 * Settings that fine-tune Llama-3-8B on a 16 GB graphics card: the estimate must stay within the
 * 15 GiB such a card has free. Keep the study's adapters (rank 16 on all seven projections,
 * DEFAULT_TARGET_MODULES) and room for a dialogue and its note (2,048 tokens or more).
 */
export function settingsFor16GB(): MemorySettings {
  return { load4bit: false, loraRank: 16, targetModules: [...DEFAULT_TARGET_MODULES], batchSize: 1, maxSeqLength: 4096, gradientCheckpointing: true };
}

/**
 * The estimate for `arch` with `settings`, explained: the total in GiB (1024³ bytes) rounded to one
 * decimal, and the label of the biggest part (the one that takes the most memory).
 */
export function explainEstimate(arch: Architecture, settings: MemorySettings): { totalGiB: number; biggest: string } {
  const estimate = estimateTrainingMemory(arch, settings);
  const biggest = estimate.parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return { totalGiB: Math.round((estimate.total / 1024 ** 3) * 10) / 10, biggest: biggest.label };
}
