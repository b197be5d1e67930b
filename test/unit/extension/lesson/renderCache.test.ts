import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLesson } from '../../../../extension/lesson/markdown';
import { LessonRenderCache } from '../../../../extension/lesson/renderCache';

const LESSON = '# Who speaks?\n\nCount the **turns** of [the exercise](exercise:count-turns), then [run it](command:medigenLab.runCheck?%5B%22x%22%5D).\n\n![chart](img/turns.png)\n\n<script>alert(1)</script>';
const images = (base: string) => ({ resolveImage: (src: string) => `${base}/${src}` });

describe('the lesson render cache (rendered Markdown kept between sessions)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-render-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives exactly what renderLesson gives, rendering each piece once', async () => {
    const cache = new LessonRenderCache();
    const fresh = await renderLesson(LESSON, images('https://res/lesson'));
    const first = await cache.render(LESSON, images('https://res/lesson'));
    const again = await cache.render(LESSON, images('https://res/lesson'));
    assert.deepEqual(first, fresh);
    assert.deepEqual(again, fresh);
    assert.deepEqual(cache.stats, { hits: 1, misses: 1 });
    assert.match(again.html, /<img src="https:\/\/res\/lesson\/img\/turns.png"/);
    assert.doesNotMatch(again.html, /<script/);
    // What a caller does with the result does not change the next one.
    again.exerciseLinks.push('tampered');
    assert.deepEqual((await cache.render(LESSON, images('https://res/lesson'))).exerciseLinks, ['count-turns']);
  });

  it('fills in the image URLs of each use, and renders again when the resolver refuses other files', async () => {
    const cache = new LessonRenderCache();
    const md = '![a](img/a.png) and ![b](img/b.png)\n\n![q](img/q"<x.png)';
    for (const base of ['https://res/one', 'https://res/two', 'https://res/one']) {
      assert.deepEqual(await cache.render(md, images(base)), await renderLesson(md, images(base)), base);
    }
    assert.deepEqual(cache.stats, { hits: 2, misses: 1 }, 'one render, its URLs filled in for each place');
    // No resolver: every image is blocked; another entry.
    assert.deepEqual(await cache.render(md), await renderLesson(md));
    assert.deepEqual(cache.stats, { hits: 2, misses: 2 });
    // A resolver that refuses b (or, later, allows it again) gets exactly what renderLesson gives.
    const noB = { resolveImage: (src: string) => (src === 'img/b.png' ? undefined : `https://res/${src}`) };
    assert.deepEqual(await cache.render(md, noB), await renderLesson(md, noB));
    assert.match((await cache.render(md, noB)).html, /image not shown: b/);
    assert.deepEqual(await cache.render(md, images('https://res/three')), await renderLesson(md, images('https://res/three')));
  });

  it('cannot be made to put a URL anywhere but where the lesson has an image', async () => {
    const cache = new LessonRenderCache();
    // Text that looks like another render's placeholder stays text.
    const md = 'medigen-image-0123456789abcdef-0. ![a](img/a.png)';
    const first = await cache.render(md, images('https://res'));
    const again = await cache.render(md, images('https://res'));
    assert.deepEqual(again, first);
    assert.deepEqual(again, await renderLesson(md, images('https://res')));
    assert.equal((again.html.match(/https:\/\/res/g) ?? []).length, 1);
  });

  it('serves the next session from the file, for the same build only', async () => {
    const file = join(dir, 'storage', 'lesson-render-cache.json');
    const first = new LessonRenderCache({ file, build: 'build-1' });
    const rendered = await first.render(LESSON, images('https://res/lesson'));
    assert.equal(await first.flush(), true);
    assert.ok(existsSync(file), 'the folder is created and the file written');
    assert.deepEqual(readdirSync(join(dir, 'storage')), ['lesson-render-cache.json'], 'no temporary file left');

    const next = new LessonRenderCache({ file, build: 'build-1' });
    assert.deepEqual(await next.render(LESSON, images('https://res/lesson')), rendered);
    assert.deepEqual(next.stats, { hits: 1, misses: 0 });

    const rebuilt = new LessonRenderCache({ file, build: 'build-2' });
    assert.deepEqual(await rebuilt.render(LESSON, images('https://res/lesson')), rendered);
    assert.deepEqual(rebuilt.stats, { hits: 0, misses: 1 }, 'another build renders afresh');
    await rebuilt.flush();
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).build, 'build-2');
  });

  it('writes by itself a moment after a render that missed, and not when nothing changed', async () => {
    const file = join(dir, 'cache.json');
    const cache = new LessonRenderCache({ file, build: 'b', writeAfterMs: 20 });
    await cache.render('# One');
    assert.equal(existsSync(file), false, 'not written during the render');
    for (const end = Date.now() + 10_000; !existsSync(file) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).entries.length, 1);
    rmSync(file);
    await cache.render('# One');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(existsSync(file), false, 'a hit writes nothing');
  });

  it('treats a damaged file as none and replaces it with a good one', async () => {
    const file = join(dir, 'cache.json');
    for (const junk of ['{not json', '{"format":1,"build":"b","entries":"x"}', '{"format":1,"build":"b","entries":[["k",{"html":1}],7]}', 'null']) {
      writeFileSync(file, junk);
      const cache = new LessonRenderCache({ file, build: 'b' });
      assert.deepEqual(await cache.render(LESSON), await renderLesson(LESSON), junk);
      assert.deepEqual(cache.stats, { hits: 0, misses: 1 }, junk);
      assert.equal(await cache.flush(), true);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).entries.length, 1, junk);
    }
  });

  it('still renders when the file cannot be written, and says why', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the storage folder should be');
    const lines: string[] = [];
    const cache = new LessonRenderCache({ file: join(blocker, 'cache.json'), build: 'b', log: (l) => lines.push(l) });
    assert.deepEqual(await cache.render(LESSON), await renderLesson(LESSON));
    assert.equal(await cache.flush(), false);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /could not write .*not-a-folder.*cache\.json.*rendered again next time/);
  });

  it('keeps the most recently used pieces when it is full', async () => {
    const file = join(dir, 'cache.json');
    const cache = new LessonRenderCache({ file, build: 'b', maxEntries: 2 });
    await cache.render('# A');
    await cache.render('# B');
    await cache.render('# A'); // A is now the most recent
    await cache.render('# C'); // B goes
    assert.deepEqual(cache.stats, { hits: 1, misses: 3 });
    await cache.flush();
    const next = new LessonRenderCache({ file, build: 'b', maxEntries: 2 });
    await next.render('# A');
    await next.render('# C');
    await next.render('# B');
    assert.deepEqual(next.stats, { hits: 2, misses: 1 });
  });

  it('lives in memory only without a file or a build', async () => {
    mkdirSync(join(dir, 'x'));
    const cache = new LessonRenderCache({ file: join(dir, 'x', 'cache.json') });
    assert.equal(cache.file, undefined);
    await cache.render('# A');
    assert.equal(await cache.flush(), true);
    assert.deepEqual(readdirSync(join(dir, 'x')), []);
  });
});
