import { PREPROCESS_STEPS, type PreprocessConfig, type StepName } from 'medigen-lab';

/**
 * Part 1. Removes the space (or spaces) that speech recognition puts before punctuation:
 * 'i , i just' → 'i, i just', 'okay .' → 'okay.', 'really ?' → 'really?'.
 * Only a mark that stands alone moves: one followed by a space, a line break or the end of the
 * text. So '.5 mg', 'dr. smith' and '10:30' are left exactly as they are.
 */
export function fixSpacing(text: string): string {
  // TODO: replace "spaces + punctuation marks that stand alone" by the marks alone.
  // text.replace(/REGEX/g, '$1') keeps what the first (...) group of REGEX captured.
  throw new Error(`TODO: fix the spacing of a text of ${text.length} characters`);
}

/**
 * Part 2. Runs the library's steps named in `steps`, in that order, each on the text the step
 * before produced, and returns the text after each step (one entry per step).
 * Example: cleanStepByStep('[Doctor] okay .', ['fixAsrPunctuationSpacing', 'normalizeSpeakerTags'])
 * gives ['[Doctor] okay.', '[doctor] okay.'].
 */
export function cleanStepByStep(dialogue: string, steps: StepName[]): string[] {
  const results: string[] = [];
  // TODO: for each name, find its step with PREPROCESS_STEPS.find((s) => s.name === name),
  // run it (step.run(text)) on the current text, and push the result.
  throw new Error(`TODO: run ${steps.length} steps of the ${PREPROCESS_STEPS.length} over a dialogue of ${dialogue.length} characters (so far ${results.length})`);
}

/**
 * Part 3. The steps you chose in Preview Cleaning for dialogues we will split into turns: every
 * speaker tag written the same way, no empty lines, ASR spacing repaired, plain characters, and
 * no word changed. Name each step you switch on (true) or off (false).
 */
// TODO: replace undefined by your choice, e.g. { normalizeSpeakerTags: true, ... }
export const MY_STEPS: PreprocessConfig | undefined = undefined;
