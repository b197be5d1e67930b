import assert from 'node:assert/strict';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exerciseLinks, loadModule, parseHints, scaffoldModule, type ModuleProblem } from '../../../../curriculum/engine';
import { fixture, shippedModule, tempDir } from './helpers';

/** Scaffolds a valid module in a temp folder, lets `mutate` break it, and loads it. */
async function loadMutated(mutate: (dir: string) => void, loadChecks = false): Promise<ModuleProblem[]> {
  const tmp = tempDir();
  try {
    const dir = join(tmp.dir, 'mod');
    scaffoldModule({ dir, id: 'test-mod' });
    mutate(dir);
    const r = await loadModule(dir, { loadChecks });
    return r.problems.map((p) => ({ ...p, file: p.file.replace(dir, '<mod>') }));
  } finally {
    tmp.cleanup();
  }
}

function editJson(file: string, edit: (j: any) => void): void {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  edit(j);
  writeFileSync(file, JSON.stringify(j, null, 2));
}

const manifest = (dir: string) => join(dir, 'medigen-module.json');

describe('curriculum loadModule', () => {
  it('loads the shipped "Meet the data" module with its lessons, exercises and hints', async () => {
    const r = await loadModule(shippedModule(), { loadChecks: false });
    assert.ok(r.ok, JSON.stringify(r.problems, null, 1));
    assert.equal(r.module.id, 'meet-the-data');
    assert.deepEqual(r.module.exercises.map((e) => e.id), ['load-a-split', 'count-turns', 'corpus-table']);
    const turns = r.module.exercises[1]!;
    assert.equal(turns.entry, 'turns.ts');
    assert.deepEqual(turns.starterFiles, ['turns.ts']);
    assert.equal(turns.timeLimitMs, 5000);
    assert.ok(turns.hints.length >= 3);
    assert.match(r.module.lessons[0]!.markdown, /# Meet the data/);
  });

  it('reports unknown fields, wrong types, bad values and missing fields with JSON paths and a fix', async () => {
    const r = await loadModule(fixture('broken-manifest'), { loadChecks: false });
    assert.equal(r.ok, false);
    const by = (path: string) => r.problems.find((p) => p.path === path);
    assert.match(by('$.colour')!.message, /unknown field "colour"/);
    assert.match(by('$.lessons[0].titel')!.hint, /Did you mean "title"/);
    assert.match(by('$.lessons[0].title')!.message, /no "title" field, which is required/);
    assert.match(by('$.author')!.message, /should be a string but is an integer/);
    assert.match(by('$.version')!.message, /"1\.0", which does not have the expected form/);
    assert.match(by('$.id')!.hint, /lowercase letters, digits and dashes/);
    assert.match(by('$.minExtensionVersion')!.message, /required/);
    assert.ok(r.problems.every((p) => p.file.endsWith('medigen-module.json') && p.hint.length > 0));
  });

  it('reports a manifest that is not JSON with its line', async () => {
    const problems = await loadMutated((d) => writeFileSync(manifest(d), '{\n  "id": "x",\n  "title": \n}'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /not valid JSON/);
    assert.equal(problems[0]!.line, 4);
  });

  it('reports a folder without a manifest', async () => {
    const problems = await loadMutated((d) => rmSync(manifest(d)));
    assert.match(problems[0]!.message, /has no medigen-module\.json/);
  });

  it('reports a missing lesson file', async () => {
    const problems = await loadMutated((d) => rmSync(join(d, 'lessons', '01-first-lesson.md')));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, '$.lessons[0].file');
    assert.match(problems[0]!.message, /lesson file lessons\/01-first-lesson\.md does not exist/);
  });

  it('reports a missing exercise folder, and missing starter, solution, checks and hints', async () => {
    const gone = await loadMutated((d) => editJson(manifest(d), (j) => (j.lessons[0].exercises[0].dir = 'exercises/nowhere')));
    assert.ok(gone.some((p) => p.path === '$.lessons[0].exercises[0].dir' && /exercises\/nowhere does not exist/.test(p.message)));
    const ex = (d: string, ...p: string[]) => join(d, 'exercises', 'note-length', ...p);
    const parts = await loadMutated((d) => {
      for (const p of ['starter', 'solution', 'checks', 'hints.md']) rmSync(ex(d, p), { recursive: true });
    });
    const msgs = parts.map((p) => p.message).join('\n');
    assert.match(msgs, /starter\/ is missing or empty/);
    assert.match(msgs, /solution\/ is missing or empty/);
    assert.match(msgs, /checks\/ has no \*\.test\.ts/);
    assert.match(msgs, /hints\.md is missing/);
  });

  it('reports solution files that do not match the starter files', async () => {
    const problems = await loadMutated((d) => {
      const ex = join(d, 'exercises', 'note-length');
      writeFileSync(join(ex, 'starter', 'extra.ts'), 'export {};\n');
      writeFileSync(join(ex, 'solution', 'other.ts'), 'export {};\n');
    });
    const msgs = problems.map((p) => p.message).join('\n');
    assert.match(msgs, /solution\/ has no extra\.ts, but starter\/ does/);
    assert.match(msgs, /solution\/other\.ts has no counterpart in starter/);
  });

  it('reports duplicate lesson and exercise ids', async () => {
    const problems = await loadMutated((d) =>
      editJson(manifest(d), (j) => {
        j.lessons.push({ ...j.lessons[0], exercises: [{ ...j.lessons[0].exercises[0], dir: 'exercises/note-length' }] });
      }),
    );
    const msgs = problems.map((p) => `${p.path} ${p.message}`).join('\n');
    assert.match(msgs, /\$\.lessons\[1\]\.id Lesson id "first-lesson" is used twice/);
    assert.match(msgs, /\$\.lessons\[1\]\.exercises\[0\]\.id Exercise id "note-length" is used twice/);
    assert.match(msgs, /folder exercises\/note-length is used by two exercises/);
  });

  it('reports a lesson link to a missing exercise with the lesson file and line', async () => {
    const problems = await loadMutated((d) => writeFileSync(join(d, 'lessons', '01-first-lesson.md'), '# One\n\nText.\n[Try](exercise:count-turns)\n'));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.file, '<mod>/lessons/01-first-lesson.md');
    assert.equal(problems[0]!.line, 4);
    assert.match(problems[0]!.message, /links to exercise "count-turns", which the module does not have/);
    assert.match(problems[0]!.hint, /exercise:note-length/);
  });

  it('reports a bad exercise.json (unknown field, entry not in starter)', async () => {
    const problems = await loadMutated((d) => writeFileSync(join(d, 'exercises', 'note-length', 'exercise.json'), '{ "entry": "main.ts", "timeLimit": 5 }'));
    const msgs = problems.map((p) => `${p.path} ${p.message}`).join('\n');
    assert.match(msgs, /\$\.timeLimit .*unknown field "timeLimit"/);
    const fixed = await loadMutated((d) => writeFileSync(join(d, 'exercises', 'note-length', 'exercise.json'), '{ "entry": "main.ts" }'));
    assert.match(fixed[0]!.message, /entry file main\.ts, which starter\/ does not have/);
  });

  it('reports a check file that does not load (loaded in a separate process)', async () => {
    const problems = await loadMutated((d) => {
      const f = join(d, 'exercises', 'note-length', 'checks', 'note-length.test.ts');
      writeFileSync(f, readFileSync(f, 'utf8').replace("describe('note-length', () => {", "describe('note-length', () => {{"));
    }, true);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /A check file of exercise "note-length" does not load/);
    assert.equal(problems[0]!.file, '<mod>/exercises/note-length/checks/note-length.test.ts');
    const missingImport = await loadMutated((d) => {
      const f = join(d, 'exercises', 'note-length', 'checks', 'note-length.test.ts');
      writeFileSync(f, `import { nothing } from './no-such-helper';\n${readFileSync(f, 'utf8')}\nvoid nothing;\n`);
    }, true);
    assert.match(missingImport[0]!.message, /does not load: .*no-such-helper/);
  });

  it('loads a scaffolded module, check files included', async () => {
    assert.deepEqual(await loadMutated(() => {}, true), []);
  });

  it('loads an installed copy without listing its wrong answers, and still checks the rest, links included', async () => {
    const tmp = tempDir();
    try {
      const dir = join(tmp.dir, 'mod');
      scaffoldModule({ dir, id: 'test-mod' });
      const listed = await loadModule(dir, { loadChecks: false });
      assert.ok(listed.ok && listed.module.exercises[0]!.wrongAnswers.length === 3);
      const installed = await loadModule(dir, { loadChecks: false, installed: true });
      assert.ok(installed.ok, JSON.stringify(installed.problems));
      assert.deepEqual(installed.module.exercises[0]!.wrongAnswers, []);
      // A copy installed before links were checked: the lab refuses it all the same.
      writeFileSync(join(tmp.dir, 'secret.env'), 'TOKEN=1');
      symlinkSync(join(tmp.dir, 'secret.env'), join(dir, 'exercises', 'note-length', 'notes.txt'));
      const linked = await loadModule(dir, { loadChecks: false, installed: true });
      assert.ok(!linked.ok && linked.problems.some((p) => /notes\.txt is a symbolic link to .*secret\.env, outside the module folder/.test(p.message)), JSON.stringify(linked.problems));
      rmSync(join(dir, 'exercises', 'note-length', 'notes.txt'));
      rmSync(join(dir, 'lessons'), { recursive: true });
      const broken = await loadModule(dir, { loadChecks: false, installed: true });
      assert.ok(!broken.ok && broken.problems.some((p) => /lesson file .* does not exist/.test(p.message)), JSON.stringify(broken.problems));
    } finally {
      tmp.cleanup();
    }
  });

  it('parses hints and exercise links', () => {
    assert.deepEqual(parseHints('first\n---\nsecond\n\n---\n\n'), ['first', 'second']);
    assert.deepEqual(exerciseLinks('a [x](exercise:one)\n\nb [y]( exercise:two ) [z](https://x)'), [
      { id: 'one', line: 1 },
      { id: 'two', line: 3 },
    ]);
  });
});
