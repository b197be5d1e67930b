import type { Command } from './command';

/**
 * Every `medigen` command group, loaded only when used: `medigen eval` loads the eval commands and
 * what they import, not node-llama-cpp, simple-git or the HTTP server (esbuild splits each group
 * into its own chunk). The order here is the order of `medigen --help`.
 */
export const COMMAND_GROUPS: Readonly<Record<string, () => Promise<Command[]>>> = {
  demo: async () => (await import('./commands/demo')).demoCommands,
  init: async () => (await import('./commands/recipe')).recipeCommands,
  run: async () => (await import('./commands/recipe')).recipeCommands,
  data: async () => (await import('./commands/data')).dataCommands,
  eval: async () => (await import('./commands/eval')).evalCommands,
  faithfulness: async () => (await import('./commands/faithfulness')).faithfulnessCommands,
  phi: async () => (await import('./commands/phi')).phiCommands,
  results: async () => (await import('./commands/results')).resultsCommands,
  baseline: async () => (await import('./commands/baseline')).baselineCommands,
  generate: async () => (await import('./commands/generate')).generateCommands,
  serve: async () => (await import('./commands/serve')).serveCommands,
  models: async () => [...(await import('./commands/models')).modelCommands, ...(await import('./commands/catalog')).catalogCommands],
  train: async () => [...(await import('./commands/train')).trainCommands, ...(await import('./commands/trainEvaluate')).trainEvaluateCommands],
  review: async () => (await import('./commands/review')).reviewCommands,
  curriculum: async () => [...(await import('./commands/curriculum')).curriculumCommands, ...(await import('./commands/grading')).gradingCommands],
};

/** The commands whose first word is `word` (none for an unknown word). */
export async function commandsFor(word: string): Promise<Command[]> {
  const load = Object.hasOwn(COMMAND_GROUPS, word) ? COMMAND_GROUPS[word] : undefined;
  return load ? load() : [];
}

/** Every command once, in help order (loads every group: for --help only). Two words may share a group (init and run). */
export async function allCommands(): Promise<Command[]> {
  const groups = await Promise.all(Object.values(COMMAND_GROUPS).map((load) => load()));
  return [...new Set(groups.flat())];
}
