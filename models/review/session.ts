/**
 * A review in progress: the notes of one or two predictions files beside their dialogues, in the
 * recorded (blind) order, with the reviewer's file saved after every change. Opening the same
 * review file again resumes it (same order, earlier reviews kept), so a crash or a closed window
 * loses nothing. Plain Node: the VS Code panel (extension/review) is a view over this.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { isSplitName, readCsvEncounters, resolveSplitFile, type Encounter } from '../../datasets/index';
import { loadGold, loadPredictions, matchPredictions } from '../eval/index';
import { blindOrder, newSeed, positionLabel } from './order';
import { readReviewFile, saveReviewFile, sha256File } from './store';
import type { ErrorMark, NoteReview, Rating, ReviewFile, ReviewedSystem } from './types';

/** A predictions file to review. */
export interface ReviewSource {
  file: string;
  /** The system's name. Defaults to the file name without .csv. */
  name?: string;
}

/** What {@link ReviewSession.open} needs. */
export interface ReviewOptions {
  reviewer: string;
  /** One predictions file, or two to compare blind. */
  predictions: ReviewSource[];
  /**
   * The dialogues: a split name (train, test1…) or a CSV with the columns encounter_id and dialogue
   * (an ACI-BENCH file, or a predictions file that kept the dialogue). Defaults to the first
   * predictions file, which then needs a dialogue column.
   */
  gold?: string;
  /** Corpus folder for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample. */
  corpus?: string;
  /** The reviewer's file (JSON). When it exists, the review resumes from it. */
  out: string;
  /** Seed of the blind order of a new review. Defaults to a fresh random one (recorded in the file). */
  seed?: string;
  /** Review only the first N encounters. Defaults to all. */
  limit?: number;
}

/** One note to review. */
export interface ReviewItem {
  encounterId: string;
  system: string;
  /** "A" or "B": what the reviewer sees instead of the system in blind mode. */
  label: string;
  note: string;
  dialogue: string;
}

/** A change to one note's review. */
export interface ReviewChange {
  rating?: Rating | null;
  errors?: Omit<ErrorMark, 'at'>[];
  /** The corrected note; null removes the edit (back to the generated note). */
  editedNote?: string | null;
  /** Marks the note as shown (sets openedAt once). */
  opened?: boolean;
}

const now = () => new Date().toISOString();

/** The encounters with the dialogues: a split (or ACI-BENCH JSON) by loadGold, a CSV needs only encounter_id and dialogue. */
function loadDialogues(ref: string, corpus: string | undefined): { file: string; encounters: Encounter[] } {
  const file = resolveSplitFile(ref, corpus);
  if (isSplitName(ref) || !file.toLowerCase().endsWith('.csv')) return loadGold(ref, corpus ? { corpus } : {});
  const { encounters, problems } = readCsvEncounters(file, ['encounter_id', 'dialogue']);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new MedigenError(`The dialogues file ${file} has problems: ${errors.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join(' ')}`, 'Choose a split name, or a CSV with the columns encounter_id and dialogue (one row per encounter).');
  }
  return { file, encounters };
}

function notesById(gold: Encounter[], file: string): Map<string, string> {
  const preds = loadPredictions(file);
  const ids = new Set(gold.map((g) => g.encounterId));
  if (preds.every((p) => p.encounterId)) {
    const unknown = preds.filter((p) => !ids.has(p.encounterId!)).map((p) => p.encounterId!);
    if (unknown.length) {
      throw new MedigenError(`${resolve(file)} has notes for encounters that are not in the reference: ${unknown.slice(0, 5).join(', ')}.`, 'Choose the split (or CSV) the notes were generated from as the dialogues.');
    }
    return new Map(preds.map((p) => [p.encounterId!, p.note]));
  }
  const m = matchPredictions(gold, preds);
  return new Map(m.gold.map((g, k) => [g.encounterId, m.predictions[k]!]));
}

export class ReviewSession {
  private constructor(
    /** Absolute path of the reviewer's file. */
    readonly file: string,
    /** The review as saved. */
    readonly review: ReviewFile,
    /** The notes in review order. */
    readonly items: readonly ReviewItem[],
  ) {}

