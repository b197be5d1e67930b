/**
 * Windows paths and line endings in the check runner: stack frames and esbuild messages with
 * drive letters, backslashes, spaces and file URLs (read with path.win32, as on Windows); VS
 * Code's lower-case drive letter against Node's upper-case one; the tsconfig the runner and the
 * workspace use; student files saved with CRLF, run through the real check process.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { forwardSlashes, isWithin } from '../../../../core/index';
import { firstLocationIn, runChecks, stackLocations } from '../../../../curriculum/engine';
import { declarationNamedIn } from '../../../../curriculum/engine/locate';
import { unifiedDiff } from '../../../../curriculum/engine/diff';
import { labTsconfig } from '../../../../curriculum/engine/workspace';
import { isWithin as guardIsWithin } from '../../../../curriculum/runtime/moduleGuard';
import { copyToTemp, fixture, tempDir } from './helpers';

const win = path.win32;
const work = 'C:\\Users\\Jane Doe\\MediGenLab\\meet-the-data\\count-turns';

describe('Windows paths and line endings', () => {
  describe('locations in stacks and compiler messages (path.win32)', () => {
    it('reads frames with drive letters, spaces, forward slashes and file URLs', () => {
      const stack = [
        'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
        `    at countTurns (${work}\\turns.ts:12:5)`,
        `    at ${work}\\helpers.ts:3:1`,
        '    at async Context.<anonymous> (file:///C:/Users/Jane%20Doe/MediGenLab/meet-the-data/count-turns/turns.ts:4:2)',
        '    at run (C:/Users/Jane Doe/MediGenLab/meet-the-data/count-turns/turns.ts:7:9)',
        '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
      ].join('\r\n');
      assert.deepEqual(stackLocations(stack, win), [
        { file: `${work}\\turns.ts`, line: 12, column: 5 },
        { file: `${work}\\helpers.ts`, line: 3, column: 1 },
        { file: `${work}\\turns.ts`, line: 4, column: 2 },
        { file: 'C:/Users/Jane Doe/MediGenLab/meet-the-data/count-turns/turns.ts', line: 7, column: 9 },
      ]);
      const esbuild = `Transform failed with 1 error:\n${work}\\turns.ts:3:7: ERROR: Expected ";" but found "x"`;
      assert.deepEqual(stackLocations(esbuild, win), [{ file: `${work}\\turns.ts`, line: 3, column: 7 }]);
    });

    it('finds the student\'s frame although VS Code spells the folder c:\\users\\… and Node C:\\Users\\…; skips packages and other folders', () => {
      const stack = [
        'Error: boom',
        '    at Object.fn (C:\\Program Files\\MediGen\\node_modules\\tsx\\dist\\x.js:1:1)',
        `    at fn (${work}\\node_modules\\lib\\index.js:2:2)`,
        '    at other (C:\\Users\\Jane Doe\\MediGenLab\\meet-the-data\\count-words\\words.ts:5:5)',
        `    at countTurns (${work}\\turns.ts:9:3)`,
      ].join('\n');
      const vscodeSpelling = 'c:\\users\\jane doe\\medigenlab\\meet-the-data\\count-turns';
      assert.deepEqual(firstLocationIn(stack, vscodeSpelling, win), { file: `${work}\\turns.ts`, line: 9, column: 3 });
      assert.equal(firstLocationIn(stack, 'D:\\MediGenLab\\meet-the-data\\count-turns', win), undefined, 'another drive');
    });

    it('tells inside from beside: drive letters and case on Windows, case on Linux', () => {
      for (const within of [isWithin, guardIsWithin]) {
        assert.equal(within('C:\\a\\b\\c.ts', 'c:\\A', win), true);
        assert.equal(within('C:/a/b/c.ts', 'C:\\a', win), true);
        assert.equal(within('C:\\a', 'C:\\a\\', win), true);
        assert.equal(within('C:\\ab\\c.ts', 'C:\\a', win), false, 'a sibling whose name starts the same');
        assert.equal(within('C:\\..a\\c.ts', 'C:\\', win), true, 'a folder named ..a is inside');
        assert.equal(within('D:\\a\\c.ts', 'C:\\a', win), false);
        assert.equal(within('/home/jane/A/b.ts', '/home/jane/a', path.posix), false);
        assert.equal(within('/home/jane/a/b.ts', '/home/jane/a', path.posix), true);
      }
    });

    it('writes tsconfig paths with forward slashes (TypeScript and tsx read C:/… the same everywhere)', () => {
      assert.equal(forwardSlashes('C:\\Program Files\\MediGen\\x.ts', win), 'C:/Program Files/MediGen/x.ts');
      assert.equal(forwardSlashes('/home/a\\b', path.posix), '/home/a\\b', 'a backslash is part of a name on Linux');
      const t = labTsconfig('C:\\Users\\Jane Doe\\.vscode\\extensions\\medigen-lab', win) as { compilerOptions: { typeRoots: string[]; paths: Record<string, string[]> } };
      assert.deepEqual(t.compilerOptions.typeRoots, ['C:/Users/Jane Doe/.vscode/extensions/medigen-lab/node_modules/@types']);
      assert.deepEqual(t.compilerOptions.paths['medigen-lab'], ['C:/Users/Jane Doe/.vscode/extensions/medigen-lab/curriculum/runtime/lab.ts']);
    });
  });

  describe('student files saved with Windows line endings (CRLF)', () => {
    let tmp: ReturnType<typeof tempDir>;
    before(() => (tmp = tempDir('medigen-crlf-')));
    after(() => tmp.cleanup());

    const toCrlf = (dir: string) => {
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replace(/\r?\n/g, '\r\n'));
    };

    it('runs the checks on CRLF files and marks the same lines as with LF (the real check process)', async function () {
      this.timeout(120_000);
      const exerciseDir = fixture('runner', 'exercise');
      const pass = copyToTemp(fixture('runner', 'pass'), tmp.dir, 'pass');
      const fail = copyToTemp(fixture('runner', 'fail'), tmp.dir, 'fail');
      toCrlf(pass);
      toCrlf(fail);
      assert.ok(readFileSync(join(fail, 'code.ts'), 'utf8').includes('\r\n'));
      const ok = await runChecks({ exerciseDir, workDir: pass });
      assert.equal(ok.status, 'passed', JSON.stringify(ok.results));
      const run = await runChecks({ exerciseDir, workDir: fail });
      const [dbl, first] = run.results;
      assert.deepEqual(dbl!.location, { file: join(fail, 'code.ts'), line: 3, column: 8 });
      assert.equal(first!.location?.line, 9);
    });

    it('finds a declaration in a CRLF file and diffs CRLF against LF line by line', () => {
      const f = join(tmp.dir, 'turns.ts');
      writeFileSync(f, '// notes\r\n\r\nexport function countTurns(d: string) {\r\n  return 0;\r\n}\r\n');
      assert.deepEqual(declarationNamedIn('countTurns counts each speaker', tmp.dir, ['turns.ts']), { file: f, line: 3, column: 8 });
      const diff = unifiedDiff('a\r\nb\r\nc\r\n', 'a\nB\nc\n', 'before', 'after');
      assert.equal(diff, '--- before\n+++ after\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    });
  });
});
