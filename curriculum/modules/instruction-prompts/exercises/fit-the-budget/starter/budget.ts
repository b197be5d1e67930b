import { buildInstructionData, loadSplit, loadTokenizer } from 'medigen-lab';

/**
 * The encounter ids of a split whose instruction examples (the default instruction, the dialogue
 * and the note) are longer than `budget` tokens of the tokenizer in `tokenizerDir`.
 */
export async function tooLong(split: string, corpusDir: string, budget: number, tokenizerDir: string): Promise<string[]> {
  const encounters = loadSplit(split, corpusDir).encounters;
  const tokenizer = await loadTokenizer(tokenizerDir);
  // TODO: buildInstructionData(encounters, { maxTokens: budget, tokenizer }).report.overBudget
  // lists the examples that do not fit; give back their encounterId.
  throw new Error(`TODO: find the examples over ${budget} tokens among ${encounters.length} (${tokenizer.name}, ${typeof buildInstructionData})`);
}

/**
 * The dialogue shortened to at most `budget` tokens: its first and last lines kept, lines from the
 * middle replaced by one line `[... N turns cut ...]` (N: how many lines were cut), and no more
 * cut than needed. A dialogue that fits comes back unchanged with cutTurns 0.
 */
export async function fitDialogue(dialogue: string, budget: number, tokenizerDir: string): Promise<{ dialogue: string; cutTurns: number }> {
  const tokenizer = await loadTokenizer(tokenizerDir);
  const lines = dialogue.split('\n');
  // TODO: if tokenizer.count(dialogue) <= budget, return it unchanged.
  // Otherwise keep lines 0..a-1 and b..end, with a marker line between them, and move a down or
  // b up (cutting one more line from the middle) until tokenizer.count(shortened) <= budget.
  throw new Error(`TODO: fit ${lines.length} lines (${tokenizer.count(dialogue)} tokens) into ${budget} tokens`);
}
