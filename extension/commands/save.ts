/**
 * Saving the student's open files before a check, a reset or a restore. A check must run what the
 * student sees in the editor: when VS Code does not save a file (it is newer on disk, a save
 * participant cancelled, the disk refused), the check would silently run the older code on disk,
 * and the student would read results about code they no longer have. So each save is verified
 * against the disk, tried once more, and otherwise refused with what to do.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isWithin, MedigenError } from '../../core/index';

/** True when the file on disk holds the document's text (a UTF-8 byte-order mark aside). */
async function onDisk(doc: vscode.TextDocument): Promise<boolean> {
  const text = await readFile(doc.uri.fsPath, 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  // A file in another encoding decodes with replacement characters: nothing to compare it with here.
  if (text.includes('\uFFFD')) return true;
  return text.replace(/^\uFEFF/, '') === doc.getText();
}

/** Saves one document and confirms the disk has it; why not, otherwise. */
async function saveOne(doc: vscode.TextDocument): Promise<string | undefined> {
  const saved = await doc.save();
  if (saved && (await onDisk(doc))) return undefined;
  return saved ? 'VS Code reported it saved, but the file on disk is different' : 'VS Code did not save it';
}

/** What a failed save stopped, and what the student does again once the file is saved, per action. */
const STOPPED = {
  check: { nothing: 'nothing was checked: the check would have run the older code on disk, not what your editor shows', again: 'run the check' },
  reset: { nothing: 'nothing was reset: your latest changes would not have been in the checkpoint saved before starting over', again: 'start over' },
  restore: { nothing: 'nothing was restored: your latest changes would not have been in the checkpoint saved before the restore', again: 'restore' },
} as const;

/**
 * Saves every changed editor of a file inside `dir` before a check, reset or restore. Throws a
 * MedigenError naming the files that could not be saved (after a second try), so nothing runs on
 * files older than what the student sees.
 */
export async function saveStudentFiles(dir: string, before: keyof typeof STOPPED, log: (line: string) => void): Promise<void> {
  const failed: string[] = [];
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.uri.scheme !== 'file' || !isWithin(doc.uri.fsPath, dir)) continue;
    let why = await saveOne(doc);
    if (why) {
      log(`Saving ${doc.uri.fsPath} before the ${before}: ${why}; trying once more.`);
      await new Promise((r) => setTimeout(r, 250));
      why = doc.isDirty ? await saveOne(doc) : (await onDisk(doc)) ? undefined : why;
    }
    if (why) {
      log(`Saving ${doc.uri.fsPath}: ${why} (second try).`);
      failed.push(`${basename(doc.uri.fsPath)} (${why})`);
    }
  }
  if (failed.length) {
    const stopped = STOPPED[before];
    throw new MedigenError(
      `${failed.join(', ')} could not be saved, so ${stopped.nothing}.`,
      `Save the file yourself (File > Save, or Ctrl+S). If VS Code says the file on disk is newer, choose "Compare" to see both, or "Overwrite" to keep what you typed. Then ${stopped.again} again.`,
    );
  }
}
