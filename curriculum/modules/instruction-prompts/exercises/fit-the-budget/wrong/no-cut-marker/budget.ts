import { buildInstructionData, loadSplit, loadTokenizer } from 'medigen-lab';

/**
 * The encounter ids of a split whose instruction examples (the default instruction, the dialogue
 * and the note) are longer than `budget` tokens of the tokenizer in `tokenizerDir`.
 */
export async function tooLong(split: string, corpusDir: string, budget: number, tokenizerDir: string): Promise<string[]> {
  const encounters = loadSplit(split, corpusDir).encounters;
  const tokenizer = await loadTokenizer(tokenizerDir);
  const { report } = buildInstructionData(encounters, { maxTokens: budget, tokenizer });
  return report.overBudget.map((example) => example.encounterId);
}

/**
 * The dialogue shortened to at most `budget` tokens: its first and last lines kept, lines from the
 * middle replaced by one line `[... N turns cut ...]` (N: how many lines were cut), and no more
 * cut than needed. A dialogue that fits comes back unchanged with cutTurns 0.
 */
export async function fitDialogue(dialogue: string, budget: number, tokenizerDir: string): Promise<{ dialogue: string; cutTurns: number }> {
  const tokenizer = await loadTokenizer(tokenizerDir);
  const lines = dialogue.split('\n');
  if (tokenizer.count(dialogue) <= budget) return { dialogue, cutTurns: 0 };
  const shortened = (a: number, b: number) => [...lines.slice(0, a), ...lines.slice(b)].join('\n');
  // Start with the middle line cut; cut one more line at a time, from whichever side is longer.
  let a = Math.floor((lines.length - 1) / 2);
  let b = a + 1;
  while (tokenizer.count(shortened(a, b)) > budget) {
    if (a <= 1 && b >= lines.length - 1) throw new Error(`Even the first and last lines alone are longer than ${budget} tokens.`);
    if ((a > lines.length - b && a > 1) || b >= lines.length - 1) a--;
    else b++;
  }
  return { dialogue: shortened(a, b), cutTurns: b - a };
}
