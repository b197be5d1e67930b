/**
 * The run form's script (bundled by esbuild.mjs to dist/webviews/trainForm.js with
 * @vscode/webview-ui-toolkit and form.css). It draws the fields the extension sends, forwards
 * every edit as a typed message, and shows validation problems and the preflight it gets back.
 * Text from the extension is only ever set as textContent.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import type { ConfigProblem } from '../../models/train/config';
import type { FormField, FormGroup } from '../../extension/training/formModel';
import { displayValue, getPath, liveRougeCostText } from '../../extension/training/formModel';
import type { FromFormMessage, ToFormMessage } from '../../extension/training/messages';
import type { EnvironmentView, MemoryView } from '../../models/train/preflight';
import './form.css';

declare function acquireVsCodeApi(): { postMessage(m: FromFormMessage): void };

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeProgressRing());

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
type Input = HTMLElement & { value: string; checked: boolean };
const inputs = new Map<string, { field: FormField; el: Input; problem: HTMLElement; row: HTMLElement }>();
let estimateAs: Input | undefined;
let freeGiB: Input | undefined;
let otherProblems: HTMLElement;
let envBox: HTMLElement;
let memBox: HTMLElement;
let setupLine: HTMLElement;
let machineBox: HTMLElement;
let launchButton: HTMLElement;
let launchReason: HTMLElement;
let debounce: number | undefined;
let rougeCost: HTMLElement | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K];
function el(tag: string, cls?: string, text?: string): HTMLElement;
function el(tag: string, cls?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary'): HTMLElement {
  const b = el('vscode-button');
  b.setAttribute('appearance', appearance);
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function dropdown(options: string[], value: string): Input {
  const d = el('vscode-dropdown') as Input;
  for (const o of options) {
    const opt = el('vscode-option', undefined, o);
    opt.setAttribute('value', o);
    if (o === value) opt.setAttribute('selected', '');
    d.appendChild(opt);
  }
  return d;
}

function collect(): FromFormMessage {
  const values: Record<string, string | boolean> = {};
  for (const [path, { field, el: e }] of inputs) values[path] = field.kind === 'checkbox' ? e.checked : e.value;
  if (rougeCost) rougeCost.textContent = liveRougeCostText(values['training.liveRougeSamples'], values['training.liveRougeMaxTokens']);
  return { type: 'change', inputs: values, estimateAs: estimateAs?.value ?? 'auto', freeGiB: freeGiB?.value ?? '' };
}

function changed(now = false): void {
  window.clearTimeout(debounce);
  if (now) vscode.postMessage(collect());
  else debounce = window.setTimeout(() => vscode.postMessage(collect()), 250);
}

function fieldRow(f: FormField, config: unknown): HTMLElement {
  const row = el('div', `field field-${f.kind}`);
  const value = displayValue(f, config);
  let input: Input;
  if (f.kind === 'checkbox') {
    input = el('vscode-checkbox') as Input;
    input.textContent = f.label;
    if (value === true) input.setAttribute('checked', '');
    input.addEventListener('change', () => changed(true));
  } else if (f.kind === 'select') {
    const label = el('label', 'field-label', f.label);
    row.appendChild(label);
    input = dropdown(f.options ?? [], String(value));
    input.addEventListener('change', () => changed(true));
  } else {
    input = el('vscode-text-field') as Input;
    input.setAttribute('value', String(value));
    input.textContent = f.label;
    input.addEventListener('input', () => changed());
  }
  input.dataset.path = f.path;
  row.appendChild(input);
  if (f.path === 'baseModel') row.appendChild(button('Browse…', () => vscode.postMessage({ type: 'browseModel' })));
  row.appendChild(el('div', 'help', f.help));
  if (f.path === 'training.liveRougeMaxTokens') {
    rougeCost = el('div', 'help cost', liveRougeCostText(getPath(config, 'training.liveRougeSamples'), getPath(config, 'training.liveRougeMaxTokens')));
    row.appendChild(rougeCost);
  }
  const problem = el('div', 'problem');
  problem.setAttribute('role', 'alert');
  row.appendChild(problem);
  inputs.set(f.path, { field: f, el: input, problem, row });
  return row;
}

function init(m: Extract<ToFormMessage, { type: 'init' }>): void {
  app.replaceChildren();
  inputs.clear();
  const header = el('header');
  header.appendChild(el('h1', undefined, 'New Fine-Tuning Run'));
  header.appendChild(el('p', 'lead', `The MediGen study's settings are filled in. Change what you need: every setting is checked as you type. Runs are kept under ${m.trainingFolder}.`));
  app.appendChild(header);
  otherProblems = el('div', 'other-problems');
  otherProblems.setAttribute('role', 'alert');
  app.appendChild(otherProblems);
  const layout = el('div', 'layout');
  const form = el('div', 'form');
  for (const g of m.groups as FormGroup[]) {
    const section = el('section', `group group-${g.id}`);
    section.appendChild(el('h2', undefined, g.title));
    for (const f of g.fields) section.appendChild(fieldRow(f, m.config));
    form.appendChild(section);
  }
  layout.appendChild(form);

  const side = el('aside', 'preflight');
  side.appendChild(el('h2', undefined, 'Preflight'));
  side.appendChild(el('h3', undefined, 'This machine'));
  machineBox = el('div', 'machine');
  side.appendChild(machineBox);
  side.appendChild(el('h3', undefined, 'Training environment'));
  envBox = el('div', 'env');
  side.appendChild(envBox);
  const envButtons = el('div', 'buttons');
  envButtons.append(button('Set Up Training Environment', () => vscode.postMessage({ type: 'setupEnvironment' })), button('Check Again', () => vscode.postMessage({ type: 'checkEnvironment' })));
  side.appendChild(envButtons);
  setupLine = el('p', 'setup-line');
  side.appendChild(setupLine);
  side.appendChild(el('h3', undefined, 'GPU memory estimate'));
  const estRow = el('div', 'estimate-settings');
  const asLabel = el('label', 'field-label', 'Estimate as');
  estimateAs = dropdown(m.estimateOptions, 'auto');
  estimateAs.addEventListener('change', () => changed(true));
  freeGiB = el('vscode-text-field') as Input;
  freeGiB.textContent = 'Free GPU memory (GiB), if not detected';
  freeGiB.addEventListener('input', () => changed());
  estRow.append(asLabel, estimateAs, freeGiB);
  side.appendChild(estRow);
  memBox = el('div', 'memory');
  side.appendChild(memBox);
  layout.appendChild(side);
  app.appendChild(layout);

  const actions = el('footer', 'actions');
  launchButton = button('Launch', () => vscode.postMessage({ type: 'launch' }), 'primary');
  launchReason = el('p', 'launch-reason');
  launchReason.setAttribute('role', 'status');
  actions.append(button('Save Config', () => vscode.postMessage({ type: 'save' })), launchButton, launchReason);
  app.appendChild(actions);
}

function showProblems(problems: ConfigProblem[], seq: number): void {
  for (const { problem, row } of inputs.values()) {
    problem.textContent = '';
    row.classList.remove('invalid');
  }
  const rest: string[] = [];
  for (const p of problems) {
    const target = inputs.get(p.path);
    if (target) {
      target.problem.textContent = target.problem.textContent ? `${target.problem.textContent} ${p.message}` : p.message;
      target.row.classList.add('invalid');
    } else rest.push(p.message);
  }
  otherProblems.replaceChildren(...rest.map((t) => el('p', undefined, t)));
  vscode.postMessage({ type: 'rendered', problems: problems.length, seq });
}

function showEnvironment(env: EnvironmentView | { checking: true }): void {
  envBox.replaceChildren();
  if ('checking' in env) {
    envBox.append(el('vscode-progress-ring'), el('span', undefined, ' Asking Python what is installed…'));
    return;
  }
  envBox.appendChild(el('p', env.ready ? 'ok' : 'warn', env.message));
  envBox.appendChild(el('p', 'muted', `Python: ${env.python}`));
  if (env.packages.length) {
    const table = el('table');
    for (const p of env.packages) {
      const tr = el('tr');
      tr.append(el('td', undefined, p.name), el('td', p.version ? 'ok' : p.required ? 'warn' : 'muted', p.version ?? (p.required ? 'missing' : 'missing (optional)')));
      table.appendChild(tr);
    }
    envBox.appendChild(table);
  }
  envBox.appendChild(el('p', undefined, env.gpus.length ? env.gpus.map((g) => `${g.name}: ${g.free} GiB free of ${g.total} GiB`).join('; ') : env.cuda ? 'CUDA is available but no GPU was listed.' : 'No CUDA GPU is visible.'));
}

function showMemory(mem: MemoryView | { error: string }): void {
  memBox.replaceChildren();
  if ('error' in mem) {
    memBox.appendChild(el('p', 'warn', mem.error));
    return;
  }
  memBox.appendChild(el('p', mem.fits === false ? 'warn' : mem.fits ? 'ok' : undefined, mem.message));
  const table = el('table', 'memory-table');
  const head = el('tr');
  head.append(el('th', undefined, 'Part'), el('th', 'num', 'GiB'), el('th', undefined, 'Why'));
  table.appendChild(head);
  for (const r of mem.rows) {
    const tr = el('tr');
    tr.append(el('td', undefined, r.label), el('td', 'num', r.gib), el('td', 'muted', r.note));
    table.appendChild(tr);
  }
  const total = el('tr', 'total');
  total.append(el('td', undefined, `Total for ${mem.model}`), el('td', 'num', mem.total), el('td', 'muted', mem.free ? `${mem.free} GiB free` : ''));
  table.appendChild(total);
  memBox.appendChild(table);
  if (mem.suggestions.length) {
    memBox.appendChild(el('p', undefined, 'To make it fit, change (each on top of the ones before):'));
    const ul = el('ul', 'suggestions');
    for (const s of mem.suggestions) ul.appendChild(el('li', undefined, s.replace(/^\d+\.\s*/, '')));
    memBox.appendChild(ul);
  }
}

