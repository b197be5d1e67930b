import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { runChecks } from '../../../../curriculum/engine/index';

const root = projectRoot();

describe('medigen-lab, the student API', function () {
  this.timeout(300_000);

  it('reaches every stage from student code, imported through the check runner\'s mapping as an exercise does', async () => {
    const exerciseDir = join(root, 'test', 'fixtures', 'curriculum', 'stages', 'exercises', 'every-stage');
    const run = await runChecks({ exerciseDir, workDir: join(exerciseDir, 'solution'), checkTimeoutMs: 120_000, timeoutMs: 280_000 });
    assert.equal(run.status, 'passed', JSON.stringify(run.results.filter((r) => r.status !== 'passed'), null, 1) + run.output);
    assert.deepEqual(run.results.map((r) => r.title.split(':')[0]), ['data', 'prompts', 'scoring', 'generating', 'fine-tuning']);
  });

  it('has a reference page generated from its code (dist/api/medigen-lab.md, written by npm run docs at setup)', () => {
    const page = readFileSync(join(root, 'dist', 'api', 'medigen-lab.md'), 'utf8').replaceAll('\\_', '_'); // Markdown escapes _ in headings
    const source = readFileSync(join(root, 'curriculum', 'runtime', 'lab.ts'), 'utf8');
    // Every value the API exports (as `name` or `x as name`) has its own heading on the page.
    const exported = [...source.matchAll(/^\s+(?!type )(?:\w+ as )?([A-Za-z_]\w*),?$/gm)].map((m) => m[1]!);
    assert.ok(exported.length > 60, `only ${exported.length} exports found in lab.ts`);
    const missing = exported.filter((name) => !new RegExp(`^#{2,4} ${name}\\b`, 'm').test(page));
    assert.deepEqual(missing, [], 'exports without a section on the reference page: regenerate it with npm run docs');
    for (const fn of ['loadSplit', 'buildInstructionData', 'rouge', 'generateSplit', 'estimateTrainingMemory']) assert.match(page, new RegExp(`^#{2,4} ${fn}\\(\\)`, 'm'), fn);
  });
});
