/**
 * The review panel's script (bundled by esbuild.mjs to dist/webviews/review.js with review.css).
 * It draws the ReviewView the extension sends: the dialogue, the note with its faithfulness
 * highlights (click a sentence to see its evidence turns), rating buttons, error marks, the editable
 * note and previous/next. Every text is set as textContent; every change goes to the extension,
 * which saves the reviewer's file.
 */
import type { FromReviewMessage, MarkView, ReviewView, ToReviewMessage } from '../../extension/review/messages';
import { ERROR_KINDS, ERROR_LABELS, RATINGS, RATING_LABELS, type ErrorKind } from '../../models/review/types';
import './review.css';

declare function acquireVsCodeApi(): { postMessage(m: FromReviewMessage): void };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let view: ReviewView | undefined;
let selected: number | undefined;
let editTimer: ReturnType<typeof setTimeout> | undefined;
let pendingEdit: string | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function flushEdit(): void {
  if (editTimer) clearTimeout(editTimer);
  editTimer = undefined;
  if (pendingEdit !== undefined) vscode.postMessage({ type: 'edit', text: pendingEdit });
  pendingEdit = undefined;
}

/** Sends a message, after any edit still waiting to be sent. */
function send(m: FromReviewMessage): void {
  flushEdit();
  vscode.postMessage(m);
}

function button(label: string, onClick: () => void, cls = 'btn', action?: string): HTMLButtonElement {
  const b = el('button', cls, label);
  b.type = 'button';
  if (action) b.dataset.action = action;
  b.addEventListener('click', onClick);
  return b;
}

function setStatus(text: string, error = false): void {
  const s = document.getElementById('status');
  if (!s) return;
  s.textContent = text;
  s.classList.toggle('error', error);
}

