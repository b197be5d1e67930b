import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { MedigenError } from '../../../../core/index';
import { commitRelease, installModule, loadModule, releaseModule, RELEASE_RECORD, scaffoldModule } from '../../../../curriculum/engine';
import { runCli } from '../../../helpers/cli';
import { tempDir } from './helpers';

const EX = join('exercises', 'note-length');

/** A scaffolded module with a grading check, a lesson image, an instructor's note at the root and a data file the checks read. */
function instructorModule(root: string, name = 'course'): string {
  const dir = join(root, name);
  scaffoldModule({ dir, id: 'demo-course', title: 'Demo course' });
  mkdirSync(join(dir, EX, 'grading'));
  writeFileSync(join(dir, EX, 'grading', 'hidden.test.ts'), "import assert from 'node:assert/strict';\nit('hidden', () => assert.ok(true));\n");
  mkdirSync(join(dir, 'lessons', 'img'));
  writeFileSync(join(dir, 'lessons', 'img', 'turns.svg'), '<svg/>\n');
  writeFileSync(join(dir, 'lessons', 'img', 'unused.svg'), '<svg/>\n');
  const lesson = join(dir, 'lessons', '01-first-lesson.md');
  writeFileSync(lesson, `${readFileSync(lesson, 'utf8')}\n![Turns](img/turns.svg "a figure")\n[The answers](../exercises/note-length/solution/note-length.ts)\n`);
  writeFileSync(join(dir, 'ANSWERS-for-TAs.md'), 'noteLength: split on /\\s+/\n');
  writeFileSync(join(dir, EX, 'checks', 'words.txt'), 'knee pain\n');
  return dir;
}

const refused = (pattern: RegExp, hint: RegExp) => (e: unknown) => e instanceof MedigenError && pattern.test(e.message) && hint.test(e.hint);

