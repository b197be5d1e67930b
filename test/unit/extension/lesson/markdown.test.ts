import assert from 'node:assert/strict';
import { parseCommandLink, renderLesson } from '../../../../extension/lesson/markdown';
import { parseLessonMessage } from '../../../../extension/lesson/messages';

describe('lesson Markdown rendering (untrusted input)', () => {
  it('renders ordinary Markdown', async () => {
    const { html } = await renderLesson('# Meet the data\n\nA **dialogue** has `turns`.\n\n- one\n- two\n\n```ts\nconst a = 1 < 2;\n```');
    assert.match(html, /<h1[^>]*>Meet the data<\/h1>/);
    assert.match(html, /<strong>dialogue<\/strong>/);
    assert.match(html, /<code>turns<\/code>/);
    assert.match(html, /<li>two<\/li>/);
    assert.match(html, /const a = 1 &lt; 2;/);
  });

  it('shows raw HTML as text: no script, no event handler, no iframe', async () => {
    const md = 'Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<iframe src="https://evil.example"></iframe>\n\n<div onclick="x()">d</div>';
    const { html } = await renderLesson(md);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img[^>]*onerror/i);
    assert.doesNotMatch(html, /<iframe/i);
    assert.doesNotMatch(html, /<div onclick/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('neutralises javascript: and data: links, and sends web links out through the extension', async () => {
    const { html } = await renderLesson('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://aclanthology.org) [d](#top)');
    assert.doesNotMatch(html, /href="javascript/i);
    assert.doesNotMatch(html, /href="data:/i);
    assert.match(html, /<span class="unsafe-link">a<\/span>/);
    assert.match(html, /data-href="https:\/\/aclanthology.org"/);
    assert.doesNotMatch(html, / href="https:/);
    assert.match(html, /<a href="#top">d<\/a>/);
  });

  it('loads only module images, through the resolver; remote images are blocked', async () => {
    const resolveImage = (src: string) => `vscode-resource://module/${src}`;
    const { html } = await renderLesson('![chart](img/turns.png) ![x](https://tracker.example/p.gif) ![y](../../etc/passwd) ![z](//cdn.example/a.png)', { resolveImage });
    assert.match(html, /<img src="vscode-resource:\/\/module\/img\/turns.png" alt="chart">/);
    assert.equal((html.match(/<img/g) ?? []).length, 1);
    assert.match(html, /image not shown: x/);
    assert.match(html, /image not shown: y/);
    assert.match(html, /image not shown: z/);
  });

  it('collects exercise links', async () => {
    const r = await renderLesson('Try [counting turns](exercise:count-turns) then [stats](exercise:stats_table).');
    assert.deepEqual(r.exerciseLinks, ['count-turns', 'stats_table']);
    assert.match(r.html, /data-exercise="count-turns"/);
  });

  it('keeps command:medigenLab.* links (with URL-encoded JSON arguments) and removes every other command: link', async () => {
    const md = [
      '[Preview Cleaning](command:medigenLab.previewCleaning)',
      '[Open](command:medigenLab.openLesson?%7B%22moduleId%22%3A%22meet-the-data%22%7D)',
      '[Two](command:medigenLab.openExercise?%5B%22a%22%2C2%5D)',
      '[Terminal](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
      '[Disguised](command:medigenLabX.run)',
      '[Prefix](command:medigenLab)',
      '[Bad args](command:medigenLab.openLesson?%7Bnot-json)',
      '[Upper](COMMAND:vscode.open?%5B%22https%3A%2F%2Fevil.example%22%5D)',
    ].join('\n\n');
    const r = await renderLesson(md);
    assert.deepEqual(r.commandLinks, [
      { command: 'medigenLab.previewCleaning', args: [] },
      { command: 'medigenLab.openLesson', args: [{ moduleId: 'meet-the-data' }] },
      { command: 'medigenLab.openExercise', args: ['a', 2] },
    ]);
    assert.equal((r.html.match(/class="command-link"/g) ?? []).length, 3);
    assert.match(r.html, /data-command="medigenLab.openLesson" data-args="\[\{&quot;moduleId&quot;:&quot;meet-the-data&quot;\}\]"/);
    assert.doesNotMatch(r.html, /workbench|sendSequence|vscode\.open|medigenLabX|href="command:/i);
    for (const text of ['Terminal', 'Disguised', 'Prefix', 'Bad args', 'Upper']) assert.match(r.html, new RegExp(`<span class="unsafe-link">${text}</span>`));
    assert.deepEqual(parseCommandLink('command:medigenLab.x'), { command: 'medigenLab.x', args: [] });
    assert.equal(parseCommandLink('command:workbench.action.reloadWindow'), undefined);
  });

  it('lets only medigenLab.* commands through from the webview', () => {
    assert.deepEqual(parseLessonMessage({ type: 'runCommand', command: 'medigenLab.previewCleaning', args: [] }), { type: 'runCommand', command: 'medigenLab.previewCleaning', args: [] });
    assert.deepEqual(parseLessonMessage({ type: 'runCommand', command: 'medigenLab.openLesson', args: [{ moduleId: 'm' }] }), { type: 'runCommand', command: 'medigenLab.openLesson', args: [{ moduleId: 'm' }] });
    assert.equal(parseLessonMessage({ type: 'runCommand', command: 'workbench.action.terminal.new', args: [] }), undefined);
    assert.equal(parseLessonMessage({ type: 'runCommand', command: 'medigenLab.x', args: 'not an array' }), undefined);
    assert.equal(parseLessonMessage({ type: 'runCommand', command: 'medigenLab.x' }), undefined);
  });
});