function showVerdict(m: Extract<ToFormMessage, { type: 'verdict' }>): void {
  machineBox.replaceChildren();
  machineBox.appendChild(el('p', undefined, m.machine ?? 'Asking the training environment what this machine has…'));
  machineBox.appendChild(button('Use the CPU Course Setting', () => vscode.postMessage({ type: 'useCourseSetting' })));
  machineBox.appendChild(el('p', 'muted', 'A small model MediGen Lab creates, plain LoRA in float32: the whole module in a few minutes without a GPU.'));
  const paths = el('details', 'gpu-paths');
  paths.appendChild(el('summary', undefined, 'Train on a GPU instead'));
  for (const g of m.gpuPaths) {
    const item = el('div', 'gpu-path');
    item.append(el('strong', undefined, g.title), el('p', undefined, `Needs: ${g.needs}`), el('p', 'muted', g.how));
    paths.appendChild(item);
  }
  machineBox.appendChild(paths);
  const v = m.verdict;
  const blocked = !('checking' in v) && !v.canRun;
  if (blocked) launchButton.setAttribute('disabled', '');
  else launchButton.removeAttribute('disabled');
  launchReason.className = `launch-reason ${blocked ? 'warn' : 'muted'}`;
  launchReason.textContent = 'checking' in v ? '' : v.canRun ? (v.reason ?? '') : `Launch is off: ${v.reason} ${v.whatToDo ?? ''}`;
}

window.addEventListener('message', (ev: MessageEvent<ToFormMessage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init':
      init(m);
      return;
    case 'validation':
      showProblems(m.problems, m.seq);
      return;
    case 'memory':
      showMemory(m.memory);
      return;
    case 'environment':
      showEnvironment(m.environment);
      return;
    case 'setup':
      setupLine.textContent = m.text;
      setupLine.className = `setup-line ${m.failed ? 'warn' : ''}`;
      return;
    case 'verdict':
      showVerdict(m);
      return;
    case 'setField': {
      const target = inputs.get(m.path);
      if (target) {
        target.el.value = m.value;
        changed(true);
      }
      return;
    }
  }
});

vscode.postMessage({ type: 'ready' });
