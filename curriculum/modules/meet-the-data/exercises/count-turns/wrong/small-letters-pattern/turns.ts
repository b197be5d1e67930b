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
  for (const line of lines) {
    const tag = line.match(/^\s*\[([a-z_]+)\]/);
    if (!tag) continue;
    const speaker = tag[1]!.toLowerCase();
    counts[speaker] = (counts[speaker] ?? 0) + 1;
  }
  return counts;
}

/** Adds up the turns of each speaker over many encounters. */
export function turnsPerSpeaker(encounters: Encounter[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const encounter of encounters) {
    for (const [speaker, n] of Object.entries(countTurns(encounter.dialogue))) {
      totals[speaker] = (totals[speaker] ?? 0) + n;
    }
  }
  return totals;
}
