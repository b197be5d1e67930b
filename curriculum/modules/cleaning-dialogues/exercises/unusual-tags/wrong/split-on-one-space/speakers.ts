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
  const { turns } = parseTurns(normalizeSpeakerTags(dialogue));
  return turns.map((turn) => ({ speaker: turn.speaker, text: turn.text.split('\n').join(' ') }));
}

/** How many words each speaker said, e.g. { doctor: 120, patient: 85 }. */
export function wordsPerSpeaker(dialogue: string): Record<string, number> {
  const words: Record<string, number> = {};
  for (const turn of speakerTurns(dialogue)) {
    words[turn.speaker] = (words[turn.speaker] ?? 0) + turn.text.split(' ').length;
  }
  return words;
}
