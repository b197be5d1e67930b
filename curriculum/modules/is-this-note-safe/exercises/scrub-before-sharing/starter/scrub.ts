import { IDENTIFIER_KINDS, PLACEHOLDERS, scanIdentifiers, type IdentifierKind } from 'medigen-lab';

/** A dialogue ready to share, and what was taken out of it. */
export interface Shareable {
  /** The dialogue with each identifier replaced by a numbered placeholder: [NAME 1], [PHONE 1], [NAME 2], … */
  text: string;
  /** How many identifiers of each kind were replaced (every kind listed, 0 when none). */
  counts: Record<IdentifierKind, number>;
}

/**
 * Replaces every identifier of a dialogue with a numbered placeholder so a reader can still follow
 * who is who: the first name found becomes [NAME 1], the next different name [NAME 2], and the same
 * name said again (in any case) gets the same number. The same for phone numbers, emails and the
 * other kinds. `knownNames` (the patient's and doctor's names from the metadata) are found wherever they appear.
 */
export function scrubForSharing(dialogue: string, knownNames: string[]): Shareable {
  // TODO: find the identifiers with
  //   scanIdentifiers(dialogue, { knownNames });
  // each has kind, text, start and end. PLACEHOLDERS[kind] is "[NAME]",
  // "[PHONE]", …: put the number before the closing bracket.
  // Delete the next line when you write your code (it only keeps the imports in use).
  void [IDENTIFIER_KINDS, PLACEHOLDERS, scanIdentifiers];
  throw new Error(`Not written yet: scrubForSharing should replace the identifiers of a ${dialogue.length}-character dialogue (known names given: ${knownNames.length}). Replace this line with your code (the TODO comment just above it, in scrub.ts, says how).`);
}
