/**
 * The files a student edits in the shipped course (starters, solutions, wrong answers) type-check
 * under strict settings, as the student's editor checks them. (Every shipped module is validated,
 * solutions against starters and wrong answers, by test/unit/curriculum/engine/validate.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { labTsconfig } from '../../../../curriculum/engine/index';
import { tempDir } from '../engine/helpers';

const moduleDir = (id: string) => join(projectRoot(), 'curriculum', 'modules', id);

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name));
}

describe('the shipped course modules', function () {
  this.timeout(1_200_000);

  it('starters, solutions and wrong answers (what a student edits) type-check under strict TypeScript', () => {
    const tmp = tempDir();
    try {
      const files = readdirSync(join(projectRoot(), 'curriculum', 'modules')).flatMap((id) => tsFiles(join(moduleDir(id), 'exercises'))).filter((f) => !f.includes('/checks/') && !f.includes('/grading/'));
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
