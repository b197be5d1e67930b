import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { evaluationPaths, writeCsv, type EvaluationSummary } from 'medigen-lab';
import { COURSE_RUN_EVALUATION } from './recorded';

interface Verdict {
  rouge1: { base: number; finetuned: number };
  gain: number;
  withHeadings: { base: number; finetuned: number };
  better: boolean;
}
interface Student {
  judgeRun(runDir: string): Verdict;
}

let student: Remote<Student>;
let dir: string;

/** A run folder with an evaluation as `medigen train evaluate` writes it. */
function evaluatedRun(name: string, summary: EvaluationSummary | string, base: string, finetuned: string): string {
  const run = join(dir, name);
  const p = evaluationPaths(run);
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(p.summary, typeof summary === 'string' ? summary : JSON.stringify(summary, null, 2));
  writeFileSync(p.baseCsv, base);
  writeFileSync(p.finetunedCsv, finetuned);
  return run;
}

const notesCsv = (notes: string[]) => writeCsv(['encounter_id', 'note'], notes.map((n, i) => [`MX${i + 1}`, n]));
const summaryOf = (rows: EvaluationSummary['rows']): EvaluationSummary => ({ createdAt: '2026-11-30T10:00:00.000Z', split: 'valid', encounters: 3, baseModel: 'base.gguf', adapter: 'adapter.gguf', rows });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'judge-adapter-'));
  student = await loadStudent<Student>('judge.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('judge-adapter', () => {
  it('judgeRun on the recorded CPU course run: ROUGE-1 of both models, the gain, and the notes with headings', async () => {
    const r = COURSE_RUN_EVALUATION;
    const got = await student.judgeRun(evaluatedRun('course-run', r.summary, r.baseCsv, r.finetunedCsv));
    const want = r.expected;
    assert.deepEqual(got?.rouge1, want.rouge1, `judgeRun should read whole-note ROUGE-1 ${JSON.stringify(want.rouge1)} from evaluation/summary.json (F1 as a fraction between 0 and 1, as the file keeps it; the lesson's table shows it × 100); your code gave ${JSON.stringify(got?.rouge1)}`);
    assert.ok(Math.abs((got?.gain ?? NaN) - (want.rouge1.finetuned - want.rouge1.base)) < 1e-12, `judgeRun's gain should be fine-tuned minus base = ${+(want.rouge1.finetuned - want.rouge1.base).toFixed(12)}; your code gave ${got?.gain}`);
    assert.deepEqual(got?.withHeadings, want.withHeadings, `Of the ${r.notes} notes, ${want.withHeadings.base} (base) and ${want.withHeadings.finetuned} (fine-tuned) have a section heading on a line of its own; your code counted ${JSON.stringify(got?.withHeadings)}`);
    assert.equal(got?.better, want.better, `In this recorded run the fine-tuned notes score ${want.better ? 'higher' : 'lower'} ROUGE-1 than the base model's: better should be ${want.better}`);
  });

  it('judgeRun finds the ALL / rouge1 row wherever it is in the summary, and a worse adapter gives a negative gain', async () => {
    const rows: EvaluationSummary['rows'] = [
      { group: 'division-subjective', metric: 'rouge1', base: 0.31, finetuned: 0.36 },
      { group: 'ALL', metric: 'rouge2', base: 0.12, finetuned: 0.1 },
      { group: 'ALL', metric: 'rougeL', base: 0.2, finetuned: 0.21 },
      { group: 'ALL', metric: 'rouge1', base: 0.42, finetuned: 0.39 },
      { group: 'ALL', metric: 'rougeLsum', base: 0.38, finetuned: 0.35 },
    ];
    const got = await student.judgeRun(evaluatedRun('worse', summaryOf(rows), notesCsv(['a', 'b', 'c']), notesCsv(['a', 'b', 'c'])));
    assert.deepEqual(got?.rouge1, { base: 0.42, finetuned: 0.39 }, `The ALL / rouge1 row says base 0.42, fine-tuned 0.39; your code read ${JSON.stringify(got?.rouge1)}`);
    assert.ok(Math.abs((got?.gain ?? NaN) - -0.03) < 1e-9, `The adapter made ROUGE-1 worse: the gain should be 0.39 - 0.42 = -0.03; your code gave ${typeof got?.gain === 'number' ? +got.gain.toFixed(12) : got?.gain}${typeof got?.gain === 'number' && Math.abs(got.gain - 0.03) < 1e-9 ? ' (base minus fine-tuned: the gain is fine-tuned minus base)' : ''}`);
    assert.equal(got?.better, false, 'A lower ROUGE-1 is not better');
  });

  it('judgeRun counts a heading only when it stands on a line of its own', async () => {
    const base = notesCsv([
      'Her chief complaint is knee pain since a fall. History of present illness: two weeks.',
      'CHIEF COMPLAINT: cough. Assessment and plan follows.',
      'knee pain knee pain knee pain',
    ]);
    const tuned = notesCsv([
      'CHIEF COMPLAINT\n\nKnee pain.\n\nHISTORY OF PRESENT ILLNESS\n\nTwo weeks after a fall.',
      'cough for three days',
      'ASSESSMENT AND PLAN\n\nIbuprofen.',
    ]);
    const rows = [{ group: 'ALL', metric: 'rouge1', base: 0.1, finetuned: 0.2 }];
    const got = await student.judgeRun(evaluatedRun('headings', summaryOf(rows), base, tuned));
    assert.deepEqual(got?.withHeadings, { base: 0, finetuned: 2 }, `The base notes only mention the headings inside sentences (0 notes with headings); 2 fine-tuned notes have one on its own line. Your code counted ${JSON.stringify(got?.withHeadings)}`);
  });

  it('judgeRun: equal scores are not an improvement', async () => {
    const rows = [{ group: 'ALL', metric: 'rouge1', base: 0.25, finetuned: 0.25 }, { group: 'ALL', metric: 'rougeL', base: 0.2, finetuned: 0.3 }];
    const got = await student.judgeRun(evaluatedRun('tie', summaryOf(rows), notesCsv(['x']), notesCsv(['y'])));
    assert.equal(got?.better, false, 'Base and fine-tuned both score 0.25 ROUGE-1: better should be false');
    assert.equal(got?.gain, 0, `The gain of two equal scores is 0; your code gave ${got?.gain}`);
  });
});