describe('curriculum release (the student edition)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('writes the manifest, lessons with the files they link, starters, public checks, hints and exercise.json, and nothing else', async () => {
    const dir = instructorModule(tmp.dir);
    const out = join(tmp.dir, 'student');
    const r = await releaseModule({ dir, out });
    assert.deepEqual(r.written, [
      `${EX}/checks/note-length.test.ts`,
      `${EX}/checks/words.txt`,
      `${EX}/exercise.json`,
      `${EX}/hints.md`,
      `${EX}/starter/note-length.ts`,
      'lessons/01-first-lesson.md',
      'lessons/img/turns.svg',
      'medigen-module.json',
    ]);
    for (const gone of ['solution', 'grading', 'wrong']) assert.equal(existsSync(join(out, EX, gone)), false, `${gone}/ is not in the student edition`);
    assert.equal(existsSync(join(out, 'ANSWERS-for-TAs.md')), false);
    assert.equal(readFileSync(join(out, EX, 'starter', 'note-length.ts'), 'utf8'), readFileSync(join(dir, EX, 'starter', 'note-length.ts'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(out, 'medigen-module.json'), 'utf8'));
    assert.equal(manifest.edition, 'student');
    assert.equal(JSON.parse(readFileSync(join(dir, 'medigen-module.json'), 'utf8')).edition, undefined, "the instructor's manifest is untouched");
    const left = Object.fromEntries(r.leftOut.map((l) => [l.path, l.why]));
    assert.match(left[`exercises/note-length/solution/`]!, /reference solution, 1 file/);
    assert.match(left[`exercises/note-length/grading/`]!, /grading checks .*1 file/);
    assert.match(left[`exercises/note-length/wrong/`]!, /wrong answers .*6 file/);
    for (const f of ['ANSWERS-for-TAs.md', 'README.md', '.github/workflows/validate.yml', 'lessons/img/unused.svg']) assert.ok(left[f], `${f} is listed as left out`);

    const loaded = await loadModule(out, { loadChecks: false });
    assert.ok(loaded.ok, JSON.stringify(loaded.problems));
    assert.equal(loaded.module!.edition, 'student');
    assert.deepEqual(loaded.module!.exercises[0]!.gradingFiles, []);
    assert.deepEqual(loaded.module!.exercises[0]!.wrongAnswers, []);
    const instructor = await loadModule(dir, { loadChecks: false });
    assert.deepEqual(instructor.module!.exercises[0]!.gradingFiles, [join(dir, EX, 'grading', 'hidden.test.ts')]);

    // A student edition with a solution folder in it (copied by hand) no longer loads.
    mkdirSync(join(out, EX, 'solution'));
    writeFileSync(join(out, EX, 'solution', 'note-length.ts'), 'export {};\n');
    const leaked = await loadModule(out, { loadChecks: false });
    assert.equal(leaked.ok, false);
    assert.match(leaked.problems[0]!.message, /solution\/ is in a student edition/);
  });

  it('refuses an --out that is the module, lies inside it, holds it, or is a folder it did not write, and says what to do', async () => {
    const dir = instructorModule(tmp.dir);
    await assert.rejects(releaseModule({ dir, out: dir }), refused(/is the module folder itself/, /outside the module/));
    await assert.rejects(releaseModule({ dir, out: join(dir, 'student') }), refused(/is inside the module folder/, /outside the module/));
    assert.equal(existsSync(join(dir, 'student')), false);
    await assert.rejects(releaseModule({ dir, out: tmp.dir }), refused(/holds the module folder/, /new or empty folder/));
    const mine = join(tmp.dir, 'my-notes');
    mkdirSync(mine);
    writeFileSync(join(mine, 'todo.md'), 'mine\n');
    await assert.rejects(releaseModule({ dir, out: mine }), refused(/is not empty and no `medigen curriculum release` wrote it/, /new or empty folder/));
    assert.equal(readFileSync(join(mine, 'todo.md'), 'utf8'), 'mine\n');
    assert.equal(existsSync(join(mine, 'medigen-module.json')), false, 'nothing was written');
    const released = join(tmp.dir, 'student');
    await releaseModule({ dir, out: released });
    await assert.rejects(releaseModule({ dir: released, out: join(tmp.dir, 'again') }), refused(/is already a student edition/, /instructor's module folder/));

    const cli = await runCli(['curriculum', 'release', dir, '--out', join(dir, 'exercises', 'out')]);
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /inside the module folder/);
    assert.equal((await runCli(['curriculum', 'release', dir])).code, 2, '--out is required');
  });

  it('releases again into its earlier release: replaces only its own files, keeps .git and files of yours, refuses hand edits', async () => {
    const dir = instructorModule(tmp.dir);
    const out = join(tmp.dir, 'student');
    await releaseModule({ dir, out });
    mkdirSync(join(out, '.git'));
    writeFileSync(join(out, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(out, 'README.md'), 'The student repository.\n');
    // The instructor drops the data file and changes the hints.
    writeFileSync(join(dir, EX, 'hints.md'), 'A new hint.\n');
    rmSync(join(dir, EX, 'checks', 'words.txt'));
    const again = await releaseModule({ dir, out });
    assert.equal(again.replaced, true);
    assert.deepEqual(again.removed, ['exercises/note-length/checks/words.txt']);
    assert.equal(existsSync(join(out, EX, 'checks', 'words.txt')), false);
    assert.equal(readFileSync(join(out, EX, 'hints.md'), 'utf8'), 'A new hint.\n');
    assert.equal(readFileSync(join(out, 'README.md'), 'utf8'), 'The student repository.\n');
    assert.ok(existsSync(join(out, '.git', 'HEAD')));
    assert.ok(JSON.parse(readFileSync(join(out, RELEASE_RECORD), 'utf8')).files['medigen-module.json']);

    writeFileSync(join(out, EX, 'hints.md'), 'Edited in the student repository.\n');
    await assert.rejects(releaseModule({ dir, out }), refused(/were changed since it was written.*hints\.md/, /Make the change in the instructor's module/));
    assert.equal(readFileSync(join(out, EX, 'hints.md'), 'utf8'), 'Edited in the student repository.\n');
    writeFileSync(join(out, EX, 'hints.md'), 'A new hint.\n');
    writeFileSync(join(dir, 'lessons', 'img', 'new.svg'), '<svg/>\n');
    const lesson = join(dir, 'lessons', '01-first-lesson.md');
    writeFileSync(lesson, `${readFileSync(lesson, 'utf8')}\n![New](img/new.svg)\n`);
    mkdirSync(join(out, 'lessons', 'img'), { recursive: true });
    writeFileSync(join(out, 'lessons', 'img', 'new.svg'), 'my own drawing\n');
    await assert.rejects(releaseModule({ dir, out }), refused(/would replace 1 file\(s\) .* that no release wrote: lessons\/img\/new\.svg/, /Move those files away/));
    assert.equal(readFileSync(join(out, 'lessons', 'img', 'new.svg'), 'utf8'), 'my own drawing\n');
  });

  it('prints what it wrote, what it left out and how to commit and tag; --git commits and tags v<version>, once', async () => {
    const dir = instructorModule(tmp.dir);
    const out = join(tmp.dir, 'student');
    const cli = await runCli(['curriculum', 'release', dir, '--out', out]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /Wrote the student edition of demo-course 0\.1\.0 to .*student: 8 file\(s\)/);
    assert.match(cli.stdout, /wrote {4}exercises\/note-length\/starter\/note-length\.ts/);
    assert.match(cli.stdout, /Left out .*\n(.*\n)*  exercises\/note-length\/grading\/  grading checks/);
    assert.match(cli.stdout, /Nothing was committed/);
    assert.match(cli.stdout, /git tag v0\.1\.0/);
    assert.equal(existsSync(join(out, '.git')), false, 'no repository without --git');

    const env = { GIT_AUTHOR_NAME: 'Instructor', GIT_AUTHOR_EMAIL: 'i@example.org', GIT_COMMITTER_NAME: 'Instructor', GIT_COMMITTER_EMAIL: 'i@example.org' };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const c = await commitRelease(out, 'demo-course', '0.1.0');
      assert.deepEqual([c.tag, c.initialized, c.committed], ['v0.1.0', true, true]);
      const git = simpleGit(out);
      assert.deepEqual((await git.tags()).all, ['v0.1.0']);
      assert.equal((await git.revparse(['v0.1.0'])).trim(), c.commit);
      const tracked = (await git.raw(['ls-files'])).trim().split('\n');
      assert.ok(tracked.includes('medigen-module.json') && !tracked.some((f) => /\/(solution|grading|wrong)\//.test(f)), tracked.join(' '));
      await assert.rejects(commitRelease(out, 'demo-course', '0.1.0'), refused(/already has the tag v0\.1\.0/, /Raise "version"/));
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('install keeps grading/ checks off the student\'s machine, and installs a student edition (no solutions) as well', async () => {
    const dir = instructorModule(tmp.dir);
    const rec = await installModule({ source: dir, modulesDir: join(tmp.dir, 'modules') });
    assert.equal(existsSync(join(rec.dir, EX, 'grading')), false, 'grading/ was not installed');
    assert.ok(existsSync(join(dir, EX, 'grading', 'hidden.test.ts')), "the instructor's grading check is untouched");
    const installed = await loadModule(rec.dir, { loadChecks: false });
    assert.deepEqual(installed.module!.exercises[0]!.gradingFiles, []);

    const out = join(tmp.dir, 'student');
    await releaseModule({ dir, out });
    const fromEdition = await installModule({ source: out, modulesDir: join(tmp.dir, 'modules-2') });
    assert.equal(existsSync(join(fromEdition.dir, EX, 'solution')), false);
    assert.equal(readFileSync(join(fromEdition.workDir, 'note-length', 'note-length.ts'), 'utf8'), readFileSync(join(dir, EX, 'starter', 'note-length.ts'), 'utf8'));
  });
});
