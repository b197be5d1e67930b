import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../core/index';
import { CI_VALIDATE_COMMAND, CI_WORKFLOW_FILE, checkFilesOf, gradingFilesOf, runChecks, scaffoldModule } from '../../../../curriculum/engine';
import { tempDir } from './helpers';

const EX = join('exercises', 'note-length');

/** A grading check that every wrong answer of the scaffold passes ("a" is one word, one character, one piece): it catches nothing. */
const GRADING_CHECK = `import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';

interface Student {
  noteLength(note: string): number;
}
let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('note-length.ts');
});
after(() => student?.close());

describe('note-length (grading)', () => {
  it('noteLength counts a one-letter note', async () => {
    assert.equal(await student.noteLength('a'), 1, 'noteLength should find 1 word in "a"');
  });
});
`;

describe('curriculum editions: grading checks, validate of the student edition, the CI workflow', function () {
  this.timeout(900_000);
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir()));
  after(() => tmp.cleanup());

  it('runChecks runs grading/ checks only when given them, and names each result\'s file', async () => {
    const dir = join(tmp.dir, 'graded');
    scaffoldModule({ dir });
    mkdirSync(join(dir, EX, 'grading'));
    writeFileSync(join(dir, EX, 'grading', 'hidden.test.ts'), GRADING_CHECK);
    const ex = join(dir, EX);
    const student = await runChecks({ exerciseDir: ex, workDir: join(ex, 'solution') });
    assert.equal(student.status, 'passed');
    assert.equal(student.results.length, 3);
    assert.ok(student.results.every((r) => r.file === join(ex, 'checks', 'note-length.test.ts')), JSON.stringify(student.results));
    const graded = await runChecks({ exerciseDir: ex, workDir: join(ex, 'starter'), files: [...checkFilesOf(ex), ...gradingFilesOf(ex)] });
    assert.equal(graded.results.length, 4);
    const hidden = graded.results.filter((r) => r.file?.includes('/grading/'));
    assert.deepEqual(hidden.map((r) => [r.fullTitle, r.status, r.file]), [['note-length (grading) noteLength counts a one-letter note', 'failed', join(ex, 'grading', 'hidden.test.ts')]]);
  });

  it('`curriculum new` writes a CI workflow whose command, run as the workflow runs it, validates both editions: a check importing ../solution breaks the student edition, a grading check that catches nothing is named', async () => {
    const dir = join(tmp.dir, 'module');
    scaffoldModule({ dir, id: 'ci-course' });
    const workflow = readFileSync(join(dir, CI_WORKFLOW_FILE), 'utf8');
    // What the comments promise must stay true: MediGen Lab is not on npm, so the workflow builds it from source.
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { private?: boolean; bin?: Record<string, string> };
    assert.equal(pkg.private, true, 'the workflow says MediGen Lab is not on npm: update ciWorkflow() if that changed');
    assert.equal(pkg.bin?.medigen, './dist/cli.mjs');
    assert.match(workflow, /not published on npm/);
    assert.match(workflow, /MEDIGEN_LAB_REPO/);
    assert.match(workflow, /git clone --depth 1 --branch "\$REF" "\$REPO" medigen-lab\n\s+cd medigen-lab && npm ci && node esbuild\.mjs/);
    assert.match(workflow, /on:\n {2}push:\n {2}pull_request:/);
    const step = workflow.match(/working-directory: module\n\s+run: (.+)\n/);
    assert.equal(step?.[1], CI_VALIDATE_COMMAND);

    // The mistake the student edition catches: a public check that uses the reference solution.
    const check = join(dir, EX, 'checks', 'note-length.test.ts');
    writeFileSync(
      check,
      readFileSync(check, 'utf8')
        .replace("import { loadStudent, type Remote } from 'medigen-lab/checks';", "import { loadStudent, type Remote } from 'medigen-lab/checks';\nimport { noteLength as reference } from '../solution/note-length';")
        .replace("assert.equal(await student.noteLength(''), 0,", "assert.equal(await student.noteLength(''), reference(''),"),
    );
    mkdirSync(join(dir, EX, 'grading'));
    writeFileSync(join(dir, EX, 'grading', 'hidden.test.ts'), GRADING_CHECK);

    // The workflow's layout: the module checked out in module/, MediGen Lab built beside it in medigen-lab/.
    assert.ok(existsSync(join(projectRoot(), 'dist', 'cli.mjs')), 'build the CLI first: node esbuild.mjs');
    symlinkSync(projectRoot(), join(tmp.dir, 'medigen-lab'));
    const r = spawnSync('bash', ['-c', step![1]!], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const out = r.stdout;
    assert.match(out, /note-length: solution passes 4\/4 checks \(1 of them grading checks\), starter fails 4\/4, 3 of 3 wrong answers caught/, out);
    assert.match(out, /✗ student edition: its public checks do not load/);
    assert.match(out, /In the student edition \(no solution\/, grading\/ or wrong\/\), the public checks of exercise "note-length" do not load on the reference solution: .*solution\/note-length/);
    assert.match(out, /What to do: A public check must not import or read \.\.\/solution/);
    assert.match(out, /1 warning\(s\) \(warnings alone do not fail the module\):\n {2}✗ exercises\/note-length\/grading\/hidden\.test\.ts\n {4}Grading check "note-length \(grading\) noteLength counts a one-letter note" of exercise "note-length" fails on none of its 3 wrong answers: a check that catches nothing\./);
    assert.doesNotMatch(out, /The module is valid/);
  });
});
