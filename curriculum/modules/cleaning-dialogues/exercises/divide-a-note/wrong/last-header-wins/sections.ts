import { DIVISIONS, matchHeader } from 'medigen-lab';

/** The four ACI-BENCH section names. */
export type Division = (typeof DIVISIONS)[number];

/**
 * All four sections of a note, in ACI-BENCH's way of dividing it: each section's text trimmed of
 * blank space at both ends, '' for a section the note does not have.
 * Example: { subjective: 'CHIEF COMPLAINT\n\nKnee pain.', objective_exam: '', ... }
 */
export function sectionsOf(note: string): Record<Division, string> {
  const out = {} as Record<Division, string>;
  for (const name of DIVISIONS) out[name] = '';
  let current: Division = 'subjective';
  let lines: string[] = [];
  for (const line of note.split('\n')) {
    const header = matchHeader(line);
    if (header) {
      if (lines.join('\n').trim() !== '') out[current] = lines.join('\n').trim();
      current = header;
      lines = [];
    }
    lines.push(line);
  }
  if (lines.join('\n').trim() !== '') out[current] = lines.join('\n').trim();
  return out;
}

/** The sections a note does not have, in the order of DIVISIONS, e.g. ['objective_results']. */
export function missingSections(note: string): Division[] {
  const sections = sectionsOf(note);
  return DIVISIONS.filter((name) => sections[name] === '');
}
