import { IDENTIFIER_KINDS, PLACEHOLDERS, scanIdentifiers, type IdentifierKind } from 'medigen-lab';
export interface Shareable { text: string; counts: Record<IdentifierKind, number> }
export function scrubForSharing(dialogue: string, knownNames: string[]): Shareable {
  const counts = Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, 0])) as Record<IdentifierKind, number>;
  const seen = new Map<string, number>();
  const next: Record<string, number> = {};
  let text = dialogue;
  for (const hit of scanIdentifiers(dialogue, { knownNames })) {
    const key = hit.kind + hit.text.toLowerCase();
    if (!seen.has(key)) seen.set(key, (next[hit.kind] = (next[hit.kind] ?? 0) + 1));
    counts[hit.kind]++;
    text = text.replaceAll(hit.text, PLACEHOLDERS[hit.kind].replace(']', ` ${seen.get(key)}]`));
  }
  return { text, counts };
}