  /** Starts a review, or resumes it when `out` already holds one. */
  static open(o: ReviewOptions): ReviewSession {
    const reviewer = o.reviewer.trim();
    if (!reviewer) throw new MedigenError('The review needs the reviewer\'s name.', 'Type your name (or initials): it goes into your review file so reviews of several people can be compared.');
    if (o.predictions.length < 1 || o.predictions.length > 2) throw new MedigenError(`Review mode compares one or two predictions files, not ${o.predictions.length}.`, 'Choose one predictions CSV, or two to compare them blind.');
    const out = resolve(o.out);
    const goldRef = o.gold ?? o.predictions[0]!.file;
    const gold = loadDialogues(goldRef, o.corpus);
    if (gold.encounters.every((e) => !e.dialogue.trim())) {
      throw new MedigenError(`${gold.file} has no dialogues.`, 'Choose the split the notes were generated from, or a CSV with a filled dialogue column.');
    }
    for (const input of [...o.predictions.map((p) => resolve(p.file)), gold.file]) {
      if (input === out) throw new MedigenError(`The review file ${out} is one of the inputs.`, 'Save the review to a new .json file, e.g. review-<your name>.json.');
    }
    const names = o.predictions.map((p) => p.name ?? basename(p.file).replace(/\.csv$/i, ''));
    if (names[1] !== undefined && names[1] === names[0]) names[1] = `${names[1]} (2)`;
    const systems: ReviewedSystem[] = o.predictions.map((p, k) => ({ name: names[k]!, file: resolve(p.file), sha256: sha256File(p.file) }));
    const notes = o.predictions.map((p) => notesById(gold.encounters, p.file));
    const dialogues = new Map(gold.encounters.map((e) => [e.encounterId, e.dialogue]));

    let review: ReviewFile;
    if (existsSync(out)) {
      review = readReviewFile(out);
      if (review.reviewer !== reviewer) {
        throw new MedigenError(`${out} holds the review of ${review.reviewer}, not of ${reviewer}.`, 'Each reviewer keeps their own file: choose another file name for yours, or type the name in that file to continue it.');
      }
      for (const s of systems) {
        const before = review.systems.find((r) => r.file === s.file);
        if (!before) throw new MedigenError(`${out} is a review of ${review.systems.map((r) => r.file).join(' and ')}, not of ${s.file}.`, 'Open the same predictions files as before to continue this review, or save a new review to another file.');
        if (before.sha256 !== s.sha256) throw new MedigenError(`${s.file} changed since the review in ${out} started (its contents differ).`, 'Your ratings are about the notes as they were: save the review of the new notes to another file.');
        s.name = before.name;
      }
    } else {
      const ids = gold.encounters.map((e) => e.encounterId).filter((id) => notes.every((n) => n.has(id)));
      const chosen = o.limit !== undefined ? ids.slice(0, o.limit) : ids;
      if (!chosen.length) throw new MedigenError('No encounter has a note in every chosen predictions file.', 'Choose predictions files made from the same split, with an encounter_id column.');
      const t = now();
      review = { format: 'medigen-review', version: 1, reviewer, blind: systems.length > 1, createdAt: t, updatedAt: t, systems, gold: { ref: goldRef, file: gold.file }, order: blindOrder(chosen, systems.map((s) => s.name), o.seed ?? newSeed()), notes: [] };
      saveReviewFile(out, review);
    }
    const byName = new Map(systems.map((s, k) => [s.name, notes[k]!]));
    const items: ReviewItem[] = review.order.encounters.flatMap((e) =>
      e.systems.map((system, k) => {
        const note = byName.get(system)?.get(e.encounterId);
        const dialogue = dialogues.get(e.encounterId);
        if (note === undefined || dialogue === undefined) throw new MedigenError(`${out} lists encounter ${e.encounterId} (${system}), which the chosen files no longer have.`, 'Open the same predictions and dialogues as when the review started.');
        return { encounterId: e.encounterId, system, label: positionLabel(k), note, dialogue };
      }),
    );
    return new ReviewSession(out, review, items);
  }

  /** The saved review of item `i`, if any. */
  reviewOf(i: number): NoteReview | undefined {
    const it = this.item(i);
    return this.review.notes.find((n) => n.encounterId === it.encounterId && n.system === it.system);
  }

  private item(i: number): ReviewItem {
    const it = this.items[i];
    if (!it) throw new RangeError(`No note ${i + 1} in this review (it has ${this.items.length}).`);
    return it;
  }

  /** Applies a change to item `i`'s review and saves the file at once. */
  update(i: number, change: ReviewChange): NoteReview {
    const it = this.item(i);
    let r = this.reviewOf(i);
    const t = now();
    if (!r) {
      r = { encounterId: it.encounterId, system: it.system, label: it.label, errors: [] };
      this.review.notes.push(r);
    }
    if (change.opened && !r.openedAt) r.openedAt = t;
    if (change.rating !== undefined) {
      if (change.rating === null) {
        delete r.rating;
        delete r.ratedAt;
      } else if (change.rating !== r.rating) {
        r.rating = change.rating;
        r.ratedAt = t;
      }
    }
    if (change.errors) {
      const keep = new Map(r.errors.map((e) => [`${e.kind}|${e.sentence ?? ''}|${e.text ?? ''}`, e.at]));
      r.errors = change.errors.map((e) => ({ ...e, at: keep.get(`${e.kind}|${e.sentence ?? ''}|${e.text ?? ''}`) ?? t }));
    }
    if (change.editedNote !== undefined) {
      if (change.editedNote === null || change.editedNote === it.note) delete r.editedNote;
      else r.editedNote = change.editedNote;
    }
    if (change.rating !== undefined || change.errors || change.editedNote !== undefined) r.updatedAt = t;
    this.review.updatedAt = t;
    saveReviewFile(this.file, this.review);
    return r;
  }

  /** How many notes are rated, of how many. */
  progress(): { rated: number; total: number } {
    return { rated: this.items.filter((_, i) => this.reviewOf(i)?.rating).length, total: this.items.length };
  }

  /** The first note without a rating (where a resumed review continues), or 0 when all are rated. */
  firstUnrated(): number {
    const i = this.items.findIndex((_, k) => !this.reviewOf(k)?.rating);
    return i < 0 ? 0 : i;
  }
}
