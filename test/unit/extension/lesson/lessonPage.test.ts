import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lessonPageAssets } from '../../../../extension/lesson/assets';
import { exerciseCard, lessonCsp, lessonPage, makeNonce } from '../../../../extension/lesson/html';
import { parseLessonMessage } from '../../../../extension/lesson/messages';

const fakeAsWebviewUri = (path: string) => `https://file+.vscode-resource.vscode-cdn.net${path}`;
const CSP_SOURCE = 'https://*.vscode-cdn.net';

async function page(overrides: Partial<Parameters<typeof lessonPage>[0]> = {}) {
  const nonce = makeNonce();
  const html = await lessonPage({
    moduleId: 'meet-the-data',
    lessonId: 'who-speaks',
    title: 'Who speaks <and> how often?',
    markdown: '# Who speaks\n\nCount the `[doctor]` lines. <script>alert(1)</script>\n\n![turns](img/turns.png) ![remote](https://evil.example/x.png)\n\n[Try it](exercise:count-turns)',
    exercises: [{ id: 'count-turns', title: 'Count the turns' }],
    cspSource: CSP_SOURCE,
    nonce,
    script: 'console.log("page script");',
    style: 'body { color: var(--vscode-foreground); }',
    toolkitUri: fakeAsWebviewUri('/ext/dist/webviews/lessonToolkit.js'),
    resolveImage: (src) => fakeAsWebviewUri(`/modules/meet-the-data/lessons/${src}`),
    ...overrides,
  });
  return { html, nonce };
}

describe('lesson page HTML (CSP, nonce, sanitized lesson)', () => {
  it('has a strict CSP: nothing by default, scripts only with the nonce, styles from the webview origin or with the nonce, images only from the webview origin', async () => {
    const { html, nonce } = await page();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, lessonCsp(CSP_SOURCE, nonce));
    const n = nonce.replace(/[+/]/g, '\\$&');
    assert.match(csp!, /^default-src 'none';/);
    assert.match(csp!, new RegExp(`script-src 'nonce-${n}'$`));
    assert.match(csp!, /img-src https:\/\/\*\.vscode-cdn\.net;/);
    assert.match(csp!, new RegExp(`style-src https://\\*\\.vscode-cdn\\.net 'nonce-${n}';`));
    assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|\*;|https:;|http:/);
  });

  it('uses a fresh nonce per render and puts it on its only script and style (inlined: the page loads no file before it is shown)', async () => {
    const a = await page();
    const b = await page();
    assert.notEqual(a.nonce, b.nonce);
    assert.ok(a.nonce.length >= 22);
    assert.deepEqual(a.html.match(/<script[^>]*>/g), [`<script nonce="${a.nonce}">`]);
    assert.deepEqual(a.html.match(/<style[^>]*>/g), [`<style nonce="${a.nonce}">`]);
    assert.ok(a.html.includes(`<script nonce="${a.nonce}">console.log("page script");</script>\n</body>`), 'the page script is inlined, last in the body');
    assert.ok(a.html.includes(`<style nonce="${a.nonce}">body { color: var(--vscode-foreground); }</style>`));
    assert.doesNotMatch(a.html, /<link|\ssrc="(?!https:\/\/file\+\.vscode-resource)/, 'no stylesheet link, and nothing but webview resources as src');
    // The toolkit, loaded by the page script after the first paint, comes through asWebviewUri.
    assert.match(a.html, / data-toolkit="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webviews\/lessonToolkit\.js">/);
  });

  it('keeps inlined text from closing its <script> or <style> element early', async () => {
    const { html } = await page({ script: 'const s = "</script><script>alert(1)</SCRIPT>";', style: 'a::after { content: "</STYLE><b>x</b>"; }' });
    assert.equal(html.match(/<\/script/gi)?.length, 1, 'only the real closing tag');
    assert.equal(html.match(/<\/style/gi)?.length, 1, 'only the real closing tag');
    assert.ok(html.includes('const s = "<\\/script><script>alert(1)<\\/SCRIPT>";'));
    assert.ok(html.includes('a::after { content: "<\\/STYLE><b>x</b>"; }'));
  });

  it('renders the lesson sanitized: raw HTML as text, only module images, exercise links as data attributes', async () => {
    const { html } = await page();
    assert.match(html, /<h1[^>]*>Who speaks<\/h1>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<img src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/modules\/meet-the-data\/lessons\/img\/turns.png" alt="turns">/);
    assert.match(html, /image not shown: remote/);
    assert.match(html, /class="exercise-link" data-exercise="count-turns"/);
    assert.match(html, /<title>Who speaks &lt;and&gt; how often\?<\/title>/);
  });

  it('has a card per exercise with the toolkit buttons, and the ids the serializer needs', async () => {
    const { html } = await page();
    assert.match(html, /<body data-module="meet-the-data" data-lesson="who-speaks" data-trusted="true" data-toolkit="[^"]+">/);
    assert.match(html, /<section class="exercise" id="exercise-count-turns" data-exercise="count-turns">/);
    for (const action of ['openExercise', 'runCheck', 'nextHint']) assert.match(html, new RegExp(`<vscode-button data-action="${action}"`));
    assert.match(html, /<div class="trust-note" hidden>/);
  });

  it('draws each card with its state, so the page needs no message before its first paint', () => {
    const card = exerciseCard(
      {
        id: 'count-turns',
        title: 'Count the <turns>',
        status: 'failing',
        statusLabel: 'failing',
        lastResult: '1 of 2 checks pass',
        hintsHtml: ['<p>Split on <code>\\n</code>.</p>'],
        hintsTotal: 2,
        running: false,
        failures: [{ title: 'counts <doctor> turns', message: 'expected 3, got <2>' }],
      },
      true,
    );
    assert.match(card, /Count the &lt;turns&gt;/);
    assert.match(card, /<vscode-tag class="status status-failing">failing<\/vscode-tag>/);
    assert.match(card, /<p class="last-result">Last check: 1 of 2 checks pass\.<\/p>/);
    assert.match(card, /<vscode-button data-action="nextHint" appearance="secondary">Show hint 2 of 2<\/vscode-button>/);
    assert.match(card, /<ol class="hints"><li><p>Split on <code>\\n<\/code>\.<\/p><\/li><\/ol>/);
    assert.match(card, /<li><strong>counts &lt;doctor&gt; turns<\/strong>: expected 3, got &lt;2&gt;<\/li>/);
    // A hint asked for after a failed check shows under the buttons, not below the list of failures.
    assert.ok(card.indexOf('class="hints"') < card.indexOf('class="failures"'), 'hints come before the failures');
    assert.match(card, /<vscode-progress-ring class="running" hidden>/);
    assert.match(card, /data-action="runCheck" class="needs-trust">/);
    const running = exerciseCard({ id: 'x', title: 'X', status: 'started', statusLabel: 'started', hintsHtml: ['a', 'b'], hintsTotal: 2, running: true, failures: [] }, true);
    assert.match(running, /data-action="runCheck" class="needs-trust" disabled>/);
    assert.match(running, /<vscode-progress-ring class="running">/);
    assert.match(running, /data-action="nextHint" appearance="secondary" disabled>All 2 hints shown</);
  });

  it('in an untrusted workspace: the Run button is off and the page says why and how to trust', async () => {
    const { html } = await page({ trusted: false });
    assert.match(html, /data-action="runCheck" class="needs-trust" disabled/);
    assert.match(html, /<div class="trust-note">/);
    assert.match(html, /not trusted, so MediGen Lab runs no code here/);
    assert.match(html, /class="manage-trust"/);
  });
});

