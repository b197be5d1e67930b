import { indexDialogue, metadataFacts, traceFaithfulness, type Encounter, type IssueKind } from 'medigen-lab';

/** One detail of a note that the visit does not support. */
export interface UnsupportedDetail {
  /** The sentence of the note that carries it, exactly as it stands in the note. */
  sentence: string;
  /** What kind of detail: number, side, medication, diagnosis or negation. */
  kind: IssueKind;
  /** The detail as the note writes it, e.g. "250 mg" or "right ankle". */
  text: string;
}

/**
 * Every detail of `note` that the encounter's dialogue does not support, one entry per detail, in
 * the order the note says them. What the metadata tells (the patient's age, the complaints)
 * counts as said.
 */
export function unsupportedDetails(encounter: Encounter, note: string): UnsupportedDetail[] {
  // TODO: prepare the dialogue with
  //   indexDialogue(dialogue, metadataFacts(metadata)),
  // trace the note with traceFaithfulness, and list the issues of the
  // unsupported sentences.
  // Delete the next line when you write your code (it only keeps the imports in use).
  void [indexDialogue, metadataFacts, traceFaithfulness];
  throw new Error(`Not written yet: unsupportedDetails should trace the ${note.length}-character note for ${encounter.encounterId}. Replace this line with your code (the TODO comment just above it, in unsupported.ts, says how).`);
}
