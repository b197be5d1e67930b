import { buildInstructionData, loadSplit } from 'medigen-lab';

/**
 * The instruction-form training file of a split: one JSON line per encounter
 * ({"instruction", "input", "output"}), each line ending with '\n'. `template` is the instruction
 * template (leave it out for the study's default instruction).
 */
export function buildJsonl(split: string, corpusDir: string, template?: string): string {
  const encounters = loadSplit(split, corpusDir).encounters;
  // TODO: buildInstructionData(encounters, { template }) gives { lines, report };
  // join the lines with '\n' and end the text with '\n'.
  throw new Error(`TODO: build ${encounters.length} examples (template: ${template ?? 'default'}, ${typeof buildInstructionData})`);
}

/** The same examples in chat form ({"messages": [system, user, assistant]}), with this system prompt. */
export function buildChatJsonl(split: string, corpusDir: string, systemPrompt: string): string {
  // TODO: like buildJsonl, with the options { format: 'chat', systemPrompt }.
  throw new Error(`TODO: build the chat form of ${split} in ${corpusDir} with the system prompt ${JSON.stringify(systemPrompt)}`);
}

/**
 * For one line of either file: `prompt`, the text the model reads (masked: not learned), and
 * `learned`, the text it is trained to write.
 * Instruction form: prompt = (instruction.trim() + '\n\n' + input.trim()).trim(), learned = output.trim().
 * Chat form: prompt = the user message's content, learned = the assistant message's content.
 */
export function promptAndLearned(line: string): { prompt: string; learned: string } {
  const example = JSON.parse(line);
  // TODO: look at example.messages (chat form) or example.instruction / input / output.
  throw new Error(`TODO: split an example with the fields ${Object.keys(example).join(', ')}`);
}
