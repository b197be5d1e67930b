import type { Encounter } from 'medigen-lab';

/**
 * Counts the turns of each speaker in one dialogue, e.g. { doctor: 2, patient: 1 }.
 * A turn is a line that starts with a speaker tag such as [doctor] (spaces before the tag are
 * allowed). Lines without a tag continue the previous turn and are not counted. Speaker names
 * are lowercased: [Doctor] and [doctor] are the same speaker.
 */
export function countTurns(dialogue: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const lines = dialogue.split('\n');
  // TODO: for each line, find the tag with /^\s*\[([A-Za-z0-9_]+)\]/ and add 1 to that speaker.
  throw new Error(`TODO: count the turns in these ${lines.length} lines (so far: ${JSON.stringify(counts)})`);
}

/** Adds up the turns of each speaker over many encounters. */
export function turnsPerSpeaker(encounters: Encounter[]): Record<string, number> {
  const totals: Record<string, number> = {};
  // TODO: call countTurns(encounter.dialogue) for each encounter and add its counts to totals.
  throw new Error(`TODO: add up the turns of ${encounters.length} encounters (so far: ${JSON.stringify(totals)})`);
}
