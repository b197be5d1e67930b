import assert from 'node:assert/strict';
import { lessonCsp, lessonPage, makeNonce } from '../../../extension/lesson/html';
import { parseLessonMessage } from '../../../extension/lesson/messages';

const fakeAsWebviewUri = (path: string) => `https://file+.vscode-resource.vscode-cdn.net${path}`;
const CSP_SOURCE = 'https://*.vscode-cdn.net';

function page(overrides: Partial<Parameters<typeof lessonPage>[0]> = {}) {
  const nonce = makeNonce();
  const html = lessonPage({
    moduleId: 'meet-the-data',
    lessonId: 'who-speaks',
    title: 'Who speaks <and> how often?',
    markdown: '# Who speaks\n\nCount the `[doctor]` lines. <script>alert(1)</script>\n\n![turns](img/turns.png) ![remote](https://evil.example/x.png)\n\n[Try it](exercise:count-turns)',
    exercises: [{ id: 'count-turns', title: 'Count the turns' }],
    cspSource: CSP_SOURCE,
    nonce,
    scriptUri: fakeAsWebviewUri('/ext/dist/webviews/lesson.js'),
    styleUri: fakeAsWebviewUri('/ext/dist/webviews/lesson.css'),
    resolveImage: (src) => fakeAsWebviewUri(`/modules/meet-the-data/lessons/${src}`),
    ...overrides,
  });
  return { html, nonce };
}

describe('lesson page HTML (CSP, nonce, sanitized lesson)', () => {
  it('has a strict CSP: nothing by default, scripts only with the nonce, styles and images only from the webview origin', () => {
    const { html, nonce } = page();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, lessonCsp(CSP_SOURCE, nonce));
    assert.match(csp!, /^default-src 'none';/);
    assert.match(csp!, new RegExp(`script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`));
    assert.match(csp!, /img-src https:\/\/\*\.vscode-cdn\.net;/);
    assert.match(csp!, /style-src https:\/\/\*\.vscode-cdn\.net;/);
    assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|\*;|https:;/);
  });

  it('uses a fresh nonce per render and puts it on its only script, loaded through asWebviewUri', () => {
    const a = page();
    const b = page();
    assert.notEqual(a.nonce, b.nonce);
    assert.ok(a.nonce.length >= 22);
    const scripts = a.html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${a.nonce}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webviews/lesson.js">`]);
    assert.match(a.html, /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webviews\/lesson\.css">/);
  });

  it('renders the lesson sanitized: raw HTML as text, only module images, exercise links as data attributes', () => {
    const { html } = page();
    assert.match(html, /<h1[^>]*>Who speaks<\/h1>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<img src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/modules\/meet-the-data\/lessons\/img\/turns.png" alt="turns">/);
    assert.match(html, /image not shown: remote/);
    assert.match(html, /class="exercise-link" data-exercise="count-turns"/);
    assert.match(html, /<title>Who speaks &lt;and&gt; how often\?<\/title>/);
  });

  it('has a card per exercise with the toolkit buttons, and the ids the serializer needs', () => {
    const { html } = page();
    assert.match(html, /<body data-module="meet-the-data" data-lesson="who-speaks" data-trusted="true">/);
    assert.match(html, /<section class="exercise" id="exercise-count-turns" data-exercise="count-turns">/);
    for (const action of ['openExercise', 'runCheck', 'nextHint']) assert.match(html, new RegExp(`<vscode-button data-action="${action}"`));
    assert.match(html, /<div class="trust-note" hidden>/);
  });

  it('in an untrusted workspace: the Run button is off and the page says why and how to trust', () => {
    const { html } = page({ trusted: false });
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
    assert.deepEqual(parseLessonMessage({ type: 'runCheck', exerciseId: 'count-turns', extra: 1 }), { type: 'runCheck', exerciseId: 'count-turns' });
    assert.deepEqual(parseLessonMessage({ type: 'openLink', href: 'https://aclanthology.org' }), { type: 'openLink', href: 'https://aclanthology.org' });
    assert.deepEqual(parseLessonMessage({ type: 'manageTrust' }), { type: 'manageTrust' });
  });

  it('rejects unknown types, missing fields, odd ids and unsafe links', () => {
    for (const bad of [null, 'ready', {}, { type: 'eval', code: 'x' }, { type: 'runCheck' }, { type: 'nextHint', exerciseId: '../../etc' }, { type: 'openLink', href: 'javascript:alert(1)' }, { type: 'openLink', href: 'file:///etc/passwd' }, { type: 'openExercise', exerciseId: 42 }]) {
      assert.equal(parseLessonMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
