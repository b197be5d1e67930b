/**
 * The messages between the extension and the review panel, typed on both sides. Messages from the
 * page are checked with `parseReviewMessage` before use. Plain TypeScript (no vscode import).
 */
import { ERROR_KINDS, RATINGS, type ErrorKind, type Rating, type TracedSentence } from '../../models/review/index';

/** One dialogue turn as the page shows it. */
export interface TurnView {
  speaker: string;
  text: string;
}

/** An error mark as the page sends and shows it. */
export interface MarkView {
  kind: ErrorKind;
  sentence?: number;
  text?: string;
}

/** What the page shows for the current note. */
export interface ReviewView {
  /** 0-based position in the review, and how many notes it has. */
  index: number;
  total: number;
  rated: number;
  reviewer: string;
  /** The review file. */
  file: string;
  blind: boolean;
  /** "Note A" / "Note B" in blind mode; the system's name otherwise. */
  title: string;
  encounterId: string;
  turns: TurnView[];
  /** The generated note, and its sentences with faithfulness highlights. */
  note: string;
  sentences: TracedSentence[];
  /** The reviewer's corrected note, when they edited it. */
  edited?: string;
  rating?: Rating;
  marks: MarkView[];
}

/** Extension → page. */
export type ToReviewMessage =
  | { type: 'state'; view: ReviewView }
  | { type: 'saved'; at: string; rated: number }
  | { type: 'error'; text: string };

/** Page → extension. */
export type FromReviewMessage =
  | { type: 'ready' }
  | { type: 'rate'; rating: Rating }
  | { type: 'marks'; marks: MarkView[] }
  | { type: 'edit'; text: string }
  | { type: 'resetEdit' }
  | { type: 'go'; index: number }
  /** Sent after each redraw, with what the page now shows (lets tests see the page itself). */
  | { type: 'rendered'; index: number; rating: Rating | null; unsupported: number };

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const isRating = (v: unknown): v is Rating => RATINGS.includes(v as Rating);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function parseMark(v: unknown): MarkView | undefined {
  if (!isRecord(v) || !ERROR_KINDS.includes(v.kind as ErrorKind)) return undefined;
  if (v.sentence !== undefined && !isIndex(v.sentence)) return undefined;
  if (v.text !== undefined && typeof v.text !== 'string') return undefined;
  return { kind: v.kind as ErrorKind, ...(v.sentence !== undefined ? { sentence: v.sentence as number } : {}), ...(typeof v.text === 'string' && v.text ? { text: v.text.slice(0, 2000) } : {}) };
}

/** A checked page message, or undefined for anything else. */
export function parseReviewMessage(raw: unknown): FromReviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'resetEdit':
      return { type: raw.type };
    case 'rate':
      return isRating(raw.rating) ? { type: 'rate', rating: raw.rating } : undefined;
    case 'marks': {
      if (!Array.isArray(raw.marks)) return undefined;
      const marks = raw.marks.map(parseMark);
      return marks.every((m): m is MarkView => !!m) ? { type: 'marks', marks } : undefined;
    }
    case 'edit':
      return typeof raw.text === 'string' ? { type: 'edit', text: raw.text } : undefined;
    case 'go':
      return isIndex(raw.index) ? { type: 'go', index: raw.index } : undefined;
    case 'rendered':
      return isIndex(raw.index) && (raw.rating === null || isRating(raw.rating)) && isIndex(raw.unsupported) ? { type: 'rendered', index: raw.index, rating: raw.rating, unsupported: raw.unsupported } : undefined;
    default:
      return undefined;
  }
}
