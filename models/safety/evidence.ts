/**
 * Faithfulness for the editor: a generated note's sentences traced against the dialogue it was
 * written from, each with its place in the note (line and column), the evidence turns with their
 * lines in the dialogue and their text, and the message to show. The VS Code part
 * (extension/generation/faithfulness.ts) only turns these into diagnostics and links.
 */
import { parseTurns, type Encounter } from '../../datasets/index';
import { indexDialogue, metadataFacts } from './dialogue';
import { traceFaithfulness, type FaithfulnessIssue, type IssueKind } from './faithfulness';

/** A position in a text: 0-based line and column (UTF-16 code units, as editors count). */
export interface TextPosition {
  line: number;
  character: number;
}

/** One dialogue turn given as evidence. */
export interface EvidenceTurn {
  /** Turn index (parseTurns order, from 0). */
  turn: number;
  speaker: string;
  /** The turn's text without its [speaker] tag. */
  text: string;
  /** Its first line in the dialogue (0-based) and how many lines it spans. */
  line: number;
  lines: number;
}

/** One sentence of a note as the editor shows it. */
export interface EditorSentence {
  text: string;
  /** Offsets of the sentence in the note, and the same as line/column. */
  start: number;
  end: number;
  from: TextPosition;
  to: TextPosition;
  supported: boolean;
  issues: FaithfulnessIssue[];
  evidence: EvidenceTurn[];
  /** What to tell the reader: the details the dialogue lacks, or which turns support it. */
  message: string;
}

/** The line and column of a character offset in a text (`\n` and `\r\n` line ends). */
export function positionAt(text: string, offset: number): TextPosition {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < at; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, character: at - lineStart };
}

const KIND_WORDS: Record<IssueKind, string> = { number: 'number', side: 'side', medication: 'medication', diagnosis: 'diagnosis or history', negation: 'negation' };

/** `the number "40 mg", the side "left knee"`: the issues in plain words. */
export function describeIssues(issues: readonly FaithfulnessIssue[]): string {
  return issues.map((i) => `the ${KIND_WORDS[i.kind] ?? i.kind} "${i.text}"`).join(', ');
}

function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** `turn 12 (patient): "yes , twenty milligrams …"`, one line per turn. */
export function describeTurn(t: EvidenceTurn, max = 100): string {
  return `turn ${t.turn} (${t.speaker}, line ${t.line + 1}): "${shorten(t.text, max)}"`;
}

function messageFor(supported: boolean, issues: readonly FaithfulnessIssue[], evidence: readonly EvidenceTurn[]): string {
  const turns = evidence.map((t) => t.turn).join(', ');
  if (!supported) {
    const near = evidence.length ? ` Closest turns: ${turns}.` : ' No turn of the dialogue shares its words.';
    return `Not supported by the dialogue: ${describeIssues(issues)}.${near} Check it against the dialogue before using this note.`;
  }
  return evidence.length ? `Supported by turn${evidence.length > 1 ? 's' : ''} ${turns} of the dialogue.` : 'No detail to check, and no turn shares its words.';
}

/**
 * Traces a note against its dialogue (an Encounter adds its metadata: the patient's age and the
 * visit's complaints count as said) and gives every sentence with its place in the note, its
 * evidence turns with their lines in the dialogue, and a message.
 */
export function traceForEditor(source: string | Pick<Encounter, 'dialogue' | 'metadata'>, note: string): EditorSentence[] {
  const dialogue = typeof source === 'string' ? source : source.dialogue;
  const facts = typeof source === 'string' ? [] : metadataFacts(source.metadata);
  const turns = parseTurns(dialogue).turns;
  return traceFaithfulness(indexDialogue(dialogue, facts), note).map((s) => {
    const evidence = s.evidence
      .filter((k) => k < turns.length)
      .map((k) => ({ turn: k, speaker: turns[k]!.speaker, text: turns[k]!.text, line: turns[k]!.line - 1, lines: turns[k]!.lines }));
    return {
      text: s.text,
      start: s.start,
      end: s.end,
      from: positionAt(note, s.start),
      to: positionAt(note, s.end),
      supported: s.supported,
      issues: s.issues,
      evidence,
      message: messageFor(s.supported, s.issues, evidence),
    };
  });
}
