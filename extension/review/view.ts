/**
 * What the review panel shows for one note of a review session: the dialogue's turns, the note
 * with its faithfulness highlights, and the reviewer's rating, marks and edit. Plain Node.
 */
import { parseTurns } from '../../datasets/index';
import type { FaithfulnessTracer, ReviewSession } from '../../models/review/index';
import type { ReviewView } from './messages';

/** The view of item `index` of `session`, tracing the note with `tracer`. */
export function reviewView(session: ReviewSession, index: number, tracer: FaithfulnessTracer): ReviewView {
  const item = session.items[index]!;
  const r = session.reviewOf(index);
  const { turns } = parseTurns(item.dialogue);
  return {
    index,
    total: session.items.length,
    rated: session.progress().rated,
    reviewer: session.review.reviewer,
    file: session.file,
    blind: session.review.blind,
    title: session.review.blind ? `Note ${item.label}` : item.system,
    encounterId: item.encounterId,
    turns: turns.map((t) => ({ speaker: t.speaker, text: t.text })),
    note: item.note,
    sentences: tracer(item.dialogue, item.note),
    ...(r?.editedNote !== undefined ? { edited: r.editedNote } : {}),
    ...(r?.rating ? { rating: r.rating } : {}),
    marks: (r?.errors ?? []).map((e) => ({ kind: e.kind, ...(e.sentence !== undefined ? { sentence: e.sentence } : {}), ...(e.text !== undefined ? { text: e.text } : {}) })),
  };
}
