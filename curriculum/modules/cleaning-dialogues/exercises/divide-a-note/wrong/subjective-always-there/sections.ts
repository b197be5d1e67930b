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
  return {
    subjective: parts.subjective!.text.trim(),
    objective_exam: parts.objective_exam?.text.trim() ?? '',
    objective_results: parts.objective_results?.text.trim() ?? '',
    assessment_and_plan: parts.assessment_and_plan?.text.trim() ?? '',
  };
}

/** The sections a note does not have, in the order of DIVISIONS, e.g. ['objective_results']. */
export function missingSections(note: string): Division[] {
  const sections = sectionsOf(note);
  return DIVISIONS.filter((name) => sections[name] === '');
}
