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
  return text.split(/[ \n]+/).filter((word) => word.length > 0).length;
}

/**
 * The table row of one split: its number of encounters and the mean turns, dialogue words and
 * note words per encounter, each rounded to one decimal (0 when there are no encounters).
 */
export function splitRow(split: string, encounters: Encounter[]): SplitRow {
  let turns = 0;
  let dialogueWords = 0;
  let noteWords = 0;
  for (const e of encounters) {
    turns += countTaggedLines(e.dialogue);
    dialogueWords += countWords(e.dialogue);
    noteWords += countWords(e.note);
  }
  const n = encounters.length;
  const mean = (total: number) => (n === 0 ? 0 : Math.round((total / n) * 10) / 10);
  return { split, encounters: n, meanTurns: mean(turns), meanDialogueWords: mean(dialogueWords), meanNoteWords: mean(noteWords) };
}

/**
 * The Markdown table of the rows: a header line, a separator line, then one line per row with
 * the means written with one decimal (toFixed(1)). Lines end with '\n'.
 */
export function statsTable(rows: SplitRow[]): string {
  const header = '| split | encounters | mean turns | mean dialogue words | mean note words |\n| --- | ---: | ---: | ---: | ---: |\n';
  let table = header;
  for (const r of rows) {
    table += `| ${r.split} | ${r.encounters} | ${r.meanTurns.toFixed(1)} | ${r.meanDialogueWords.toFixed(1)} | ${r.meanNoteWords.toFixed(1)} |\n`;
  }
  return table;
}
