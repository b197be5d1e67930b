import { loadLlm, NoteGenerator, rouge, type Encounter, type LoadedLlm } from 'medigen-lab';

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

/** Runs one template over every encounter. */
async function runTemplate(loaded: LoadedLlm, encounters: Encounter[], template: string, maxTokens: number): Promise<PromptRun> {
  const generator = await NoteGenerator.create(loaded, { template });
  try {
    const notes: GeneratedNote[] = [];
    let total = 0;
    for (const encounter of encounters) {
      const result = await generator.generate(encounter, { maxTokens, temperature: 0 });
      notes.push({ encounterId: encounter.encounterId, prompt: result.prompt.user, note: result.text });
      total += rouge(encounter.note, result.text).rouge1.fmeasure;
    }
    return { template, notes, rouge1: total };
  } finally {
    await generator.dispose();
  }
}

/**
 * Generates a note for every encounter with each of two templates on the model at `modelPath`
 * (temperature 0, at most `maxTokens` tokens per note), and scores each template.
 */
export async function comparePrompts(modelPath: string, encounters: Encounter[], templateA: string, templateB: string, maxTokens = 256): Promise<{ a: PromptRun; b: PromptRun }> {
  const loaded = await loadLlm(modelPath);
  try {
    const a = await runTemplate(loaded, encounters, templateA, maxTokens);
    const b = await runTemplate(loaded, encounters, templateB, maxTokens);
    return { a, b };
  } finally {
    await loaded.dispose();
  }
}
