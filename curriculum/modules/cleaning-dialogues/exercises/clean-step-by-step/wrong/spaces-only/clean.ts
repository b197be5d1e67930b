import { PREPROCESS_STEPS, type PreprocessConfig, type StepName } from 'medigen-lab';

/**
 * Part 1. Removes the space (or spaces) that speech recognition puts before punctuation:
 * 'i , i just' → 'i, i just', 'okay .' → 'okay.', 'really ?' → 'really?'.
 * Only a mark that stands alone moves: one followed by a space, a line break or the end of the
 * text. So '.5 mg', 'dr. smith' and '10:30' are left exactly as they are.
 */
export function fixSpacing(text: string): string {
  return text.replace(/ +([,.;:?!]+)(?= |\n|$)/g, '$1');
}

/**
 * Part 2. Runs the library's steps named in `steps`, in that order, each on the text the step
 * before produced, and returns the text after each step (one entry per step).
 * Example: cleanStepByStep('[Doctor] okay .', ['fixAsrPunctuationSpacing', 'normalizeSpeakerTags'])
 * gives ['[Doctor] okay.', '[doctor] okay.'].
 */
export function cleanStepByStep(dialogue: string, steps: StepName[]): string[] {
  const results: string[] = [];
  let text = dialogue;
  for (const name of steps) {
    const step = PREPROCESS_STEPS.find((s) => s.name === name);
    if (!step) throw new Error(`${name} is not a cleaning step`);
    text = step.run(text);
    results.push(text);
  }
  return results;
}

/**
 * Part 3. The steps you chose in Preview Cleaning for dialogues we will split into turns: every
 * speaker tag written the same way, no empty lines, ASR spacing repaired, plain characters, and
 * no word changed. Name each step you switch on (true) or off (false).
 */
export const MY_STEPS: PreprocessConfig | undefined = {
  normalizeSpecialChars: true,
  fixAsrPunctuationSpacing: true,
  joinSplitContractions: false,
  normalizeSpeakerTags: true,
  dropEmptyLines: true,
  normalizeWhitespace: true,
};
