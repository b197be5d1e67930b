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
  const hits = scanIdentifiers(dialogue, { knownNames });
  const counts = Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, 0])) as Record<IdentifierKind, number>;
  const distinct = Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, 0])) as Record<IdentifierKind, number>;
  const numbers = new Map<string, number>();
  let text = dialogue;
  for (const hit of hits) {
    const key = `${hit.kind} ${hit.text.toLowerCase().replace(/\s+/g, ' ')}`;
    let n = numbers.get(key);
    if (n === undefined) {
      n = ++distinct[hit.kind];
      numbers.set(key, n);
    }
    counts[hit.kind]++;
    text = text.replace(hit.text, PLACEHOLDERS[hit.kind].replace(']', ` ${n}]`));
  }
  return { text, counts };
}
