/**
 * Turns a command's argument into an exercise or a lesson: a tree node, `{moduleId, exerciseId}`,
 * `{moduleId, lessonId}`, a string ("module/exercise", "module#lesson" or "module"), a TestItem,
 * a file Uri; with no argument, the exercise of the file in the editor, else a quick pick.
 */
import * as vscode from 'vscode';
import { MedigenError } from '../../core/index';
import { progressKey, type ExerciseKey, type Lab } from '../../curriculum/lab/index';
import { STATUS_VIEW } from '../../curriculum/lab/index';

/** A lesson of an installed module. */
export interface LessonKey {
  moduleId: string;
  lessonId: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The exercise `arg` names, or one the user picks; undefined when the pick is cancelled. */
export async function resolveExercise(lab: Lab, arg: unknown, placeHolder = 'Which exercise?'): Promise<ExerciseKey | undefined> {
  if (isObj(arg) && typeof arg.moduleId === 'string' && typeof arg.exerciseId === 'string') return { moduleId: arg.moduleId, exerciseId: arg.exerciseId };
  if (typeof arg === 'string' && arg.includes('/')) {
    const [moduleId, exerciseId] = arg.split('/') as [string, string];
    return { moduleId, exerciseId };
  }
  if (arg instanceof vscode.Uri) {
    const k = lab.exerciseOfFile(arg.fsPath);
    if (!k) throw new MedigenError(`${arg.fsPath} is not a file of an exercise in your sandbox (${lab.sandboxRoot}).`, 'Open the exercise from the MediGen Lab view, then try again.');
    return k;
  }
  if (isObj(arg) && typeof arg.id === 'string' && arg.id.includes('/') && 'children' in arg) {
    // A TestItem: "<module>/<exercise>" or "<module>/<exercise>::<check>".
    const [moduleId, rest] = arg.id.split('/') as [string, string];
    return { moduleId, exerciseId: rest.split('::')[0]! };
  }
  const editor = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = editor?.scheme === 'file' ? lab.exerciseOfFile(editor.fsPath) : undefined;
  if (fromEditor) return fromEditor;
  const items = lab.modules.flatMap((m) =>
    m.exercises.map((e) => {
      const status = lab.progress.get(progressKey({ moduleId: m.id, exerciseId: e.id })).status;
      return { label: e.title, description: `${m.title} · ${m.lessons.find((l) => l.id === e.lessonId)?.title ?? ''}`, detail: STATUS_VIEW[status].label, key: { moduleId: m.id, exerciseId: e.id } };
    }),
  );
  if (!items.length) throw new MedigenError('No module is installed, so there are no exercises yet.', 'Run "MediGen Lab: Install Module", or open the MediGen Lab view to get "Meet the data".');
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.key;
}

/** The lesson `arg` names, or one the user picks (the next unfinished one first). */
/** Whether a command was given its lesson (an object with moduleId and lessonId, or "module#lesson"), so no picker will ask. */
export function isLessonKey(arg: unknown): boolean {
  return (isObj(arg) && typeof arg.moduleId === 'string' && typeof arg.lessonId === 'string') || (typeof arg === 'string' && arg.length > 0);
}

export async function resolveLesson(lab: Lab, arg: unknown, placeHolder = 'Which lesson?'): Promise<LessonKey | undefined> {
  if (isObj(arg) && typeof arg.moduleId === 'string' && typeof arg.lessonId === 'string') return { moduleId: arg.moduleId, lessonId: arg.lessonId };
  if (typeof arg === 'string') {
    const [moduleId, lessonId] = arg.split('#') as [string, string | undefined];
    return { moduleId, lessonId: lessonId ?? lab.module(moduleId).lessons[0]?.id ?? '' };
  }
  const items = lab.modules.flatMap((m) =>
    m.lessons.map((l) => {
      const done = l.exercises.filter((e) => lab.progress.get(progressKey({ moduleId: m.id, exerciseId: e.id })).status === 'passed').length;
      return { label: l.title, description: m.title, detail: `${done} of ${l.exercises.length} exercises done`, key: { moduleId: m.id, lessonId: l.id } };
    }),
  );
  if (!items.length) throw new MedigenError('No module is installed, so there are no lessons yet.', 'Run "MediGen Lab: Install Module", or open the MediGen Lab view to get "Meet the data".');
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.key;
}
