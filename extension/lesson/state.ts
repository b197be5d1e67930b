/**
 * What the lesson page shows for each exercise, built from the lab (modules + ProgressStore) and
 * the checks running now. Plain Node: unit-tested without VS Code.
 */
import { formatScore, type Lesson } from '../../curriculum/engine/index';
import type { Lab } from '../../curriculum/lab/index';
import { progressKey } from '../../curriculum/lab/index';
import { STATUS_VIEW } from '../../curriculum/lab/index';
import { renderLesson } from './markdown';
import type { RenderMarkdown } from './renderCache';
import type { CheckFailureView } from './failures';
import type { LessonViewState } from './messages';

/** Checks running now and the failures of the last run, per exercise key (`<module>/<exercise>`). */
export interface RunInfo {
  isRunning(key: string): boolean;
  failures(key: string): CheckFailureView[];
}

/** The page state of `lesson` of module `moduleId` (hints rendered by `render`, by default `renderLesson`). */
export async function lessonViewState(lab: Pick<Lab, 'progress' | 'shownHints'>, moduleId: string, lesson: Lesson, runs: RunInfo, trusted: boolean, render: RenderMarkdown = renderLesson): Promise<LessonViewState> {
  return {
    trusted,
    exercises: await Promise.all(lesson.exercises.map(async (e) => {
      const k = { moduleId, exerciseId: e.id };
      const key = progressKey(k);
      const p = lab.progress.get(key);
      return {
        id: e.id,
        title: e.title,
        status: p.status,
        statusLabel: STATUS_VIEW[p.status].label,
        ...(p.lastResult ? { lastResult: p.score ? `${p.lastResult}, ${formatScore(p.score)}` : p.lastResult } : {}),
        hintsHtml: await Promise.all(lab.shownHints(k).map(async (h) => (await render(h)).html)),
        hintsTotal: e.hints.length,
        running: runs.isRunning(key),
        failures: runs.failures(key),
      };
    })),
  };
}
