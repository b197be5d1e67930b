/**
 * Reading and saving review files. Saving never loses an earlier review: the new content goes to a
 * temporary file next to the review file, is flushed to disk, and then renamed over it (an atomic
 * step), so after a crash the file holds either the previous save or the new one, never half of
 * one. A temporary file left by a crash is ignored and replaced by the next save.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { parseReviewFile, type ReviewFile } from './types';

/** SHA-256 (hex) of a file's bytes. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const TEMP_MARK = '.medigen-tmp-';

/** Reads and checks one review file; a MedigenError names the file and the problem. */
export function readReviewFile(file: string): ReviewFile {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new MedigenError(missing ? `The review file ${abs} does not exist.` : `Could not read the review file ${abs}: ${(e as Error).message}.`, 'Give the path of a file saved by "MediGen Lab: Review Notes…" (one JSON file per reviewer).');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MedigenError(`The review file ${abs} is not valid JSON: ${(e as Error).message}.`, 'The file was changed by hand or cut short; restore it from your backup, or review the notes again into a new file.');
  }
  return parseReviewFile(raw, abs);
}

/**
 * Saves `review` to `file` atomically (temporary file, fsync, rename). Leftover temporary files of
 * earlier crashed saves of the same file are removed afterwards.
 */
export function saveReviewFile(file: string, review: ReviewFile): void {
  const abs = resolve(file);
  const tmp = join(dirname(abs), `.${basename(abs)}${TEMP_MARK}${process.pid}-${Date.now()}`);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      writeSync(fd, JSON.stringify(review, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new MedigenError(`Could not save the review file ${abs}: ${(e as Error).message}. Your earlier reviews in it are unchanged.`, 'Check that the folder exists, that you may write there and that the disk is not full; then rate the note again to save.');
  }
  removeStaleTemps(abs);
}

/** Temporary files that a crashed save of `file` left behind. */
export function staleTemps(file: string): string[] {
  const abs = resolve(file);
  const prefix = `.${basename(abs)}${TEMP_MARK}`;
  if (!existsSync(dirname(abs))) return [];
  return readdirSync(dirname(abs)).filter((f) => f.startsWith(prefix)).map((f) => join(dirname(abs), f));
}

function removeStaleTemps(file: string): void {
  for (const t of staleTemps(file)) rmSync(t, { force: true });
}