function selectSentence(k: number | undefined): void {
  selected = k;
  document.querySelectorAll('.sentence.selected').forEach((e) => e.classList.remove('selected'));
  document.querySelectorAll('.turn.evidence').forEach((e) => e.classList.remove('evidence'));
  const info = document.getElementById('evidence-info')!;
  if (k === undefined || !view) {
    info.textContent = 'Click a sentence of the note to see the dialogue turns that support it.';
    return;
  }
  const s = view.sentences[k]!;
  document.querySelector(`.sentence[data-k="${k}"]`)?.classList.add('selected');
  for (const t of s.evidence) document.getElementById(`turn-${t}`)?.classList.add('evidence');
  document.getElementById(`turn-${s.evidence[0]}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  const turns = s.evidence.length ? `Evidence: turn${s.evidence.length > 1 ? 's' : ''} ${s.evidence.map((t) => t + 1).join(', ')}.` : 'No dialogue turn supports it.';
  const issues = s.issues.length ? ` Not in the dialogue: ${s.issues.map((i) => `${i.text} (${i.kind})`).join('; ')}.` : '';
  info.textContent = `Sentence ${k + 1} is ${s.supported ? 'supported' : 'NOT supported'}. ${turns}${issues}`;
}

function noteWithHighlights(v: ReviewView): HTMLElement {
  const box = el('div', 'note');
  let at = 0;
  v.sentences.forEach((s, k) => {
    if (s.start > at) box.appendChild(document.createTextNode(v.note.slice(at, s.start)));
    const span = el('span', `sentence ${s.supported ? 'supported' : 'unsupported'}`, v.note.slice(s.start, s.end));
    span.dataset.k = String(k);
    span.tabIndex = 0;
    span.title = s.supported ? `Supported by turn(s) ${s.evidence.map((t) => t + 1).join(', ')}` : `Not supported: ${s.issues.map((i) => i.text).join('; ') || 'no matching turn'}`;
    span.addEventListener('click', () => selectSentence(k));
    span.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && selectSentence(k));
    box.appendChild(span);
    at = s.end;
  });
  if (at < v.note.length) box.appendChild(document.createTextNode(v.note.slice(at)));
  return box;
}

function marksSection(v: ReviewView): HTMLElement {
  const sec = el('section', 'marks');
  sec.appendChild(el('h2', undefined, 'Errors'));
  const detail = el('input', 'mark-text');
  detail.id = 'mark-text';
  detail.placeholder = 'Details (optional), e.g. what is missing';
  detail.setAttribute('aria-label', 'Details of the error');
  const add = (kind: ErrorKind) => {
    const m: MarkView = { kind, ...(selected !== undefined ? { sentence: selected } : {}), ...(detail.value.trim() ? { text: detail.value.trim() } : selected !== undefined ? { text: v.sentences[selected]!.text } : {}) };
    send({ type: 'marks', marks: [...v.marks, m] });
  };
  const row = el('div', 'buttons');
  for (const kind of ERROR_KINDS) row.appendChild(button(`+ ${ERROR_LABELS[kind]}`, () => add(kind), 'btn secondary', `mark-${kind}`));
  sec.append(el('p', 'muted', 'Marks the selected sentence, if any.'), detail, row);
  const list = el('ul', 'mark-list');
  v.marks.forEach((m, k) => {
    const li = el('li', undefined, `${ERROR_LABELS[m.kind]}${m.sentence !== undefined ? ` (sentence ${m.sentence + 1})` : ''}${m.text ? `: ${m.text}` : ''} `);
    li.appendChild(button('Remove', () => send({ type: 'marks', marks: v.marks.filter((_, j) => j !== k) }), 'link'));
    list.appendChild(li);
  });
  if (!v.marks.length) list.appendChild(el('li', 'muted', 'No errors marked.'));
  sec.appendChild(list);
  return sec;
}

function render(v: ReviewView): void {
  const keepSelection = view?.index === v.index ? selected : undefined;
  view = v;
  selected = undefined;
  const header = el('header');
  header.appendChild(el('h1', undefined, `${v.title} · encounter ${v.encounterId}`));
  const progress = el('progress');
  progress.max = v.total;
  progress.value = v.rated;
  progress.setAttribute('aria-label', `${v.rated} of ${v.total} notes rated`);
  header.append(el('p', 'muted', `Note ${v.index + 1} of ${v.total} · ${v.rated} rated · reviewer ${v.reviewer}${v.blind ? ' · two systems, shown blind' : ''}`), progress);
  const status = el('p', 'status', `Saved to ${v.file}`);
  status.id = 'status';
  status.setAttribute('role', 'status');
  header.appendChild(status);

  const dialogue = el('section', 'dialogue');
  dialogue.appendChild(el('h2', undefined, 'Dialogue'));
  const ol = el('ol', 'turns');
  v.turns.forEach((t, k) => {
    const li = el('li', `turn speaker-${t.speaker.replace(/[^a-z_]/g, '')}`);
    li.id = `turn-${k}`;
    li.append(el('span', 'speaker', `${t.speaker} `), document.createTextNode(t.text));
    ol.appendChild(li);
  });
  dialogue.appendChild(ol);

  const right = el('section', 'review');
  const unsupported = v.sentences.filter((s) => !s.supported).length;
  right.append(el('h2', undefined, 'Generated note'), el('p', 'muted', unsupported ? `${unsupported} of ${v.sentences.length} sentences not supported by the dialogue (underlined in red).` : `All ${v.sentences.length} sentences are supported by the dialogue.`));
  right.appendChild(noteWithHighlights(v));
  const info = el('p', 'evidence-info');
  info.id = 'evidence-info';
  info.setAttribute('aria-live', 'polite');
  right.appendChild(info);

  right.appendChild(el('h2', undefined, 'Rating'));
  const ratings = el('div', 'buttons ratings');
  for (const r of RATINGS) {
    const b = button(`${RATINGS.indexOf(r) + 1} · ${RATING_LABELS[r]}`, () => send({ type: 'rate', rating: r }), `btn rating${v.rating === r ? ' chosen' : ''}`, `rate-${r}`);
    b.setAttribute('aria-pressed', String(v.rating === r));
    ratings.appendChild(b);
  }
  right.append(ratings, el('p', 'muted', 'Keys: 1–4 rate, n / → next note, p / ← previous note.'));
  right.appendChild(marksSection(v));

  right.appendChild(el('h2', undefined, 'Corrected note'));
  const area = el('textarea', 'edit');
  area.value = v.edited ?? v.note;
  area.rows = 14;
  area.setAttribute('aria-label', 'The note as you would correct it');
  area.addEventListener('input', () => {
    pendingEdit = area.value;
    if (editTimer) clearTimeout(editTimer);
    editTimer = setTimeout(flushEdit, 500);
    setStatus('Editing…');
  });
  area.addEventListener('blur', flushEdit);
  right.appendChild(area);
  if (v.edited !== undefined) right.appendChild(button('Undo my edits', () => send({ type: 'resetEdit' }), 'btn secondary', 'reset-edit'));

  const nav = el('nav', 'buttons nav');
  const prev = button('← Previous', () => send({ type: 'go', index: v.index - 1 }), 'btn secondary', 'previous');
  prev.disabled = v.index === 0;
  const next = button('Next →', () => send({ type: 'go', index: v.index + 1 }), 'btn', 'next');
  next.disabled = v.index + 1 >= v.total;
  nav.append(prev, next);
  if (v.rated === v.total) nav.appendChild(el('span', 'ok', 'Every note is rated. Summarize with: medigen review summary <your file> <a classmate\'s file>'));

  const layout = el('div', 'layout');
  layout.append(dialogue, right);
  app.replaceChildren(header, layout, nav);
  selectSentence(keepSelection);
  vscode.postMessage({ type: 'rendered', index: v.index, rating: v.rating ?? null, unsupported: document.querySelectorAll('.sentence.unsupported').length });
}

window.addEventListener('message', (e: MessageEvent<ToReviewMessage>) => {
  const m = e.data;
  if (m.type === 'state') render(m.view);
  else if (m.type === 'saved') setStatus(`Saved (${new Date(m.at).toLocaleTimeString()}) · ${m.rated} rated`);
  else if (m.type === 'error') setStatus(m.text, true);
});
// Keys outside the text fields: 1-4 rate, n / → next note, p / ← previous note.
document.addEventListener('keydown', (e) => {
  if (!view || e.ctrlKey || e.metaKey || e.altKey || (e.target instanceof HTMLElement && /^(TEXTAREA|INPUT)$/.test(e.target.tagName))) return;
  const r = RATINGS[Number(e.key) - 1];
  if (r) send({ type: 'rate', rating: r });
  else if ((e.key === 'n' || e.key === 'ArrowRight') && view.index + 1 < view.total) send({ type: 'go', index: view.index + 1 });
  else if ((e.key === 'p' || e.key === 'ArrowLeft') && view.index > 0) send({ type: 'go', index: view.index - 1 });
});
vscode.postMessage({ type: 'ready' });
