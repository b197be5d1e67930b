import { buildInstructionData, loadSplit } from 'medigen-lab';

/**
 * The instruction-form training file of a split: one JSON line per encounter
 * ({"instruction", "input", "output"}), each line ending with '\n'. `template` is the instruction
 * template (leave it out for the study's default instruction).
 */
export function buildJsonl(split: string, corpusDir: string, template?: string): string {
  const encounters = loadSplit(split, corpusDir).encounters;
  const { lines } = buildInstructionData(encounters, template === undefined ? {} : { template });
  return lines.map((line) => `${line}\n`).join('');
}

/** The same examples in chat form ({"messages": [system, user, assistant]}), with this system prompt. */
export function buildChatJsonl(split: string, corpusDir: string, systemPrompt: string): string {
  const encounters = loadSplit(split, corpusDir).encounters;
  const { lines } = buildInstructionData(encounters, { format: 'chat', systemPrompt });
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * For one line of either file: `prompt`, the text the model reads (masked: not learned), and
 * `learned`, the text it is trained to write.
 * Instruction form: prompt = (instruction.trim() + '\n\n' + input.trim()).trim(), learned = output.trim().
 * Chat form: prompt = the user message's content, learned = the assistant message's content.
 */
export function promptAndLearned(line: string): { prompt: string; learned: string } {
  const example = JSON.parse(line);
  if (Array.isArray(example.messages)) {
    const content = (role: string) => example.messages.find((m: { role: string }) => m.role === role)?.content ?? '';
    return { prompt: content('user'), learned: content('assistant') };
  }
  return { prompt: `${example.instruction}\n\n${example.input}`, learned: example.output };
}
