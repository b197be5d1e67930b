/**
 * The lessons tree as plain data: installed modules → lessons → exercises, each exercise with its
 * status from the ProgressStore. Built fresh from the modules and the progress on every change
 * (the VS Code tree view only maps these nodes to TreeItems), so it is unit-tested without VS Code.
 */
import { formatScore, type CurriculumModule } from '../engine/index';
import type { ExerciseProgress, ExerciseStatus } from '../../sandbox/index';
import { progressKey } from './lab';

/** How an exercise shows in the tree: the status and the codicon that goes with it. */
export const STATUS_VIEW: Record<ExerciseStatus, { label: string; icon: string }> = {
  'not-started': { label: 'not started', icon: 'circle-large-outline' },
  started: { label: 'started', icon: 'edit' },
  failing: { label: 'failing', icon: 'error' },
  passed: { label: 'done', icon: 'pass-filled' },
};

export interface ExerciseNode {
  kind: 'exercise';
  /** Unique id: `<moduleId>/<exerciseId>`. */
  id: string;
  moduleId: string;
  lessonId: string;
  exerciseId: string;
  label: string;
  status: ExerciseStatus;
  /** Short text after the label, e.g. "failing · 1 of 2 checks pass". */
  description: string;
  icon: string;
  tooltip: string;
}

export interface LessonNode {
  kind: 'lesson';
  /** Unique id: `<moduleId>#<lessonId>`. */
  id: string;
  moduleId: string;
  lessonId: string;
  label: string;
  /** e.g. "1 of 2 done". */
  description: string;
  icon: string;
  children: ExerciseNode[];
}

export interface ModuleNode {
  kind: 'module';
  id: string;
  moduleId: string;
  label: string;
  description: string;
  tooltip: string;
  children: LessonNode[];
}

/** A line of explanation at the top of the tree (e.g. why checks are off). */
export interface NoticeNode {
  kind: 'notice';
  id: string;
  label: string;
  tooltip: string;
  icon: string;
  /** Command to run when clicked. */
  command?: string;
}

export type LabTreeNode = ModuleNode | LessonNode | ExerciseNode | NoticeNode;

/** Options of `buildLabTree`. */
export interface BuildTreeOptions {
  /** False in an untrusted workspace: a notice says checks are off and how to trust. Defaults to true. */
  trusted?: boolean;
}

/** The progress of one exercise by its key (`ProgressStore.get`). */
export type ProgressLookup = (key: string) => ExerciseProgress;

/** An exercise's tooltip ends with this in an untrusted workspace. */
export const UNTRUSTED_EXERCISE_TIP = 'Checks are off: this folder is not trusted, and a check runs your code. You can open and edit the file; trust the folder to run its check.';

/** Builds the tree for `modules` with each exercise's status from `progress`. */
export function buildLabTree(modules: readonly CurriculumModule[], progress: ProgressLookup, opts: BuildTreeOptions = {}): LabTreeNode[] {
  const out: LabTreeNode[] = [];
  if (opts.trusted === false) {
    out.push({
      kind: 'notice',
      id: 'notice:untrusted',
      label: 'Checks are off: this folder is not trusted',
      tooltip: 'You can read the lessons, but MediGen Lab runs no code and no checks in a folder VS Code does not trust. Click here (or run "Workspaces: Manage Workspace Trust") and choose "Trust" if you know where the files come from.',
      icon: 'shield',
      command: 'workbench.trust.manage',
    });
  }
  for (const m of modules) {
    const lessons: LessonNode[] = m.lessons.map((l) => {
      const children: ExerciseNode[] = l.exercises.map((e) => {
        const key = progressKey({ moduleId: m.id, exerciseId: e.id });
        const p = progress(key);
        const view = STATUS_VIEW[p.status];
        const last = p.lastResult && p.score ? `${p.lastResult}, ${formatScore(p.score)}` : p.lastResult;
        const description = last && p.status !== 'not-started' ? `${view.label} · ${last}` : view.label;
        return {
          kind: 'exercise',
          id: key,
          moduleId: m.id,
          lessonId: l.id,
          exerciseId: e.id,
          label: e.title,
          status: p.status,
          description,
          icon: view.icon,
          tooltip: `${e.title}: ${description}.${p.checks ? ` Checked ${p.checks} time(s).` : ''} ${opts.trusted === false ? UNTRUSTED_EXERCISE_TIP : 'Open it to edit the file, then run its check.'}`,
        };
      });
      const done = children.filter((c) => c.status === 'passed').length;
      return {
        kind: 'lesson',
        id: `${m.id}#${l.id}`,
        moduleId: m.id,
        lessonId: l.id,
        label: l.title,
        description: `${done} of ${children.length} done`,
        icon: children.length > 0 && done === children.length ? 'book' : 'notebook',
        children,
      };
    });
    out.push({ kind: 'module', id: m.id, moduleId: m.id, label: m.title, description: `v${m.version}`, tooltip: m.manifest.description, children: lessons });
  }
  return out;
}

/** The first lesson with an exercise not done yet (else the first lesson): where "Continue" goes. */
export function nextLesson(tree: readonly LabTreeNode[]): LessonNode | undefined {
  const lessons = tree.flatMap((n) => (n.kind === 'module' ? n.children : []));
  return lessons.find((l) => l.children.some((e) => e.status !== 'passed')) ?? lessons[0];
}
