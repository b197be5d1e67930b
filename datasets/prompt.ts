/**
 * The messages a note generator sends: the same system prompt and instruction template as the
 * instruction data built for fine-tuning (datasets/instructions.ts), so a fine-tuned adapter sees
 * at generation time exactly the prompt form it was trained on.
 */
import { toChatExample, type InstructionOptions } from './instructions';
import type { Encounter } from './types';

/** The system and user messages for one dialogue. */
export interface NoteMessages {
  system: string;
  user: string;
}

/** Turns a bare dialogue into an encounter so templates can be filled. */
export function asEncounter(input: string | Encounter): Encounter {
  return typeof input === 'string' ? { dataset: '', encounterId: '', dialogue: input, note: '' } : input;
}

/**
 * Builds the messages for a dialogue (or encounter) from an instruction template and system prompt.
 * Defaults to the project's default SOAP instruction and system prompt.
 */
export function noteMessages(input: string | Encounter, options: InstructionOptions = {}): NoteMessages {
  const ex = toChatExample(asEncounter(input), options);
  const system = ex.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = ex.messages.find((m) => m.role === 'user')?.content ?? '';
  return { system, user };
}
