/**
 * The lesson page's HTML, from one function, built so that the lesson is on screen at VS Code's
 * first paint of the webview:
 * - the lesson text (Markdown rendered and sanitized HERE, by `renderLesson`) and every exercise
 *   card with its current state (status, last result, hints, failures) are in the HTML itself;
 * - the stylesheet and the page's small script are inlined (with the nonce), so the page loads no
 *   file before VS Code shows it (VS Code keeps a webview hidden until its `load` event, which waits
 *   for every file the page loads);
 * - the toolkit components (buttons, tags) arrive after the first paint: the page script adds the
 *   `lessonToolkit.js` script (webview URI, same nonce) and the buttons are upgraded in place.
 * Strict Content-Security-Policy with a fresh nonce per render: nothing by default, scripts and
 * inline styles only with the nonce, images/styles/fonts only from the webview's own resources.
 * Plain Node, so it is unit-tested with a fake `asWebviewUri`.
 */
import { randomBytes } from 'node:crypto';
import { failureItemHtml } from './failures';
import { escapeHtml, renderLesson } from './markdown';
import type { RenderMarkdown } from './renderCache';
import type { ExerciseView } from './messages';

/** A fresh nonce for one render (128 random bits, base64). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The page's Content-Security-Policy: nothing by default; scripts only with the nonce; styles from
 * the webview's own resource origin (`cspSource`, limited by VS Code to the panel's
 * localResourceRoots) or inline with the nonce; fonts and images only from `cspSource`.
 */
export function lessonCsp(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource}`, `style-src ${cspSource} 'nonce-${nonce}'`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** An exercise card: its id and title, and (when known) the state it shows. */
export type LessonPageExercise = Pick<ExerciseView, 'id' | 'title'> & Partial<Omit<ExerciseView, 'id' | 'title'>>;

/** What `lessonPage` needs. */
export interface LessonPageOptions {
  moduleId: string;
  lessonId: string;
  /** The lesson title (plain text). */
  title: string;
  /** The lesson's Markdown (untrusted). */
  markdown: string;
  /** Exercises of the lesson, in order (each gets a card with its buttons and its state). */
  exercises: LessonPageExercise[];
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce (`makeNonce()`). */
  nonce: string;
  /** The page script's text (dist/webviews/lesson.js, built from webviews/lesson/main.ts), inlined with the nonce. */
  script: string;
  /** The page's stylesheet (dist/webviews/lesson.css), inlined with the nonce. */
  style: string;
  /** Webview URI of dist/webviews/lessonToolkit.js, which the page loads after its first paint. */
  toolkitUri: string;
  /** Module-relative image path → webview URI (undefined = not shown). */
  resolveImage: (src: string) => string | undefined;
  /** False in an untrusted workspace. Defaults to true. */
  trusted?: boolean;
  /** Renders the Markdown: the panel's LessonRenderCache. Defaults to `renderLesson`. */
  render?: RenderMarkdown;
}

/** What the "next hint" button says for an exercise (the page script uses the same words). */
export function hintButtonLabel(shown: number, total: number | undefined): string {
  if (total === undefined) return 'Show the next hint';
  return shown >= total ? `All ${total} hints shown` : `Show hint ${shown + 1} of ${total}`;
}

/** One exercise card, drawn with its state (webviews/lesson/main.ts redraws the same elements on updates). */
export function exerciseCard(e: LessonPageExercise, trusted: boolean): string {
  const id = escapeHtml(e.id);
  const status = e.status ? ` status-${escapeHtml(e.status)}` : '';
  const shown = e.hintsHtml?.length ?? 0;
  const allHints = e.hintsTotal !== undefined && shown >= e.hintsTotal;
  const failures = (e.failures ?? []).map(failureItemHtml).join('');
  // Hints are Markdown rendered by renderLesson (sanitized) in the extension. They come before the
  // failures: a hint asked for after a failed check appears under the buttons, not below the list.
  const hints = (e.hintsHtml ?? []).map((h) => `<li>${h}</li>`).join('');
  return `
    <section class="exercise" id="exercise-${id}" data-exercise="${id}">
      <h2><span class="exercise-label">Exercise</span> ${escapeHtml(e.title)} <vscode-tag class="status${status}">${escapeHtml(e.statusLabel ?? 'not started')}</vscode-tag></h2>
      <p class="last-result">${e.lastResult ? escapeHtml(`Last check: ${e.lastResult}.`) : ''}</p>
      <div class="actions">
        <vscode-button data-action="openExercise" appearance="secondary">Open the exercise file</vscode-button>
        <vscode-button data-action="runCheck" class="needs-trust"${trusted && !e.running ? '' : ' disabled'}>Run Check</vscode-button>
        <vscode-button data-action="nextHint" appearance="secondary"${allHints ? ' disabled' : ''}>${escapeHtml(hintButtonLabel(shown, e.hintsTotal))}</vscode-button>
        <vscode-progress-ring class="running"${e.running ? '' : ' hidden'}></vscode-progress-ring>
      </div>
      <ol class="hints">${hints}</ol>
      <ul class="failures">${failures}</ul>
    </section>`;
}

/** `text` made safe to put between <script> and </script> (or <style> and </style>) tags. */
function inlineText(text: string, tag: 'script' | 'style'): string {
  // "<\/" means "</" inside JavaScript strings, regular expressions and template literals, and "/" in CSS.
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

/** Builds the lesson page. */
export async function lessonPage(o: LessonPageOptions): Promise<string> {
  const { html } = await (o.render ?? renderLesson)(o.markdown, { resolveImage: o.resolveImage });
  const trusted = o.trusted ?? true;
  const cards = o.exercises.map((e) => exerciseCard(e, trusted)).join('');
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
  <style nonce="${o.nonce}">${inlineText(o.style, 'style')}</style>
  <title>${escapeHtml(o.title)}</title>
</head>
<body data-module="${escapeHtml(o.moduleId)}" data-lesson="${escapeHtml(o.lessonId)}" data-trusted="${trusted}" data-toolkit="${escapeHtml(o.toolkitUri)}">
  ${trustNote}
  <main class="lesson">
${html}
  </main>
  <div class="exercises">${cards}
  </div>
  <script nonce="${o.nonce}">${inlineText(o.script, 'script')}</script>
</body>
</html>`;
}
