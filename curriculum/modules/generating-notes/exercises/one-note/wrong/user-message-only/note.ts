import { NoteGenerator, loadLlm, type Encounter } from 'medigen-lab';

/** Sampling settings of one note. */
export interface Settings {
  seed: number;
  temperature: number;
  maxTokens: number;
  /** Optional: 'soap' forces the section headers and ends the note after the last section (lesson 2). Left out: free text. */
  grammar?: 'free' | 'soap';
}

/** One generated note and what it cost. */
export interface OneNote {
  text: string;
  /** Tokens of the prompt exactly as the model reads it (chat template included). */
  promptTokens: number;
  /** Tokens the model really generated: fewer than maxTokens when the note ended sooner. */
  generatedTokens: number;
}

/**
 * Loads the model file, generates one note for the encounter with the given seed, temperature
 * and token limit (and grammar, when one is given), and returns it with the prompt's and the
 * note's token counts. Everything loaded is released before returning.
 */
export async function generateOne(modelPath: string, encounter: Encounter, settings: Settings): Promise<OneNote> {
  const loaded = await loadLlm(modelPath);
  try {
    const generator = await NoteGenerator.create(loaded);
    try {
      const prompt = generator.renderPrompt(encounter);
      const result = await generator.generate(encounter, { seed: settings.seed, temperature: settings.temperature, maxTokens: settings.maxTokens, grammar: settings.grammar });
      return { text: result.text, promptTokens: prompt.user.split(/\s+/).filter(Boolean).length, generatedTokens: result.generatedTokens };
    } finally {
      await generator.dispose();
    }
  } finally {
    await loaded.dispose();
  }
}
