import assert from 'node:assert/strict';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { loadModule, type CurriculumModule } from '../../../../curriculum/engine/index';
import { buildLabTree, nextLesson, type ExerciseNode, type LessonNode, type ModuleNode } from '../../../../curriculum/lab/index';
import { lessonViewState } from '../../../../extension/lesson/state';
import type { ExerciseProgress } from '../../../../sandbox/index';

const none: ExerciseProgress = { status: 'not-started', checks: 0, hintsShown: 0, updated: '' };

describe('lessons tree model (modules → lessons → exercises with progress)', () => {
  let mod: CurriculumModule;
  before(async () => {
    const r = await loadModule(join(projectRoot(), 'curriculum', 'modules', 'meet-the-data'), { loadChecks: false });
    assert.ok(r.ok);
    mod = r.module!;
  });

  it('lists the real module, its lessons and exercises, all not started', () => {
    const [m, ...rest] = buildLabTree([mod], () => none);
    assert.equal(rest.length, 0);
    assert.equal(m!.kind, 'module');
    const mn = m as ModuleNode;
    assert.equal(mn.label, 'Meet the data');
    assert.equal(mn.description, `v${mod.version}`);
    assert.deepEqual(mn.children.map((l) => l.lessonId), mod.lessons.map((l) => l.id));
    const ex = mn.children[1]!.children[0]!;
    assert.deepEqual([ex.id, ex.status, ex.description, ex.icon], ['meet-the-data/count-turns', 'not-started', 'not started', 'circle-large-outline']);
    assert.equal(mn.children[0]!.description, '0 of 1 done');
  });

  it('shows done / failing from the progress store, with the last result', () => {
    const progress = (key: string): ExerciseProgress =>
      key === 'meet-the-data/load-a-split' ? { ...none, status: 'passed', checks: 2, lastResult: '3 of 3 checks pass' } : key === 'meet-the-data/count-turns' ? { ...none, status: 'failing', checks: 1, lastResult: '1 of 3 checks pass' } : none;
    const tree = buildLabTree([mod], progress);
    const lessons = (tree[0] as ModuleNode).children;
    const [a, b] = [lessons[0]!.children[0]!, lessons[1]!.children[0]!] as ExerciseNode[];
    assert.deepEqual([a!.status, a!.icon, a!.description], ['passed', 'pass-filled', 'done · 3 of 3 checks pass']);
    assert.deepEqual([b!.status, b!.icon, b!.description], ['failing', 'error', 'failing · 1 of 3 checks pass']);
    assert.equal(lessons[0]!.description, '1 of 1 done');
    assert.equal(lessons[0]!.icon, 'book');
    assert.equal((nextLesson(tree) as LessonNode).lessonId, 'who-speaks', 'continue goes to the first unfinished lesson');
  });

  it('puts a notice first in an untrusted workspace, linking to the trust editor', () => {
    const [first] = buildLabTree([mod], () => none, { trusted: false });
    assert.equal(first!.kind, 'notice');
    assert.ok(first!.kind === 'notice' && first!.command === 'workbench.trust.manage');
    assert.match(first!.label, /not trusted/);
    const ex = ((buildLabTree([mod], () => none, { trusted: false })[1] as ModuleNode).children[1]!.children[0]!);
    assert.match(ex.tooltip, /Checks are off: this folder is not trusted.*trust the folder to run its check/);
    const trustedEx = (buildLabTree([mod], () => none)[0] as ModuleNode).children[1]!.children[0]!;
    assert.doesNotMatch(trustedEx.tooltip, /not trusted/);
  });

  it('builds the lesson page state: statuses, hints shown so far (sanitized), running checks', async () => {
    const lesson = mod.lessons[1]!;
    const state = await lessonViewState(
      { progress: { get: () => ({ ...none, status: 'failing', hintsShown: 1, lastResult: '0 of 3 checks pass' }) } as never, shownHints: () => ['Use `<b>` a loop <script>x</script>'] },
      mod.id,
      lesson,
      { isRunning: (k) => k === 'meet-the-data/count-turns', failures: () => [{ title: 'countTurns counts', message: 'expected 2' }] },
      true,
    );
    const [e] = state.exercises;
    assert.equal(e!.id, 'count-turns');
    assert.equal(e!.statusLabel, 'failing');
    assert.equal(e!.running, true);
    assert.equal(e!.hintsTotal, lesson.exercises[0]!.hints.length);
    assert.equal(e!.hintsHtml.length, 1);
    assert.doesNotMatch(e!.hintsHtml[0]!, /<script/);
    assert.deepEqual(e!.failures, [{ title: 'countTurns counts', message: 'expected 2' }]);
  });
});
