import { loadLlm, NoteGenerator, rouge, type Encounter } from 'medigen-lab';

/** One generated note and the request that produced it. */
export interface GeneratedNote {
  encounterId: string;
  /** The user message the model received (result.prompt.user). */
  prompt: string;
  /** The generated note (result.text). */
  note: string;
}

/** The notes and the score of one template. */
export interface PromptRun {
  template: string;
  notes: GeneratedNote[];
  /** Mean ROUGE-1 F1 of the notes against the encounters' notes (reference first). */
  rouge1: number;
}

/**
 * Generates a note for every encounter with each of two templates on the model at `modelPath`
 * (temperature 0, at most `maxTokens` tokens per note), and scores each template.
 */
export async function comparePrompts(modelPath: string, encounters: Encounter[], templateA: string, templateB: string, maxTokens = 256): Promise<{ a: PromptRun; b: PromptRun }> {
  const loaded = await loadLlm(modelPath);
  try {
    // TODO: for each template: NoteGenerator.create(loaded, { template }), then for each
    // encounter generator.generate(encounter, { maxTokens, temperature: 0 }); keep
    // { encounterId, prompt: result.prompt.user, note: result.text }; score each note with
    // rouge(encounter.note, result.text).rouge1.fmeasure and take the mean. Dispose the generator.
    throw new Error(`TODO: compare ${JSON.stringify(templateA)} and ${JSON.stringify(templateB)} on ${encounters.length} encounters (${typeof NoteGenerator}, ${typeof rouge}, ${maxTokens})`);
  } finally {
    await loaded.dispose();
  }
}
