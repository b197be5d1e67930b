import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labTsconfig, loadModule, prepareWorkspace, runChecks, scaffoldModule } from '../../../../curriculum/engine';
import { projectRoot } from '../../../../core/index';
import { shippedModule, tempDir } from './helpers';

describe('curriculum module "Meet the data" and student workspaces', () => {
  it('reference solutions and checks (shipped and scaffolded) type-check under strict TypeScript', () => {
    const tmp = tempDir();
    try {
      scaffoldModule({ dir: join(tmp.dir, 'scaffolded') });
      const mod = shippedModule();
      const config = {
        ...labTsconfig(),
        files: [
          ...['load-a-split/solution/split.ts', 'count-turns/solution/turns.ts', 'corpus-table/solution/table.ts'].map((f) => join(mod, 'exercises', f)),
          ...['load-a-split/checks/split.test.ts', 'count-turns/checks/turns.test.ts', 'corpus-table/checks/table.test.ts'].map((f) => join(mod, 'exercises', f)),
          join(tmp.dir, 'scaffolded', 'exercises', 'note-length', 'solution', 'note-length.ts'),
          join(tmp.dir, 'scaffolded', 'exercises', 'note-length', 'checks', 'note-length.test.ts'),
        ],
      };
      const cfgFile = join(tmp.dir, 'tsconfig.json');
      writeFileSync(cfgFile, JSON.stringify(config));
      const tsc = join(projectRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
      const r = spawnSync(process.execPath, [tsc, '-p', cfgFile, '--noUnusedLocals', '--noUnusedParameters'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally {
      tmp.cleanup();
    }
  });

  it('a student workspace outside the repository gets the starter files and passes once solved', async () => {
    const loaded = await loadModule(shippedModule(), { loadChecks: false });
    assert.ok(loaded.ok);
    const ex = loaded.module.exercises.find((e) => e.id === 'count-turns')!;
    const tmp = tempDir();
    try {
      const work = join(tmp.dir, 'count-turns');
      assert.deepEqual(prepareWorkspace({ exercise: ex, workDir: work }), ['turns.ts']);
      const tsconfig = JSON.parse(readFileSync(join(work, 'tsconfig.json'), 'utf8'));
      assert.deepEqual(tsconfig.compilerOptions.paths['medigen-lab'], [join(projectRoot(), 'curriculum', 'runtime', 'lab.ts')]);
      const first = await runChecks({ exerciseDir: ex.dir, workDir: work });
      assert.equal(first.status, 'failed');
      assert.match(first.results[0]!.message!, /TODO/);
      assert.equal(first.results[0]!.location?.file, join(work, 'turns.ts'));
      // The student solves it (here: with the reference solution); preparing again keeps their file.
      writeFileSync(join(work, 'turns.ts'), readFileSync(join(ex.solutionDir, 'turns.ts')));
      assert.deepEqual(prepareWorkspace({ exercise: ex, workDir: work }), []);
      const solved = await runChecks({ exerciseDir: ex.dir, workDir: work });
      assert.equal(solved.status, 'passed', JSON.stringify(solved.results, null, 1));
      assert.equal(solved.passed, 8);
    } finally {
      tmp.cleanup();
    }
  });

  /** `medigen curriculum check` on corpus-table's solution with `from` replaced by `to` in a student workspace. */
  async function checkCorpusTable(from: string, to: string): Promise<{ code: number; stdout: string; solutionDir: string }> {
    const { runCli } = await import('../../../helpers/cli');
    const loaded = await loadModule(shippedModule(), { loadChecks: false });
    const ex = loaded.module!.exercises.find((e) => e.id === 'corpus-table')!;
    const tmp = tempDir();
    try {
      const work = join(tmp.dir, 'w');
      prepareWorkspace({ exercise: ex, workDir: work });
      const solution = readFileSync(join(ex.solutionDir, 'table.ts'), 'utf8');
      assert.ok(solution.includes(from), `the solution no longer has ${from}`);
      writeFileSync(join(work, 'table.ts'), solution.replace(from, to));
      return { ...(await runCli(['curriculum', 'check', shippedModule(), 'corpus-table', work])), solutionDir: ex.solutionDir };
    } finally {
      tmp.cleanup();
    }
  }

  it('`medigen curriculum check` reports a student\'s result with the failing line', async () => {
    const { runCli } = await import('../../../helpers/cli');
    // Solved except the rounding of the means.
    const r = await checkCorpusTable('Math.round((total / n) * 10) / 10', 'total / n');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✗ corpus-table splitRow computes the encounters and the means rounded \(not cut off\) to one decimal/);
    assert.match(r.stdout, /splitRow should give means of 8\/3, 35\/3 and 17\/3 rounded to one decimal/);
    assert.match(r.stdout, /meanNoteWords: 5\.666666666666667/);
    assert.match(r.stdout, /at table\.ts:\d+:\d+/);
    assert.match(r.stdout, /5 of 6 checks pass/);
    const json = await runCli(['curriculum', 'check', shippedModule(), 'corpus-table', r.solutionDir, '--json']);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).passed, 6);
  });

  it('`medigen curriculum check` says in plain words what an error of JavaScript itself means', async () => {
    const r = await checkCorpusTable('Math.round((total / n) * 10) / 10', 'Math.round((totl / n) * 10) / 10');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /totl is not defined\n {4}In plain words: Your code uses the name totl, but nothing called totl exists where it is used\./);
  });
});
