/**
 * Faithfulness highlights for the review panel: per note sentence, whether the dialogue supports
 * it and which turns are its evidence. The extension passes models/safety's `traceFaithfulness`;
 * review mode takes any function of this shape (a local NLI model could be another).
 */

/** One issue found in a sentence (e.g. a number the dialogue does not have). */
export interface TraceIssue {
  kind: string;
  text: string;
}

/** One note sentence as a tracer returns it. */
export interface TracedSentence {
  text: string;
  /** Character offsets of the sentence in the note. */
  start: number;
  end: number;
  supported: boolean;
  /** Indices of the supporting dialogue turns (as `parseTurns(dialogue).turns` numbers them). */
  evidence: number[];
  issues: TraceIssue[];
}

/** What review mode needs from a faithfulness tracer. */
export type FaithfulnessTracer = (dialogue: string, note: string) => TracedSentence[];

/** The note's sentences with their offsets: split after . ! ? and at line breaks. */
export function noteSentences(note: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const re = /[^\n.!?]*(?:[.!?]+(?=\s|$)|\n|$)/g;
  for (let m = re.exec(note); m && m[0] !== '' ; m = re.exec(note)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (/[a-z]/i.test(text)) out.push({ text, start: m.index + lead, end: m.index + lead + text.length });
    if (re.lastIndex === m.index) re.lastIndex++;
  }
  return out;
}
