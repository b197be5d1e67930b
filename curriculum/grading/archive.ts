/**
 * The submission archive: one .zip per student and module, written by `submit` and read by
 * `grade`. A zip (through fflate: small, no dependencies, synchronous, and it tells each entry's
 * size before inflating it) because instructors and students can open it with any file manager,
 * and LMS upload forms take it as it is.
 *
 *   submission.json              what was submitted (SubmissionManifest)
 *   exercises/<id>/<file>        the student's files of exercise <id>
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { LastResults } from '../lab/index';
import type { ExerciseProgress } from '../../sandbox/index';

/** Name of the manifest inside the archive. */
export const SUBMISSION_MANIFEST = 'submission.json';
/** The `format` field of every submission manifest. */
export const SUBMISSION_FORMAT = 'medigen-lab-submission';
/** Largest archive `readSubmission` unpacks (all files together, uncompressed). */
export const MAX_SUBMISSION_BYTES = 50 * 1024 * 1024;

/** What `submission.json` says. */
export interface SubmissionManifest {
  format: typeof SUBMISSION_FORMAT;
  formatVersion: 1;
  moduleId: string;
  moduleVersion: string;
  /** The student's name as they gave it (or their login name). */
  student: string;
  /** ISO time the archive was made. */
  submittedAt: string;
  exercises: Record<string, { files: string[]; progress?: ExerciseProgress; lastResults?: LastResults }>;
}

/** A submission read back: the manifest (when it was there and readable), the files per exercise, and what was wrong with it. */
export interface ReadSubmission {
  manifest?: SubmissionManifest;
  /** exercise id → file name (relative, forward slashes) → content. */
  files: Map<string, Map<string, Uint8Array>>;
  /** Problems found, in words (e.g. "submission.json is missing"). */
  problems: string[];
}

/** Packs a submission into zip bytes. */
export function packSubmission(manifest: SubmissionManifest, files: Map<string, Map<string, Uint8Array>>): Uint8Array {
  const tree: Zippable = { [SUBMISSION_MANIFEST]: strToU8(`${JSON.stringify(manifest, null, 2)}\n`) };
  for (const [id, list] of files) for (const [name, data] of list) tree[`exercises/${id}/${name}`] = data;
  return zipSync(tree, { level: 6, mtime: new Date(manifest.submittedAt) });
}

/** A safe relative name inside an exercise folder: no `..`, no absolute path, no drive letter. */
function safeName(name: string): boolean {
  return !!name && !name.startsWith('/') && !/^[A-Za-z]:/.test(name) && !name.split(/[\\/]/).some((p) => p === '..' || p === '');
}

/**
 * Reads a submission archive. Never throws for a damaged archive: what can be read is returned
 * and every problem is listed (a file that is not a zip, no or unreadable submission.json,
 * entries outside exercises/, names that would leave the folder, too large).
 */
export function readSubmission(bytes: Uint8Array): ReadSubmission {
  const problems: string[] = [];
  const files = new Map<string, Map<string, Uint8Array>>();
  let entries: Record<string, Uint8Array>;
  let total = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        return total <= MAX_SUBMISSION_BYTES;
      },
    });
  } catch (e) {
    return { files, problems: [`it is not a readable .zip archive (${(e as Error).message}); was it made with "medigen curriculum submit"?`] };
  }
  if (total > MAX_SUBMISSION_BYTES) problems.push(`it holds more than ${MAX_SUBMISSION_BYTES / 1024 / 1024} MB of files; only the first ones were read.`);
  let manifest: SubmissionManifest | undefined;
  const raw = entries[SUBMISSION_MANIFEST];
  if (!raw) problems.push(`it has no ${SUBMISSION_MANIFEST}, so its module and version are unknown.`);
  else {
    try {
      const m = JSON.parse(strFromU8(raw)) as SubmissionManifest;
      if (m && m.format === SUBMISSION_FORMAT && typeof m.moduleId === 'string' && typeof m.moduleVersion === 'string') manifest = { ...m, exercises: typeof m.exercises === 'object' && m.exercises ? m.exercises : {} };
      else problems.push(`its ${SUBMISSION_MANIFEST} is not a MediGen Lab submission manifest.`);
    } catch (e) {
      problems.push(`its ${SUBMISSION_MANIFEST} is not valid JSON (${(e as Error).message}).`);
    }
  }
  for (const [path, data] of Object.entries(entries)) {
    if (path === SUBMISSION_MANIFEST || path.endsWith('/')) continue;
    const m = path.match(/^exercises\/([^/]+)\/(.+)$/);
    if (!m || !safeName(m[2]!) || !safeName(m[1]!)) {
      problems.push(`the entry ${JSON.stringify(path)} is not an exercise file and was left out.`);
      continue;
    }
    if (!files.has(m[1]!)) files.set(m[1]!, new Map());
    files.get(m[1]!)!.set(m[2]!, data);
  }
  return { ...(manifest ? { manifest } : {}), files, problems };
}
