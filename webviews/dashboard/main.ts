/**
 * The run dashboard's script (bundled by esbuild.mjs to dist/webviews/dashboard.js with
 * @vscode/webview-ui-toolkit and dashboard.css). It draws the DashboardView the extension sends:
 * the charts arrive as SVG markup built from numbers (extension/training/chart.ts); every other
 * text is set as textContent.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import type { DashboardView } from '../../extension/training/dashboardModel';
import type { FromDashboardMessage, ToDashboardMessage } from '../../extension/training/messages';
import './dashboard.css';

declare function acquireVsCodeApi(): { postMessage(m: FromDashboardMessage): void };

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let busyText: string | null = null;
let last: DashboardView | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, type: FromDashboardMessage['type'], appearance: 'primary' | 'secondary' = 'secondary'): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', appearance);
  b.textContent = label;
  b.dataset.action = type;
  b.addEventListener('click', () => vscode.postMessage({ type } as FromDashboardMessage));
  return b;
}

function svgBox(cls: string, title: string, svg: string): HTMLElement {
  const fig = el('figure', cls);
  fig.appendChild(el('figcaption', undefined, title));
  const holder = el('div', 'chart-holder');
  // Built by chart.ts from numbers and escaped labels; the page's CSP allows no script anyway.
  holder.innerHTML = svg;
  fig.appendChild(holder);
  return fig;
}

function render(v: DashboardView): void {
  const parts: HTMLElement[] = [];
  const header = el('header');
  header.appendChild(el('h1', undefined, `Run ${v.runName}`));
  const status = el('p', `status status-${v.status}`, v.statusText);
  status.setAttribute('role', 'status');
  header.appendChild(status);
  const bar = el('progress');
  bar.max = 100;
  bar.value = v.percent;
  bar.setAttribute('aria-label', `${v.percent}% of the steps done`);
  header.appendChild(bar);
  parts.push(header);

  if (busyText) {
    const busy = el('p', 'busy');
    busy.append(document.createElement('vscode-progress-ring'), el('span', undefined, busyText));
    parts.push(busy);
  }

  const buttons = el('div', 'buttons');
  if (v.canCancel) buttons.appendChild(button('Cancel (save a checkpoint and stop)', 'cancel'));
  if (v.canResume) buttons.appendChild(button('Resume', 'resume', 'primary'));
  if (v.canEvaluate) buttons.appendChild(button('Evaluate Adapter', 'evaluate', 'primary'));
  if (v.error?.category === 'missing_dependency') buttons.appendChild(button('Set Up Training Environment', 'setupEnvironment'));
  buttons.append(button('New Run from This Config', 'newFromConfig'), button('Open Log', 'openLog'), button('Reveal Run Folder', 'openFolder'));
  parts.push(buttons);

  if (v.error) {
    const box = el('section', `error error-${v.error.category}`);
    box.setAttribute('role', 'alert');
    box.appendChild(el('h2', undefined, v.error.title));
    box.appendChild(el('pre', 'message', v.error.message));
    box.appendChild(el('p', 'hint', `What to do: ${v.error.hint}`));
    if (v.error.advice.length) {
      const ul = el('ul');
      for (const a of v.error.advice) ul.appendChild(el('li', undefined, a));
      box.appendChild(ul);
    }
    parts.push(box);
  }

  const figures = el('dl', 'figures');
  for (const f of v.figures) {
    const d = el('div', 'figure');
    d.append(el('dt', undefined, f.label), el('dd', undefined, f.value));
    figures.appendChild(d);
  }
  parts.push(figures);

  const charts = el('div', 'charts');
  const rouge = svgBox('chart-rouge', 'Live ROUGE (notes written during training)', v.rougeChart);
  if (v.rougeNote) rouge.appendChild(el('p', 'muted rouge-note', v.rougeNote));
  charts.append(svgBox('chart-loss', 'Loss', v.lossChart), rouge, svgBox('chart-lr', 'Learning rate', v.lrChart));
  parts.push(charts);

  if (v.evaluation) {
    const sec = el('section', 'evaluation');
    sec.appendChild(el('h2', undefined, 'Base model vs fine-tuned'));
    sec.appendChild(el('p', 'muted', v.evaluation.title));
    const table = el('table');
    const head = el('tr');
    for (const h of ['Group', 'Metric', 'Base', 'Fine-tuned', 'Change']) head.appendChild(el('th', h === 'Group' || h === 'Metric' ? undefined : 'num', h));
    table.appendChild(head);
    for (const r of v.evaluation.rows) {
      const tr = el('tr');
      tr.append(el('td', undefined, r.group), el('td', undefined, r.metric), el('td', 'num', r.base), el('td', 'num', r.finetuned), el('td', `num ${r.better ? 'better' : r.worse ? 'worse' : ''}`, r.delta));
      table.appendChild(tr);
    }
    sec.appendChild(table);
    parts.push(sec);
  }

  const log = el('section', 'log');
  log.appendChild(el('h2', undefined, 'Trainer messages'));
  log.appendChild(el('pre', undefined, v.logTail.length ? v.logTail.join('\n') : 'Nothing yet.'));
  parts.push(log);

  app.replaceChildren(...parts);
  vscode.postMessage({ type: 'rendered', step: v.step, status: v.status });
}

window.addEventListener('message', (ev: MessageEvent<ToDashboardMessage>) => {
  const m = ev.data;
  if (m.type === 'state') {
    last = m.view;
    if (m.view.status !== 'running' && m.view.status !== 'starting' && busyText?.startsWith('Stopping')) busyText = null;
    render(m.view);
  } else if (m.type === 'busy') {
    busyText = m.text;
    if (last) render(last);
  }
});

vscode.postMessage({ type: 'ready' });
