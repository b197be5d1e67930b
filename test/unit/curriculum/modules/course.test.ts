/**
 * The shipped course after "Meet the data": "Cleaning dialogues" and "Writing instruction prompts"
 * validate (every solution passes, every starter fails every check, every wrong answer fails at
 * least one check), and the files a student edits type-check under strict settings, as the
 * student's editor checks them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { labTsconfig, validateModule } from '../../../../curriculum/engine';
import { tempDir } from '../engine/helpers';

const MODULES = { 'cleaning-dialogues': 3, 'instruction-prompts': 4 } as const;
const moduleDir = (id: string) => join(projectRoot(), 'curriculum', 'modules', id);

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name));
}

describe('the course modules after "Meet the data"', function () {
  this.timeout(1_200_000);

  for (const [id, exercises] of Object.entries(MODULES)) {
    it(`"${id}" validates: solutions pass, starters fail every check, every wrong answer is caught`, async () => {
      const report = await validateModule(moduleDir(id));
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
      assert.equal(report.exercises.length, exercises);
      for (const e of report.exercises) {
        assert.equal(e.solution.status, 'passed', `${e.exercise.id}: ${JSON.stringify(e.solution.results.filter((r) => r.status !== 'passed'))}`);
        assert.equal(e.starter.passed, 0, `${e.exercise.id}: no check passes on the starter`);
        assert.ok(e.wrong.length >= 3, `${e.exercise.id} ships at least 3 wrong answers`);
        for (const w of e.wrong) assert.ok(w.run.failed > 0, `${e.exercise.id}: wrong answer ${w.answer.name} fails at least one check`);
      }
    });
  }

  it('starters, solutions and wrong answers (what a student edits) type-check under strict TypeScript', () => {
    const tmp = tempDir();
    try {
      const files = Object.keys(MODULES).flatMap((id) => tsFiles(join(moduleDir(id), 'exercises'))).filter((f) => !f.includes('/checks/'));
      const cfgFile = join(tmp.dir, 'tsconfig.json');
      writeFileSync(cfgFile, JSON.stringify({ ...labTsconfig(), files }));
      const tsc = join(projectRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
      const r = spawnSync(process.execPath, [tsc, '-p', cfgFile], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      tmp.cleanup();
    }
  });
});
