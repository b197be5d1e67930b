import { countWhitespaceTokens, normalizeSpeakerTags, parseTurns } from 'medigen-lab';

/** One turn: who spoke, and what they said on one line. */
export interface SpeakerTurn {
  speaker: string;
  text: string;
}

/**
 * The turns of a dialogue, in order. Tags written in unusual ways ([ Doctor ], [Patient Guest],
 * [PATIENT]) are recognised; a turn that goes on over several lines is written on one line, its
 * pieces joined by one space. Text before the first tag has the speaker 'unknown'.
 */
export function speakerTurns(dialogue: string): SpeakerTurn[] {
  // TODO: normalize the tags first (normalizeSpeakerTags), then parseTurns(...).turns,
  // and give back { speaker, text } for each turn with the line breaks of text made spaces.
  throw new Error(`TODO: find the turns of a dialogue of ${dialogue.split('\n').length} lines (${typeof normalizeSpeakerTags}, ${typeof parseTurns})`);
}

/** How many words each speaker said, e.g. { doctor: 120, patient: 85 }. */
export function wordsPerSpeaker(dialogue: string): Record<string, number> {
  const words: Record<string, number> = {};
  // TODO: for each turn of speakerTurns(dialogue), add countWhitespaceTokens(turn.text) to words[turn.speaker].
  throw new Error(`TODO: count the words per speaker (${typeof countWhitespaceTokens}, so far ${JSON.stringify(words)})`);
}
