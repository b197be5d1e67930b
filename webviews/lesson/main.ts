/**
 * The lesson page's script. The extension inlines it (with the page's nonce) in the lesson HTML,
 * which already holds the rendered lesson and every exercise card with its state
 * (extension/lesson/html.ts), so this script only:
 * - tells the extension when the lesson is on screen (`ready`, with the page's own timings);
 * - then loads the toolkit components (webviews/lesson/toolkit.ts) that upgrade the buttons;
 * - forwards clicks as typed messages and redraws the cards from the `state` the extension sends
 *   (extension/lesson/messages.ts).
 * Built by esbuild.mjs to dist/webviews/lesson.js (and lesson.css from the import below).
 */
import type { ExerciseView, LessonViewState, PageTiming, ToExtensionMessage, ToWebviewMessage } from '../../extension/lesson/messages';
import { failureItemHtml } from '../../extension/lesson/failures';
import './lesson.css';

declare function acquireVsCodeApi(): { postMessage(m: ToExtensionMessage): void; setState(s: unknown): void; getState(): unknown };

const scriptMs = performance.now();
const vscode = acquireVsCodeApi();
const body = document.body;
// The toolkit script gets the same nonce as this one (the page's CSP allows nothing else).
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
// The serializer gets this back after a reload and reopens the same lesson.
vscode.setState({ moduleId: body.dataset.module, lessonId: body.dataset.lesson });

function post(m: ToExtensionMessage): void {
  vscode.postMessage(m);
}

document.addEventListener('click', (ev) => {
  const target = ev.target as HTMLElement | null;
  if (!target) return;
  const action = target.closest<HTMLElement>('[data-action]');
  const card = target.closest<HTMLElement>('section.exercise');
  if (action && card?.dataset.exercise) {
    // Works before the toolkit upgraded the button too (then `disabled` is only an attribute).
    if (action.hasAttribute('disabled') || (action as HTMLElement & { disabled?: boolean }).disabled) return;
    const exerciseId = card.dataset.exercise;
    const kind = action.dataset.action;
    if (kind === 'openExercise' || kind === 'runCheck' || kind === 'nextHint') post({ type: kind, exerciseId });
    return;
  }
  const link = target.closest<HTMLAnchorElement>('a');
  if (!link) return;
  if (link.classList.contains('exercise-link') && link.dataset.exercise) {
    ev.preventDefault();
    post({ type: 'openExercise', exerciseId: link.dataset.exercise });
  } else if (link.classList.contains('command-link') && link.dataset.command) {
    ev.preventDefault();
    let args: unknown = [];
    try {
      args = JSON.parse(link.dataset.args ?? '[]');
    } catch {
      args = [];
    }
    post({ type: 'runCommand', command: link.dataset.command, args: Array.isArray(args) ? args : [] });
  } else if (link.classList.contains('external-link') && link.dataset.href) {
    ev.preventDefault();
    post({ type: 'openLink', href: link.dataset.href });
  } else if (link.classList.contains('manage-trust')) {
    ev.preventDefault();
    post({ type: 'manageTrust' });
  }
});

/** The "next hint" button's words (the same as hintButtonLabel in extension/lesson/html.ts). */
function hintLabel(shown: number, total: number): string {
  return shown >= total ? `All ${total} hints shown` : `Show hint ${shown + 1} of ${total}`;
}

function drawExercise(card: HTMLElement, e: ExerciseView, trusted: boolean): void {
  const tag = card.querySelector('.status');
  if (tag) {
    tag.textContent = e.statusLabel;
    tag.className = `status status-${e.status}`;
  }
  const last = card.querySelector('.last-result');
  if (last) last.textContent = e.lastResult ? `Last check: ${e.lastResult}.` : '';
  card.querySelector('.running')?.toggleAttribute('hidden', !e.running);
  const run = card.querySelector<HTMLElement>('[data-action="runCheck"]');
  if (run) run.toggleAttribute('disabled', !trusted || e.running);
  const hint = card.querySelector<HTMLElement>('[data-action="nextHint"]');
  if (hint) {
    hint.textContent = hintLabel(e.hintsHtml.length, e.hintsTotal);
    hint.toggleAttribute('disabled', e.hintsHtml.length >= e.hintsTotal);
  }
  const failures = card.querySelector('.failures');
  // Every value is escaped by failureItemHtml (the same function drew the first page).
  if (failures) failures.innerHTML = e.failures.map(failureItemHtml).join('');
  const hints = card.querySelector('.hints');
  if (hints) {
    hints.replaceChildren(
      ...e.hintsHtml.map((h) => {
        const li = document.createElement('li');
        li.innerHTML = h; // sanitized by renderLesson in the extension; the CSP blocks scripts anyway
        return li;
      }),
    );
  }
}

function draw(state: LessonViewState): void {
  body.dataset.trusted = String(state.trusted);
  document.querySelector('.trust-note')?.toggleAttribute('hidden', state.trusted);
  for (const e of state.exercises) {
    const card = document.querySelector<HTMLElement>(`section.exercise[data-exercise="${CSS.escape(e.id)}"]`);
    if (card) drawExercise(card, e, state.trusted);
  }
}

window.addEventListener('message', (ev: MessageEvent<ToWebviewMessage>) => {
  if (ev.data?.type === 'state') draw(ev.data.state);
});

/** Adds the toolkit script (buttons, tags, progress ring); says `hydrated` once it ran. */
function loadToolkit(): void {
  const src = body.dataset.toolkit;
  if (!src) return;
  const s = document.createElement('script');
  s.nonce = nonce;
  s.src = src;
  // Custom elements upgrade synchronously when defined; the next frame shows them.
  s.onload = () => requestAnimationFrame(() => post({ type: 'hydrated', pageMs: performance.now() }));
  document.head.append(s);
}

/**
 * VS Code keeps the webview hidden until the page's `load` event and shows it in that event; the
 * frame after it is the first with the lesson on screen. A requestAnimationFrame callback runs just
 * before that frame is painted, and a task queued from it runs after the paint: that is "painted".
 */
function whenPainted(): void {
  const loadMs = performance.now();
  requestAnimationFrame(() => {
    // A lesson opens at its start. VS Code's webview host scrolls a new page to where the page it
    // replaces was (its own load handler, after this one, when the page is at the top); the frame
    // callback runs after it and before the first paint.
    window.scrollTo(0, 0);
    setTimeout(() => {
      const paintedMs = performance.now();
      body.dataset.rendered = 'true';
      const timing: PageTiming = { timeOrigin: performance.timeOrigin, scriptMs, loadMs, paintedMs };
      post({ type: 'ready', pageMs: paintedMs, timing });
      loadToolkit();
    }, 0);
  });
}

if (document.readyState === 'complete') whenPainted();
else window.addEventListener('load', whenPainted, { once: true });
