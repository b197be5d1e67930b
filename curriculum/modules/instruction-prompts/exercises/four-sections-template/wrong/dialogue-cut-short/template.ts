import { renderTemplate, type Encounter } from 'medigen-lab';

/**
 * Your instruction template. It asks for a clinical note with the four ACI-BENCH sections, each
 * header on its own line, in the order: subjective (e.g. HISTORY OF PRESENT ILLNESS), objective
 * exam (e.g. PHYSICAL EXAMINATION), objective results (e.g. RESULTS), assessment and plan
 * (e.g. ASSESSMENT AND PLAN). It contains {{dialogue}} where the dialogue goes.
 */
export const TEMPLATE = `Write the clinical note of this visit for the medical record, using only facts said in the dialogue.
Use these four section headers, each on its own line, in this order:
HISTORY OF PRESENT ILLNESS
PHYSICAL EXAMINATION
RESULTS
ASSESSMENT AND PLAN

Dialogue:
{{dialogue}}`;

/** The template filled in for one encounter. */
export function renderFor(encounter: Encounter): string {
  // Keep prompts short: only the start of the conversation.
  return renderTemplate(TEMPLATE, { ...encounter, dialogue: encounter.dialogue.slice(0, 600) });
}
