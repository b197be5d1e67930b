/**
 * The lesson page's script (bundled by esbuild.mjs to dist/webviews/lesson.js, with the
 * @vscode/webview-ui-toolkit components and lesson.css). It only draws the state the extension
 * sends and forwards clicks as typed messages (extension/lesson/messages.ts).
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing, vsCodeTag } from '@vscode/webview-ui-toolkit';
import type { ExerciseView, LessonViewState, ToExtensionMessage, ToWebviewMessage } from '../../extension/lesson/messages';
import './lesson.css';

declare function acquireVsCodeApi(): { postMessage(m: ToExtensionMessage): void; setState(s: unknown): void; getState(): unknown };

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTag(), vsCodeProgressRing());

const vscode = acquireVsCodeApi();
const body = document.body;
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
    if ((action as HTMLElement & { disabled?: boolean }).disabled) return;
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
  } else if (link.classList.contains('external-link') && link.dataset.href) {
    ev.preventDefault();
    post({ type: 'openLink', href: link.dataset.href });
  } else if (link.classList.contains('manage-trust')) {
    ev.preventDefault();
    post({ type: 'manageTrust' });
  }
});

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
    hint.textContent = e.hintsHtml.length >= e.hintsTotal ? `All ${e.hintsTotal} hints shown` : `Show hint ${e.hintsHtml.length + 1} of ${e.hintsTotal}`;
    hint.toggleAttribute('disabled', e.hintsHtml.length >= e.hintsTotal);
  }
  const failures = card.querySelector('.failures');
  if (failures) {
    failures.replaceChildren(
      ...e.failures.map((f) => {
        const li = document.createElement('li');
        const b = document.createElement('strong');
        b.textContent = f.title;
        li.append(b, document.createTextNode(`: ${f.message}`));
        return li;
      }),
    );
  }
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
  body.dataset.rendered = 'true';
}

window.addEventListener('message', (ev: MessageEvent<ToWebviewMessage>) => {
  if (ev.data?.type === 'state') draw(ev.data.state);
});

post({ type: 'ready', pageMs: performance.now() });
