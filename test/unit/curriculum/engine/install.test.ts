import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleGit } from 'simple-git';
import { compareVersions, installModule, listInstalled, scaffoldModule, unifiedDiff, updateModule } from '../../../../curriculum/engine';
import { runCli } from '../../../helpers/cli';
import { tempDir } from './helpers';

const STARTER = join('exercises', 'note-length', 'starter', 'note-length.ts');

/**
 * A real git repository with two tagged releases of a scaffolded module (v0.1.0, v0.2.0: the
 * instructor reworded the starter's TODO and added a data file) and a bare clone of it.
 */
async function makeRepo(root: string): Promise<{ src: string; bare: string; v1Starter: string; v2Starter: string }> {
  const src = join(root, 'src');
  scaffoldModule({ dir: src, id: 'demo-course', title: 'Demo course' });
  const git = simpleGit(src);
  await git.init();
  await git.addConfig('user.name', 'Instructor');
  await git.addConfig('user.email', 'instructor@example.org');
  await git.add('.');
  await git.commit('v0.1.0');
  await git.addTag('v0.1.0');
  const v1Starter = readFileSync(join(src, STARTER), 'utf8');
  const v2Starter = v1Starter.replace('// TODO: split the note on whitespace', '// TODO (clearer): split the note on whitespace');
  writeFileSync(join(src, STARTER), v2Starter);
  for (const side of ['starter', 'solution', ...['splits-on-spaces-only', 'keeps-empty-pieces', 'counts-characters'].map((w) => `wrong/${w}`)]) writeFileSync(join(src, 'exercises', 'note-length', side, 'words.txt'), 'knee pain\n');
  const mf = join(src, 'medigen-module.json');
  writeFileSync(mf, readFileSync(mf, 'utf8').replace('"version": "0.1.0"', '"version": "0.2.0"'));
  await git.add('.');
  await git.commit('v0.2.0');
  await git.addTag('v0.2.0');
  const bare = join(root, 'demo-course.git');
  await simpleGit().clone(src, bare, ['--bare']);
  return { src, bare, v1Starter, v2Starter };
}

