/**
 * Scores of one generated note against its reference note (ACI-BENCH's evaluation, run on a single
 * pair by models/eval's `evaluateNotes`), and what the note editor shows of them: the section
 * headers of the note and one line of text per header. Plain Node: no `vscode` import.
 */
import { divideNote, matchHeader } from '../../datasets/index';
import { DIVISIONS, type Division, type Encounter } from '../../datasets/index';
import { evaluateNotes } from '../eval/index';
import { METRIC_EXPLANATIONS, pct } from '../eval/index';
import type { RougeScores } from '../eval/index';

/** F1 of each ROUGE variant (0..1). */
export interface RougeF1 {
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
}

/** Scores of one section, ACI-BENCH style (a section missing on one side scores 0, on both 1). */
export interface SectionScore extends RougeF1 {
  /** Whether the generated note has this section. */
  inNote: boolean;
  /** Whether the reference note has it. */
  inReference: boolean;
}

/** Everything shown about how a generated note compares with its reference. */
export interface NoteScoreSummary {
  /** The reference encounter's id, e.g. "D2N068". */
  encounterId: string;
  /** The split it came from, when known (train, valid, …). */
  split?: string;
  full: RougeF1;
  sections: Record<Division, SectionScore>;
}

/** Readable names of ACI-BENCH's four sections. */
export const DIVISION_LABELS: Readonly<Record<Division, string>> = {
  subjective: 'Subjective',
  objective_exam: 'Objective: exam',
  objective_results: 'Objective: results',
  assessment_and_plan: 'Assessment and plan',
};

function f1(s: RougeScores): RougeF1 {
  return { rouge1: s.rouge1.fmeasure, rouge2: s.rouge2.fmeasure, rougeL: s.rougeL.fmeasure, rougeLsum: s.rougeLsum.fmeasure };
}

/** Scores a generated note against a reference encounter's note exactly as ACI-BENCH's evaluation does. */
export async function scoreNote(generated: string, reference: Encounter, split?: string): Promise<NoteScoreSummary> {
  const ev = await evaluateNotes([reference], [{ note: generated }]);
  const s = ev.notes[0]!;
  const sections = {} as Record<Division, SectionScore>;
  for (const d of DIVISIONS) sections[d] = { ...f1(s.sections[d]), inNote: s.present.prediction.includes(d), inReference: s.present.reference.includes(d) };
  return { encounterId: reference.encounterId, ...(split ? { split } : {}), full: f1(s.full), sections };
}

/** "ROUGE-1 41.20 · ROUGE-2 12.05 · ROUGE-L 25.00" (F1 × 100, as the ACI-BENCH paper prints them); `withLsum` adds ROUGE-Lsum. */
export function formatScores(s: RougeF1, withLsum = false): string {
  const parts = [`ROUGE-1 ${pct(s.rouge1)}`, `ROUGE-2 ${pct(s.rouge2)}`, `ROUGE-L ${pct(s.rougeL)}`];
  if (withLsum) parts.push(`ROUGE-Lsum ${pct(s.rougeLsum)}`);
  return parts.join(' · ');
}

/** What each figure means, for tooltips. */
export function scoresTooltip(): string {
  return [
    'Scores are F1 × 100 against the reference note (higher is better; 100 = identical words).',
    `ROUGE-1: ${METRIC_EXPLANATIONS.rouge1}`,
    `ROUGE-2: ${METRIC_EXPLANATIONS.rouge2}`,
    `ROUGE-L: ${METRIC_EXPLANATIONS.rougeL}`,
    `ROUGE-Lsum: ${METRIC_EXPLANATIONS.rougeLsum}`,
    'Sections are cut out of both notes with ACI-BENCH\'s own section tagger before scoring.',
  ].join('\n');
}

/** A section header line of a note. */
export interface HeaderLine {
  /** 0-based line number. */
  line: number;
  /** The header text as written (trimmed). */
  text: string;
  /** The section this header starts, by ACI-BENCH's tagger. */
  division: Division;
  /** The section this line's text is scored in (a repeated header belongs to the section before it). */
  scoredIn: Division;
  /** True for the header where `scoredIn` starts. */
  starts: boolean;
}

/** The section header lines of a note, with the section each one's text is scored in. */
export function headerLines(note: string): HeaderLine[] {
  const sections = divideNote(note);
  const starts = new Map<number, Division>();
  for (const d of DIVISIONS) if (sections[d]) starts.set(sections[d]!.start, d);
  const out: HeaderLine[] = [];
  let off = 0;
  note.split('\n').forEach((text, line) => {
    const division = matchHeader(text);
    if (division) {
      const scoredIn = DIVISIONS.find((d) => sections[d] && sections[d]!.start <= off && off < sections[d]!.end) ?? division;
      out.push({ line, text: text.trim(), division, scoredIn, starts: starts.get(off) === scoredIn });
    }
    off += text.length + 1;
  });
  return out;
}

/** One CodeLens to show: its line and text. */
export interface LensSpec {
  line: number;
  title: string;
  tooltip: string;
}

/**
 * The score lines shown over a generated note: at the top the whole note's scores (and the
 * sections the reference has but the note lacks), then one per section header: the section's
 * scores on the header that starts it, and "Scored within …" on headers that fall inside another section.
 */
export function lensSpecs(note: string, scores: NoteScoreSummary): LensSpec[] {
  const tooltip = scoresTooltip();
  const where = scores.split ? `${scores.encounterId} (${scores.split})` : scores.encounterId;
  const out: LensSpec[] = [{ line: 0, title: `Whole note vs ${where}: ${formatScores(scores.full, true)}`, tooltip }];
  const missing = DIVISIONS.filter((d) => scores.sections[d].inReference && !scores.sections[d].inNote);
  if (missing.length) {
    out.push({ line: 0, title: `Lacks ${missing.map((d) => DIVISION_LABELS[d]).join(', ')} (scores 0)`, tooltip: 'The reference note has these sections and this note does not: each scores 0.' });
  }
  const headers = headerLines(note);
  const started = new Set(headers.filter((h) => h.starts).map((h) => h.scoredIn));
  // Text before the first header is scored as subjective even without a header line.
  if (scores.sections.subjective.inNote && !started.has('subjective')) {
    out.push({ line: 0, title: `${DIVISION_LABELS.subjective} (text before the first header): ${formatScores(scores.sections.subjective)}`, tooltip });
  }
  for (const h of headers) {
    const label = DIVISION_LABELS[h.scoredIn];
    if (h.starts) out.push({ line: h.line, title: `${label}: ${formatScores(scores.sections[h.scoredIn])}`, tooltip });
    else out.push({ line: h.line, title: `Scored within ${label} (above)`, tooltip: `ACI-BENCH's tagger keeps only the first span of each section, so the text under "${h.text}" counts towards ${label}.` });
  }
  return out;
}
