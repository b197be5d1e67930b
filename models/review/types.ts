/**
 * The clinician review file: one JSON file per reviewer, saved as they go. It records what was
 * reviewed (the predictions files with their SHA-256, the reference), the blind order the notes
 * were shown in (and the seed that made it), and per note the rating, the error marks, the edited
 * text and when each happened. The system of each note is in the file, but the review panel shows
 * only "Note A" / "Note B" in blind mode.
 */
// core/errors, not core/index: the review webview bundles this file, and core/index brings Node-only modules.
import { MedigenError } from '../../core/errors';

/** The four ratings, best first (the MediGen study's scale). */
export const RATINGS = ['usable-as-is', 'minor-edits', 'major-edits', 'unusable'] as const;
export type Rating = (typeof RATINGS)[number];

/** What a reviewer may mark in a note. */
export const ERROR_KINDS = ['omission', 'unsupported-statement', 'wrong-section'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** How each rating reads for a person. */
export const RATING_LABELS: Record<Rating, string> = {
  'usable-as-is': 'usable as is',
  'minor-edits': 'minor edits',
  'major-edits': 'major edits',
  unusable: 'unusable',
};

/** How each error kind reads for a person. */
export const ERROR_LABELS: Record<ErrorKind, string> = {
  omission: 'omission',
  'unsupported-statement': 'unsupported statement',
  'wrong-section': 'wrong section',
};

/** One error a reviewer marked. */
export interface ErrorMark {
  kind: ErrorKind;
  /** Index of the note sentence it is about (as the faithfulness tracer numbers them), if any. */
  sentence?: number;
  /** The words it is about, or a comment (e.g. what was omitted). */
  text?: string;
  /** When it was marked (ISO 8601). */
  at: string;
}

/** A predictions file under review. */
export interface ReviewedSystem {
  /** The system's name (from the file name unless given); hidden from the reviewer in blind mode. */
  name: string;
  /** Absolute path of the predictions CSV. */
  file: string;
  /** SHA-256 of the file's bytes when the review started: a changed file is noticed. */
  sha256: string;
}

/** The review of one note (one system's note for one encounter). */
export interface NoteReview {
  encounterId: string;
  /** Which system wrote it (hidden from the reviewer in blind mode). */
  system: string;
  /** What the reviewer saw it as: "A" or "B" (the blind order), or "A" for a single system. */
  label: string;
  rating?: Rating;
  errors: ErrorMark[];
  /** The note as the reviewer corrected it; absent when not edited. */
  editedNote?: string;
  /** When the note was first shown, rated, and last changed (ISO 8601). */
  openedAt?: string;
  ratedAt?: string;
  updatedAt?: string;
}

/** The order the notes are shown in. */
export interface ReviewOrder {
  /** The seed of the random order (recorded so the order can be reproduced). */
  seed: string;
  /** Per encounter, in review order: its systems in the order shown (A first). */
  encounters: { encounterId: string; systems: string[] }[];
}

/** One reviewer's file. */
export interface ReviewFile {
  format: 'medigen-review';
  version: 1;
  reviewer: string;
  /** True when the systems are hidden from the reviewer (always with two systems). */
  blind: boolean;
  createdAt: string;
  updatedAt: string;
  systems: ReviewedSystem[];
  /** The reference the dialogues came from: a split name or a CSV path, and its file. */
  gold: { ref: string; file: string };
  order: ReviewOrder;
  notes: NoteReview[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const str = (v: unknown): v is string => typeof v === 'string';

/**
 * Checks a parsed review file and returns it typed; throws a MedigenError naming the file and the
 * first problem otherwise.
 */
export function parseReviewFile(raw: unknown, file: string): ReviewFile {
  const fail = (what: string): never => {
    throw new MedigenError(`${file} is not a MediGen review file: ${what}.`, 'Give the files saved by "MediGen Lab: Review Notes…" (one JSON file per reviewer), unchanged.');
  };
  if (!isRecord(raw) || raw.format !== 'medigen-review') fail('its "format" is not "medigen-review"');
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) fail(`version ${String(r.version)} is not known (this MediGen Lab reads version 1)`);
  if (!str(r.reviewer) || !r.reviewer.trim()) fail('it names no reviewer');
  if (!Array.isArray(r.systems) || !r.systems.every((s) => isRecord(s) && str(s.name) && str(s.file) && str(s.sha256))) fail('"systems" is not a list of {name, file, sha256}');
  if (!isRecord(r.gold) || !str(r.gold.ref) || !str(r.gold.file)) fail('"gold" is not {ref, file}');
  const order = r.order;
  if (!isRecord(order) || !str(order.seed) || !Array.isArray(order.encounters)) fail('"order" is not {seed, encounters}');
  if (!Array.isArray(r.notes)) fail('"notes" is not a list');
  (r.notes as unknown[]).forEach((n, k) => {
    if (!isRecord(n) || !str(n.encounterId) || !str(n.system) || !str(n.label)) fail(`note ${k + 1} has no encounterId, system or label`);
    const note = n as Record<string, unknown>;
    if (note.rating !== undefined && !RATINGS.includes(note.rating as Rating)) fail(`note ${k + 1} has the rating "${String(note.rating)}" (one of ${RATINGS.join(', ')})`);
    if (!Array.isArray(note.errors) || !note.errors.every((e) => isRecord(e) && ERROR_KINDS.includes(e.kind as ErrorKind))) fail(`note ${k + 1} has error marks that are not {kind: ${ERROR_KINDS.join(' | ')}}`);
    if (note.editedNote !== undefined && !str(note.editedNote)) fail(`note ${k + 1} has an edited note that is not text`);
  });
  return raw as unknown as ReviewFile;
}
