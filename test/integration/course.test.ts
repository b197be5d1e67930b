/**
 * The "Scoring notes", "Generating notes", "Fine-tuning with QLoRA" and "Is this note safe?" modules in a REAL VS Code: for one exercise of each,
 * the student's path from the lesson to a passing check, through the real commands (Start Lesson,
 * Run Check) and the real check runner (the generating exercise runs the generated tiny model).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { medigenApi as api, until } from './support';
import type { OpenLessonResult } from '../../extension/commands/index';
import type { ExerciseRunSummary } from '../../extension/testing/controller';

const repoRoot = join(__dirname, '..', '..', '..');

interface Walk {
  moduleId: string;
  lessonId: string;
  lessonTitle: string;
  exerciseId: string;
  entry: string;
}

const WALKS: Walk[] = [
  { moduleId: 'scoring-notes', lessonId: 'what-rouge-counts', lessonTitle: 'What ROUGE counts', exerciseId: 'rouge1-by-hand', entry: 'rouge1.ts' },
  { moduleId: 'generating-notes', lessonId: 'a-model-on-your-computer', lessonTitle: 'A model on your own computer', exerciseId: 'one-note', entry: 'note.ts' },
  { moduleId: 'fine-tuning', lessonId: 'judging-against-base', lessonTitle: 'Judging against the base model', exerciseId: 'judge-adapter', entry: 'judge.ts' },
  { moduleId: 'is-this-note-safe', lessonId: 'unsupported-details', lessonTitle: 'Details the visit never mentioned', exerciseId: 'find-unsupported', entry: 'unsupported.ts' },
];

describe('The scoring, generating, fine-tuning and safety modules, lesson to passing check, in a real VS Code', function () {
  this.timeout(600_000);
  let tmp: string;
  let sandbox: string;
  before(async () => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'medigen-course-it-')));
    sandbox = join(tmp, 'sandbox');
    await vscode.workspace.getConfiguration('medigenLab').update('sandboxFolder', sandbox, vscode.ConfigurationTarget.Global);
  });
  // The lab records a check's result in git just after the check returns (not waited for): retry while it finishes.
  after(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

  for (const w of WALKS) {
    describe(`${w.moduleId}: ${w.exerciseId}`, () => {
      const key = { moduleId: w.moduleId, exerciseId: w.exerciseId };
      const file = () => join(sandbox, w.moduleId, w.exerciseId, w.entry);

      it('is installed with the extension and "Start Lesson" opens the lesson with the starter in the sandbox', async () => {
        const lab = await until('the lab at the configured sandbox', async () => {
          const l = await (await api()).lessons.lab.get();
          return l.sandboxRoot === sandbox && l.modules.some((m) => m.id === w.moduleId) ? l : undefined;
        });
        assert.equal(realpathSync(lab.installed().find((m) => m.id === w.moduleId)!.source), realpathSync(join(repoRoot, 'curriculum', 'modules', w.moduleId)));
        const r = await vscode.commands.executeCommand<OpenLessonResult>('medigenLab.startLesson', { moduleId: w.moduleId, lessonId: w.lessonId });
        assert.ok(r, 'startLesson returned nothing: see the MediGen Lab output');
        assert.equal(r.title, w.lessonTitle);
        assert.deepEqual(r.exerciseDirs, [join(sandbox, w.moduleId, w.exerciseId)]);
        assert.ok(existsSync(file()), `the starter ${file()} is in the sandbox`);
      });

      it('"Run Check" fails on the starter', async () => {
        const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', key);
        assert.ok(s, 'runCheck returned nothing: see the MediGen Lab output');
        assert.equal(s.status, 'failed');
        assert.equal(s.passed, 0, JSON.stringify(s.results.filter((x) => x.status === 'passed').map((x) => x.title)));
        assert.ok(s.total >= 3);
      });

      it('"Run Check" passes once the student has written the solution', async () => {
        const doc = await vscode.workspace.openTextDocument(file());
        await vscode.window.showTextDocument(doc);
        const solution = readFileSync(join(repoRoot, 'curriculum', 'modules', w.moduleId, 'exercises', w.exerciseId, 'solution', w.entry), 'utf8');
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), solution);
        assert.ok(await vscode.workspace.applyEdit(edit));
        const s = await vscode.commands.executeCommand<ExerciseRunSummary>('medigenLab.runCheck', key);
        assert.equal(s?.status, 'passed', JSON.stringify(s?.results.filter((x) => x.status !== 'passed')));
        assert.equal(s.passed, s.total);
        const lab = await (await api()).lessons.lab.get();
        assert.equal(lab.progress.get(`${w.moduleId}/${w.exerciseId}`).status, 'passed');
      });
    });
  }
});
