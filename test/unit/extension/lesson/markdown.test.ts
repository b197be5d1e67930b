import assert from 'node:assert/strict';
import { renderLesson } from '../../../../extension/lesson/markdown';

describe('lesson Markdown rendering (untrusted input)', () => {
  it('renders ordinary Markdown', () => {
    const { html } = renderLesson('# Meet the data\n\nA **dialogue** has `turns`.\n\n- one\n- two\n\n```ts\nconst a = 1 < 2;\n```');
    assert.match(html, /<h1[^>]*>Meet the data<\/h1>/);
    assert.match(html, /<strong>dialogue<\/strong>/);
    assert.match(html, /<code>turns<\/code>/);
    assert.match(html, /<li>two<\/li>/);
    assert.match(html, /const a = 1 &lt; 2;/);
  });

  it('shows raw HTML as text: no script, no event handler, no iframe', () => {
    const md = 'Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<iframe src="https://evil.example"></iframe>\n\n<div onclick="x()">d</div>';
    const { html } = renderLesson(md);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img[^>]*onerror/i);
    assert.doesNotMatch(html, /<iframe/i);
    assert.doesNotMatch(html, /<div onclick/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('neutralises javascript: and data: links, and sends web links out through the extension', () => {
    const { html } = renderLesson('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://aclanthology.org) [d](#top)');
    assert.doesNotMatch(html, /href="javascript/i);
    assert.doesNotMatch(html, /href="data:/i);
    assert.match(html, /<span class="unsafe-link">a<\/span>/);
    assert.match(html, /data-href="https:\/\/aclanthology.org"/);
    assert.doesNotMatch(html, / href="https:/);
    assert.match(html, /<a href="#top">d<\/a>/);
  });

  it('loads only module images, through the resolver; remote images are blocked', () => {
    const resolveImage = (src: string) => `vscode-resource://module/${src}`;
    const { html } = renderLesson('![chart](img/turns.png) ![x](https://tracker.example/p.gif) ![y](../../etc/passwd) ![z](//cdn.example/a.png)', { resolveImage });
    assert.match(html, /<img src="vscode-resource:\/\/module\/img\/turns.png" alt="chart">/);
    assert.equal((html.match(/<img/g) ?? []).length, 1);
    assert.match(html, /image not shown: x/);
    assert.match(html, /image not shown: y/);
    assert.match(html, /image not shown: z/);
  });

  it('collects exercise links', () => {
    const r = renderLesson('Try [counting turns](exercise:count-turns) then [stats](exercise:stats_table).');
    assert.deepEqual(r.exerciseLinks, ['count-turns', 'stats_table']);
    assert.match(r.html, /data-exercise="count-turns"/);
  });
});
