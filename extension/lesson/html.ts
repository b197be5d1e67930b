/**
 * The lesson page's HTML, from one function: strict Content-Security-Policy with a fresh nonce per
 * render, the script and stylesheet through the webview's URIs, images only through the module
 * folder's webview URIs, lesson text rendered by `renderLesson` (sanitized). Plain Node, so it is
 * unit-tested with a fake `asWebviewUri`.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml, renderLesson } from './markdown';

/** A fresh nonce for one render (128 random bits, base64). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The page's Content-Security-Policy: nothing by default; scripts only with the nonce; styles,
 * fonts and images only from the webview's own resource origin (`cspSource`), which VS Code limits
 * to the panel's localResourceRoots.
 */
export function lessonCsp(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource}`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** What `lessonPage` needs. */
export interface LessonPageOptions {
  moduleId: string;
  lessonId: string;
  /** The lesson title (plain text). */
  title: string;
  /** The lesson's Markdown (untrusted). */
  markdown: string;
  /** Exercises of the lesson, in order (each gets a card with its buttons). */
  exercises: { id: string; title: string }[];
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce (`makeNonce()`). */
  nonce: string;
  /** Webview URI of dist/webviews/lesson.js. */
  scriptUri: string;
  /** Webview URI of dist/webviews/lesson.css. */
  styleUri: string;
  /** Module-relative image path → webview URI (undefined = not shown). */
  resolveImage: (src: string) => string | undefined;
  /** False in an untrusted workspace. Defaults to true. */
  trusted?: boolean;
}

/** Builds the lesson page. */
export function lessonPage(o: LessonPageOptions): string {
  const { html } = renderLesson(o.markdown, { resolveImage: o.resolveImage });
  const trusted = o.trusted ?? true;
  const cards = o.exercises
    .map(
      (e) => `
    <section class="exercise" id="exercise-${escapeHtml(e.id)}" data-exercise="${escapeHtml(e.id)}">
      <h2><span class="exercise-label">Exercise</span> ${escapeHtml(e.title)} <vscode-tag class="status">not started</vscode-tag></h2>
      <p class="last-result"></p>
      <div class="actions">
        <vscode-button data-action="openExercise" appearance="secondary">Open the exercise file</vscode-button>
        <vscode-button data-action="runCheck" class="needs-trust"${trusted ? '' : ' disabled'}>Run the check</vscode-button>
        <vscode-button data-action="nextHint" appearance="secondary">Show the next hint</vscode-button>
        <vscode-progress-ring class="running" hidden></vscode-progress-ring>
      </div>
      <ul class="failures"></ul>
      <ol class="hints"></ol>
    </section>`,
    )
    .join('');
  const trustNote = `<div class="trust-note"${trusted ? ' hidden' : ''}>
    <strong>Checks are off.</strong> This folder is not trusted, so MediGen Lab runs no code here. You can read
    the lesson and the hints. To run checks, <a href="#" class="manage-trust">trust this folder</a>
    (only if you know where its files come from).
  </div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${lessonCsp(o.cspSource, o.nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
  <title>${escapeHtml(o.title)}</title>
</head>
<body data-module="${escapeHtml(o.moduleId)}" data-lesson="${escapeHtml(o.lessonId)}" data-trusted="${trusted}">
  ${trustNote}
  <main class="lesson">
${html}
  </main>
  <div class="exercises">${cards}
  </div>
  <script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
