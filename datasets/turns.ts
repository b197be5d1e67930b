/**
 * Speaker turns of an ACI-BENCH dialogue. Each line normally starts with a speaker tag such as
 * `[doctor]`, `[patient]`, `[patient_guest]` or `[nurse]`. A line without a tag continues the turn
 * before it (ASR transcripts sometimes break a turn over several lines); a first line without a
 * tag belongs to an "unknown" speaker. Nothing is dropped: every non-empty line ends up in a turn.
 */

/** The speaker name given to text before the first speaker tag. */
export const UNKNOWN_SPEAKER = 'unknown';

/**
 * A speaker tag: letters, then letters, digits, `_`, `-` or spaces, in square brackets.
 * `[ inaudible 00:09:25 ]` (an ASR annotation, starting with a space) is not one. The source of a
 * regular expression, for building others (the safety checks find tags anywhere in a text).
 */
export const SPEAKER_TAG_SOURCE = String.raw`\[([A-Za-z][A-Za-z0-9_ -]{0,40})\]`;

/** A speaker tag at the start of a line. */
const TAG = new RegExp(String.raw`^[ \t]*${SPEAKER_TAG_SOURCE}[ \t]?`);

export interface Turn {
  /** Lower-case speaker name without brackets, e.g. 'doctor', 'patient_guest', or 'unknown'. */
  speaker: string;
  /** The words of the turn; continuation lines are joined with "\n". */
  text: string;
  /** 1-based line of the dialogue where the turn starts. */
  line: number;
  /** How many lines of the dialogue the turn spans (1 unless continuation lines follow). */
  lines: number;
}

export interface ParsedDialogue {
  turns: Turn[];
  /** 1-based lines that carry no speaker tag and are not empty (continuations or untagged text). */
  untaggedLines: number[];
  /** How many empty (or whitespace-only) lines there were. */
  emptyLines: number;
}

/** The speaker tag a line starts with (lower case), or undefined. `speakerTag('[Doctor] hi')` is 'doctor'. */
export function speakerTag(line: string): string | undefined {
  const m = TAG.exec(line);
  return m ? m[1]!.trim().toLowerCase() : undefined;
}

/** Splits a dialogue into speaker turns. Robust to missing tags, empty lines and CRLF. */
export function parseTurns(dialogue: string): ParsedDialogue {
  const turns: Turn[] = [];
  const untaggedLines: number[] = [];
  let emptyLines = 0;
  const lines = dialogue.split(/\r?\n/);
  lines.forEach((raw, k) => {
    const lineNo = k + 1;
    if (raw.trim() === '') {
      emptyLines++;
      return;
    }
    const m = TAG.exec(raw);
    if (m) {
      turns.push({ speaker: m[1]!.trim().toLowerCase(), text: raw.slice(m[0].length).trim(), line: lineNo, lines: 1 });
      return;
    }
    untaggedLines.push(lineNo);
    const last = turns[turns.length - 1];
    if (last) {
      last.text = last.text ? `${last.text}\n${raw.trim()}` : raw.trim();
      last.lines = lineNo - last.line + 1;
    } else {
      turns.push({ speaker: UNKNOWN_SPEAKER, text: raw.trim(), line: lineNo, lines: 1 });
    }
  });
  return { turns, untaggedLines, emptyLines };
}

/** Number of turns per speaker, e.g. `{doctor: 12, patient: 11, patient_guest: 2}`. */
export function turnCounts(turns: readonly Turn[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of turns) counts[t.speaker] = (counts[t.speaker] ?? 0) + 1;
  return counts;
}

/** Writes turns back as a tagged dialogue: `[speaker] text` per turn (continuation lines stay untagged). */
export function formatTurns(turns: readonly Turn[]): string {
  return turns.map((t) => `[${t.speaker}] ${t.text}`).join('\n');
}
