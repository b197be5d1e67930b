import type { Encounter } from 'medigen-lab';

/** One row of the statistics table. */
export interface SplitRow {
  split: string;
  encounters: number;
  meanTurns: number;
  meanDialogueWords: number;
  meanNoteWords: number;
}

/** Number of turns of a dialogue: lines that start with a speaker tag such as [doctor]. (Done for you.) */
export function countTaggedLines(dialogue: string): number {
  return dialogue.split('\n').filter((line) => /^\s*\[[A-Za-z0-9_]+\]/.test(line)).length;
}

/** Number of words in a text: pieces separated by spaces, tabs or line breaks. '' has 0 words. */
export function countWords(text: string): number {
  // TODO: split the text on whitespace (/\s+/), drop empty pieces, and return how many are left.
  throw new Error(`TODO: count the words of a text of ${text.length} characters`);
}

/**
 * The table row of one split: its number of encounters and the mean turns, dialogue words and
 * note words per encounter, each rounded to one decimal (0 when there are no encounters).
 */
export function splitRow(split: string, encounters: Encounter[]): SplitRow {
  // TODO: add up countTaggedLines(e.dialogue), countWords(e.dialogue) and countWords(e.note)
  // over the encounters, divide by encounters.length and round with Math.round(x * 10) / 10.
  throw new Error(`TODO: compute the row of ${split} (${encounters.length} encounters)`);
}

/**
 * The Markdown table of the rows: a header line, a separator line, then one line per row with
 * the means written with one decimal (toFixed(1)). Lines end with '\n'.
 */
export function statsTable(rows: SplitRow[]): string {
  const header = '| split | encounters | mean turns | mean dialogue words | mean note words |\n| --- | ---: | ---: | ---: | ---: |\n';
  // TODO: add one line per row, like '| train | 3 | 2.0 | 9.0 | 5.3 |\n'.
  throw new Error(`TODO: write the ${rows.length} rows under ${JSON.stringify(header)}`);
}
