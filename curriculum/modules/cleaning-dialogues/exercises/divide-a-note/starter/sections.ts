import { DIVISIONS, divideNote } from 'medigen-lab';

/** The four ACI-BENCH section names. */
export type Division = (typeof DIVISIONS)[number];

/**
 * All four sections of a note, in ACI-BENCH's way of dividing it: each section's text trimmed of
 * blank space at both ends, '' for a section the note does not have.
 * Example: { subjective: 'CHIEF COMPLAINT\n\nKnee pain.', objective_exam: '', ... }
 */
export function sectionsOf(note: string): Record<Division, string> {
  const parts = divideNote(note);
  // TODO: build an object with one entry per name of DIVISIONS: parts[name]?.text, trimmed, or ''.
  throw new Error(`TODO: give the four sections (the note has ${Object.keys(parts).length})`);
}

/** The sections a note does not have, in the order of DIVISIONS, e.g. ['objective_results']. */
export function missingSections(note: string): Division[] {
  // TODO: keep the names of DIVISIONS whose section in sectionsOf(note) is ''.
  throw new Error(`TODO: find the missing sections among ${DIVISIONS.join(', ')} of a note of ${note.length} characters`);
}