describe('lesson message map (webview → extension messages are checked)', () => {
  it('accepts exactly the known messages', () => {
    assert.deepEqual(parseLessonMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseLessonMessage({ type: 'ready', pageMs: 42.5 }), { type: 'ready', pageMs: 42.5 });
    assert.deepEqual(parseLessonMessage({ type: 'ready', pageMs: 'x' }), { type: 'ready' });
    const timing = { timeOrigin: 1_700_000_000_000.5, scriptMs: 12, loadMs: 14.5, paintedMs: 30 };
    assert.deepEqual(parseLessonMessage({ type: 'ready', pageMs: 30, timing }), { type: 'ready', pageMs: 30, timing });
    assert.deepEqual(parseLessonMessage({ type: 'ready', timing: { ...timing, loadMs: 'soon' } }), { type: 'ready' });
    assert.deepEqual(parseLessonMessage({ type: 'hydrated', pageMs: 95 }), { type: 'hydrated', pageMs: 95 });
    assert.deepEqual(parseLessonMessage({ type: 'runCheck', exerciseId: 'count-turns', extra: 1 }), { type: 'runCheck', exerciseId: 'count-turns' });
    assert.deepEqual(parseLessonMessage({ type: 'openLink', href: 'https://aclanthology.org' }), { type: 'openLink', href: 'https://aclanthology.org' });
    assert.deepEqual(parseLessonMessage({ type: 'manageTrust' }), { type: 'manageTrust' });
  });

  it('rejects unknown types, missing fields, odd ids and unsafe links', () => {
    for (const bad of [null, 'ready', {}, { type: 'eval', code: 'x' }, { type: 'runCheck' }, { type: 'nextHint', exerciseId: '../../etc' }, { type: 'openLink', href: 'javascript:alert(1)' }, { type: 'openLink', href: 'file:///etc/passwd' }, { type: 'openExercise', exerciseId: 42 }, { type: 'hydrated' }, { type: 'hydrated', pageMs: -1 }]) {
      assert.equal(parseLessonMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('lesson page assets (the built script and stylesheet the page inlines)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-lesson-assets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads them without their source-map links, and again after a rebuild', () => {
    writeFileSync(join(dir, 'lesson.js'), '(()=>{go()})();\n//# sourceMappingURL=lesson.js.map\n');
    writeFileSync(join(dir, 'lesson.css'), 'body{color:red}\n/*# sourceMappingURL=lesson.css.map */\n');
    assert.deepEqual(lessonPageAssets(dir), { script: '(()=>{go()})();\n', style: 'body{color:red}\n' });
    writeFileSync(join(dir, 'lesson.js'), '(()=>{goAgain()})();\n');
    assert.equal(lessonPageAssets(dir).script, '(()=>{goAgain()})();\n');
  });

  it('says what to do when MediGen Lab was not built', () => {
    assert.throws(() => lessonPageAssets(dir), (e: Error & { hint?: string }) => /lesson\.js is missing/.test(e.message) && /npm run build/.test(e.hint ?? ''));
  });
});