describe('curriculum install / update / list (real git repositories)', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: Awaited<ReturnType<typeof makeRepo>>;

  before(async () => {
    tmp = tempDir();
    repo = await makeRepo(tmp.dir);
  });
  after(() => tmp.cleanup());

  it('installs a pinned tag from a file:// URL, keeps it on update, and moves on --ref without touching edited work', async () => {
    const modulesDir = join(tmp.dir, 'modules-a');
    const rec = await installModule({ source: pathToFileURL(repo.bare).href, ref: 'v0.1.0', modulesDir });
    assert.equal(rec.version, '0.1.0');
    assert.equal(rec.ref, 'v0.1.0');
    assert.equal(rec.pinned, true);
    assert.match(rec.commit!, /^[0-9a-f]{40}$/);
    const work = join(rec.workDir, 'note-length', 'note-length.ts');
    assert.equal(readFileSync(work, 'utf8'), repo.v1Starter);
    assert.ok(existsSync(join(rec.workDir, 'note-length', 'tsconfig.json')), 'the workspace maps medigen-lab for the editor');
    assert.deepEqual(listInstalled({ modulesDir }).map((m) => [m.id, m.version]), [['demo-course', '0.1.0']]);

    const stay = await updateModule({ id: 'demo-course', modulesDir });
    assert.equal(stay.status, 'pinned');
    assert.deepEqual(stay.newerTags, ['v0.2.0']);
    assert.equal(listInstalled({ modulesDir })[0]!.version, '0.1.0');

    const mine = repo.v1Starter.replace("throw new Error(`TODO: count the words of a note of ${note.length} characters`);", 'return note.split(/\\s+/).length; // my attempt');
    writeFileSync(work, mine);
    const moved = await updateModule({ id: 'demo-course', modulesDir, ref: 'v0.2.0' });
    assert.equal(moved.status, 'updated');
    assert.equal(moved.after.version, '0.2.0');
    assert.equal(readFileSync(work, 'utf8'), mine, 'student work wins');
    assert.equal(moved.keptFiles.length, 1);
    const kept = moved.keptFiles[0]!;
    assert.equal(kept.file, 'note-length.ts');
    assert.match(kept.diff, /^-  \/\/ TODO: split the note on whitespace/m);
    assert.match(kept.diff, /^\+  \/\/ TODO \(clearer\): split the note on whitespace/m);
    assert.equal(readFileSync(kept.diffFile, 'utf8'), kept.diff);
    assert.deepEqual(moved.addedFiles, ['note-length/words.txt']);
    assert.equal(readFileSync(join(rec.workDir, 'note-length', 'words.txt'), 'utf8'), 'knee pain\n');
    assert.equal(readFileSync(join(rec.dir, STARTER), 'utf8'), repo.v2Starter, 'the installed module is the new version');
    assert.deepEqual(listInstalled({ modulesDir }).map((m) => [m.version, m.ref, m.pinned]), [['0.2.0', 'v0.2.0', true]]);
  });

  it('installs the newest version tag by default and replaces unedited files on update', async () => {
    const latest = await installModule({ source: repo.bare, modulesDir: join(tmp.dir, 'modules-b') });
    assert.equal(latest.version, '0.2.0');
    assert.equal(latest.pinned, false);
    assert.equal((await updateModule({ id: 'demo-course', modulesDir: join(tmp.dir, 'modules-b') })).status, 'up-to-date');

    const modulesDir = join(tmp.dir, 'modules-c');
    const rec = await installModule({ source: repo.src, ref: 'v0.1.0', modulesDir });
    const r = await updateModule({ id: 'demo-course', modulesDir, ref: 'v0.2.0' });
    assert.deepEqual(r.updatedFiles, ['note-length/note-length.ts']);
    assert.deepEqual(r.keptFiles, []);
    assert.equal(readFileSync(join(rec.workDir, 'note-length', 'note-length.ts'), 'utf8'), repo.v2Starter);
  });

  it('installs from a plain folder, refuses duplicates, broken modules and unknown tags', async () => {
    const modulesDir = join(tmp.dir, 'modules-d');
    const plain = join(tmp.dir, 'plain');
    scaffoldModule({ dir: plain, id: 'plain-course' });
    const rec = await installModule({ source: plain, modulesDir });
    assert.equal(rec.id, 'plain-course');
    assert.equal(rec.commit, undefined);
    await assert.rejects(installModule({ source: plain, modulesDir }), /already installed/);
    await assert.rejects(installModule({ source: plain, modulesDir, ref: 'v1.0.0' }), /plain folder, not a git repository/);
    await assert.rejects(installModule({ source: repo.bare, modulesDir, ref: 'v9.9.9' }), /Could not get "v9\.9\.9"/);
    const broken = join(tmp.dir, 'broken');
    scaffoldModule({ dir: broken, id: 'broken' });
    writeFileSync(join(broken, 'lessons', '01-first-lesson.md'), '[x](exercise:missing)\n');
    await assert.rejects(installModule({ source: broken, modulesDir }), /has 1 problem\(s\), so it was not installed:\n {2}- The lesson links to exercise "missing"/);
    await assert.rejects(updateModule({ id: 'nothing', modulesDir }), /No module "nothing" is installed/);
  });

  it('works through the CLI: install, list, update', async () => {
    const modulesDir = join(tmp.dir, 'modules-e');
    const i = await runCli(['curriculum', 'install', pathToFileURL(repo.bare).href, '--ref', 'v0.1.0', '--modules', modulesDir]);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /Installed demo-course 0\.1\.0 \(v0\.1\.0, pinned\)/);
    // What to do next, with commands that name the installed module by its id.
    const next = /then check it with\n {2}medigen curriculum check demo-course (\S+) --modules \S+\nStuck\? medigen curriculum hint demo-course \1 --modules/.exec(i.stdout);
    assert.ok(next, i.stdout);
    const exercise = next[1]!;
    const h = await runCli(['curriculum', 'hint', 'demo-course', exercise, '--modules', modulesDir]);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, new RegExp(`^Hint 1 of 2 for ${exercise}:\n\n\\S[\\s\\S]*Still stuck\\? The next hint: medigen curriculum hint demo-course ${exercise} --modules`));
    // Asked again, it gives the next hint (the installed module remembers), then the last one again.
    const h2 = await runCli(['curriculum', 'hint', 'demo-course', exercise, '--modules', modulesDir]);
    assert.match(h2.stdout, new RegExp(`^Hint 2 of 2 for ${exercise}:[\\s\\S]*That was the last hint \\(the earlier ones: medigen curriculum hint demo-course ${exercise} <1 to 2>`));
    assert.match((await runCli(['curriculum', 'hint', 'demo-course', exercise, '--modules', modulesDir])).stdout, /^Hint 2 of 2/);
    assert.match((await runCli(['curriculum', 'hint', 'demo-course', exercise, '1', '--modules', modulesDir])).stdout, /^Hint 1 of 2/);
    const none = await runCli(['curriculum', 'hint', 'demo-course', exercise, '99', '--modules', modulesDir]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, new RegExp(`There is no hint "99": exercise ${exercise} has hints 1 to 2\\.\n  What to do: Give a number from 1 to 2, e\\.g\\. medigen curriculum hint demo-course ${exercise} 1`));
    const noExercise = await runCli(['curriculum', 'check', 'demo-course', 'nope', '--modules', modulesDir]);
    assert.equal(noExercise.code, 2);
    assert.match(noExercise.stderr, new RegExp(`The module demo-course has no exercise "nope"\\.\n.*Its exercises: ${exercise}`));
    const noModule = await runCli(['curriculum', 'check', 'demo-cours', exercise, '--modules', modulesDir]);
    assert.equal(noModule.code, 2);
    assert.match(noModule.stderr, /"demo-cours" is neither an installed module nor a module folder[\s\S]*Installed modules: demo-course\./);
    const elsewhere = await runCli(['curriculum', 'check', 'demo-course', exercise, '--modules', join(tmp.dir, 'no-modules-here')]);
    assert.match(elsewhere.stderr, /No module is installed in .*no-modules-here\. If you installed it with --modules <folder>, give the same --modules <folder> here/);
    const l = await runCli(['curriculum', 'list', '--modules', modulesDir]);
    assert.match(l.stdout, /demo-course {2}0\.1\.0 \(pinned to v0\.1\.0\) {2}Demo course/);
    const u = await runCli(['curriculum', 'update', 'demo-course', '--modules', modulesDir]);
    assert.match(u.stdout, /stays at 0\.1\.0 \(pinned to v0\.1\.0\)\. Newer versions: v0\.2\.0; move with --ref v0\.2\.0/);
    const u2 = await runCli(['curriculum', 'update', 'demo-course', '--ref', 'v0.2.0', '--modules', modulesDir]);
    assert.match(u2.stdout, /Updated demo-course from 0\.1\.0 to 0\.2\.0\.\n {2}updated {2}note-length\/note-length\.ts\n {2}added {4}note-length\/words\.txt/);
    const e = await runCli(['curriculum', 'list', '--modules', join(tmp.dir, 'none')]);
    assert.match(e.stdout, /No modules installed/);
  });

  it('compares versions and diffs text', () => {
    assert.deepEqual(['v0.10.0', 'v0.2.0', 'v1.0.0-beta', 'v1.0.0'].sort(compareVersions), ['v0.2.0', 'v0.10.0', 'v1.0.0-beta', 'v1.0.0']);
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
    assert.equal(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'x', 'y'), '--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    assert.equal(unifiedDiff('', 'new\n', 'x', 'y'), '--- x\n+++ y\n@@ -0,0 +1,1 @@\n+new\n');
  });
});
