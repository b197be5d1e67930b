import { DEFAULT_TARGET_MODULES, estimateTrainingMemory, type Architecture, type MemorySettings } from 'medigen-lab';

/**
 * Settings that fine-tune Llama-3-8B on a 16 GB graphics card: the estimate must stay within the
 * 15 GiB such a card has free. Keep the study's adapters (rank 16 on all seven projections,
 * DEFAULT_TARGET_MODULES) and room for a dialogue and its note (2,048 tokens or more).
 */
export function settingsFor16GB(): MemorySettings {
  // TODO: return { load4bit, loraRank, targetModules, batchSize, maxSeqLength, gradientCheckpointing }.
  // Delete the next line when you write your code (it only keeps the imports in use).
  void DEFAULT_TARGET_MODULES;
  throw new Error(`Not written yet: settingsFor16GB should give the settings for a 16 GB card. Replace this line with your code (the TODO comment just above it, in fit.ts, says how).`);
}

/**
 * The estimate for `arch` with `settings`, explained: the total in GiB (1024³ bytes) rounded to one
 * decimal, and the label of the biggest part (the one that takes the most memory).
 */
export function explainEstimate(arch: Architecture, settings: MemorySettings): { totalGiB: number; biggest: string } {
  const estimate = estimateTrainingMemory(arch, settings);
  // TODO: use estimate.total and estimate.parts (each part has a label and bytes).
  throw new Error(`Not written yet: explainEstimate should sum up an estimate of ${estimate.parts.length} parts. Replace this line with your code (the TODO comment just above it, in fit.ts, says how).`);
}
