/**
 * "New Fine-Tuning Run…": the run form. The study's defaults grouped (model, data, QLoRA, LoRA,
 * training), each setting checked as it is typed (validateTrainConfig), and a preflight: the
 * training environment (packages, CUDA, GPUs, free memory, with a set-up button) and the GPU
 * memory estimate with suggestions when it will not fit. "Save Config" writes a file that
 * `medigen train --config` accepts; "Launch" starts the run and opens its dashboard.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { MedigenError, describeError } from '../../core/index';
import { KNOWN_ARCHITECTURES } from '../../models/train/index';
import { defaultTrainConfig, validateTrainConfig, type ConfigProblem, type TrainConfig } from '../../models/train/index';
import { checkTrainingEnvironment } from '../../models/train/index';
import { TRAIN_FORM_GROUPS, applyFormInputs } from './formModel';
import { makeNonce, webviewPage } from './html';
import { parseFormMessage, type ToFormMessage } from './messages';
import { environmentView, memoryPreflight, type EnvironmentView, type MemoryView } from '../../models/train/index';
import type { ActiveRun, RunManager } from '../../models/train/index';
import { GPU_PATHS, prepareCourseSetting, runVerdict, type RunVerdict } from '../../models/train/index';
import { trainerScriptSetting, trainingFolder, trainingPython } from './settings';

/** The webview panel type of the run form. */
export const TRAIN_FORM_VIEW_TYPE = 'medigenLab.trainForm';

/** What the form needs from the rest of the training features. */
export interface TrainFormDeps {
  extensionUri: vscode.Uri;
  output: vscode.OutputChannel;
  manager: RunManager;
  /** Called once a run has started (opens its dashboard, remembers its runs folder). */
  onLaunched(run: ActiveRun): Promise<void>;
  /** Runs "Set Up Training Environment" (with its own progress notification). */
  setUpEnvironment(): Promise<{ python: string } | undefined>;
}

/** The sections of config problems that the memory estimate depends on. */
const MEMORY_PATHS = /^(baseModel|quantization\.|lora\.(r|targetModules)|training\.(batchSize|gradientCheckpointing)|data\.maxSeqLength)/;

export class TrainFormPanel {
  private static current: TrainFormPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready!: Promise<void>;
  private markReady!: () => void;
  private renderWaiters: { seq: number; resolve: (problems: number) => void }[] = [];
  /** The last validation sent to the page, and the last one it drew. */
  private validationSeq = 0;
  private renderedSeq = 0;
  private estimateAs = 'auto';
  private freeGiB = '';
  private env: EnvironmentView | undefined;
  /** Problems shown on the page the last time it redrew (-1 before the first redraw). */
  renderedProblems = -1;
  /** The config as the form holds it now (possibly with invalid values). */
  config: TrainConfig;
  problems: ConfigProblem[] = [];
  memory: MemoryView | { error: string } | undefined;
  /** Whether the run can start on this machine (undefined until the environment answered). */
  verdict: RunVerdict | undefined;

  /** The form shown now, if any. */
  static get active(): TrainFormPanel | undefined {
    return TrainFormPanel.current;
  }

  /** Opens the form (or reuses the open one) with `config` (default: the study's defaults) and waits until it is drawn. */
  static async createOrShow(deps: TrainFormDeps, config: TrainConfig = defaultTrainConfig()): Promise<TrainFormPanel> {
    TrainFormPanel.current?.dispose();
    const media = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webviews');
    const panel = vscode.window.createWebviewPanel(TRAIN_FORM_VIEW_TYPE, 'New Fine-Tuning Run', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
    const form = new TrainFormPanel(panel, deps, config);
    TrainFormPanel.current = form;
    form.render();
    await form.ready;
    return form;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: TrainFormDeps,
    config: TrainConfig,
  ) {
    this.config = config;
    this.problems = validateTrainConfig(config);
    this.ready = new Promise((r) => (this.markReady = r));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => void this.receive(raw)),
    );
  }

  private render(): void {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews');
    const nonce = makeNonce();
    webview.html = webviewPage({
      title: 'New Fine-Tuning Run',
      cspSource: webview.cspSource,
      nonce,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trainForm.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trainForm.css')).toString(),
      body: '<main id="app"><p>Loading the run form…</p></main>',
    });
  }

  private post(m: ToFormMessage): void {
    void this.panel.webview.postMessage(m);
  }

  /** Handles one message from the page (public so tests can act as the page's buttons do). */
  async receive(raw: unknown): Promise<void> {
    const m = parseFormMessage(raw);
    if (!m) {
      this.deps.output.appendLine(`Run form: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      switch (m.type) {
        case 'ready':
          this.post({ type: 'init', groups: TRAIN_FORM_GROUPS, config: this.config, estimateOptions: ['auto', ...Object.keys(KNOWN_ARCHITECTURES)], trainingFolder: trainingFolder() });
          this.update();
          this.markReady();
          await this.checkEnvironment();
          return;
        case 'change':
          this.config = applyFormInputs(this.config, m.inputs);
          this.estimateAs = m.estimateAs;
          this.freeGiB = m.freeGiB;
          this.update();
          return;
        case 'rendered':
          if (m.seq < this.renderedSeq) return; // an older drawing, overtaken
          this.renderedProblems = m.problems;
          this.renderedSeq = m.seq;
          this.renderWaiters = this.renderWaiters.filter((w) => (w.seq <= m.seq ? (w.resolve(m.problems), false) : true));
          return;
        case 'save':
          await this.save();
          return;
        case 'launch':
          await this.launch();
          return;
        case 'setupEnvironment':
          await this.setUpEnvironment();
          return;
        case 'checkEnvironment':
          await this.checkEnvironment();
          return;
        case 'useCourseSetting':
          await this.useCourseSetting();
          return;
        case 'browseModel': {
          const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use this model folder', title: 'The downloaded Hugging Face model folder (with config.json)' });
          if (picked?.[0]) this.post({ type: 'setField', path: 'baseModel', value: picked[0].fsPath });
          return;
        }
      }
    } catch (err) {
      showError(err, this.deps);
    }
  }

  /** Resolves once the page has drawn validation `seq` (default: the latest sent), with the number of problems it shows. */
  nextRender(seq = this.validationSeq): Promise<number> {
    if (this.renderedSeq >= seq) return Promise.resolve(this.renderedProblems);
    return new Promise((resolve) => this.renderWaiters.push({ seq, resolve }));
  }

  /** Applies input values (by setting path) as if typed into the form, and waits for the redraw. */
  async setInputs(inputs: Record<string, string | boolean>): Promise<number> {
    await this.receive({ type: 'change', inputs, estimateAs: this.estimateAs, freeGiB: this.freeGiB });
    return this.nextRender(); // the drawing of exactly this change's validation, not an earlier one still on its way
  }

  private freeBytes(): number | undefined {
    const typed = Number(this.freeGiB);
    if (this.freeGiB.trim() !== '' && Number.isFinite(typed) && typed > 0) return typed * 1024 ** 3;
    return this.env?.freeBytes;
  }

  private update(): void {
    this.problems = validateTrainConfig(this.config);
    this.post({ type: 'validation', problems: this.problems, seq: ++this.validationSeq });
    const blocking = this.problems.filter((p) => MEMORY_PATHS.test(p.path));
    this.memory = blocking.length ? { error: 'Fix the settings marked in red to see the memory estimate.' } : memoryPreflight(this.config, this.estimateAs, this.freeBytes());
    this.post({ type: 'memory', memory: this.memory });
    const machine = this.env?.machine;
    this.verdict = machine ? runVerdict(this.config, machine) : undefined;
    this.post({ type: 'verdict', verdict: this.verdict ?? { checking: true }, ...(machine ? { machine: machine.summary } : {}), gpuPaths: GPU_PATHS });
  }

  /** Makes the CPU course model when missing and fills the form with the CPU course setting. */
  async useCourseSetting(): Promise<TrainConfig> {
    this.post({ type: 'setup', running: true, text: 'Making the CPU course model (a small llama, once: about half a minute)…' });
    try {
      this.config = await prepareCourseSetting({ python: trainingPython(), base: this.config });
    } catch (err) {
      this.post({ type: 'setup', running: false, failed: true, text: 'The CPU course model could not be made: see the message in the corner for what to do.' });
      throw err;
    }
    this.post({ type: 'setup', running: false, text: `CPU course setting: ${this.config.baseModel}, plain LoRA in float32 on the CPU (a few minutes).` });
    this.post({ type: 'init', groups: TRAIN_FORM_GROUPS, config: this.config, estimateOptions: ['auto', ...Object.keys(KNOWN_ARCHITECTURES)], trainingFolder: trainingFolder() });
    this.update();
    return this.config;
  }

  /** Asks the training Python what it has, and shows it in the preflight panel. */
  async checkEnvironment(): Promise<EnvironmentView> {
    this.post({ type: 'environment', environment: { checking: true } });
    const python = trainingPython();
    this.env = environmentView(await checkTrainingEnvironment(python), python, this.config.device);
    this.post({ type: 'environment', environment: this.env });
    this.update();
    return this.env;
  }

  private async setUpEnvironment(): Promise<void> {
    this.post({ type: 'setup', running: true, text: 'Setting up the training environment (see the notification for progress)…' });
    const result = await this.deps.setUpEnvironment();
    this.post(result ? { type: 'setup', running: false, text: `Training environment ready: ${result.python}` } : { type: 'setup', running: false, failed: true, text: 'The set-up did not finish: see the message in the corner for what to do.' });
    await this.checkEnvironment();
  }

  private checkedConfig(action: string): TrainConfig {
    if (this.problems.length) {
      throw new MedigenError(`The run settings have ${this.problems.length} problem${this.problems.length > 1 ? 's' : ''}, so MediGen Lab cannot ${action}: ${this.problems.map((p) => p.message).join(' ')}`, 'Fix the settings marked in red in the form, then try again.');
    }
    return this.config;
  }

  /** Writes the config as JSON (asks where unless `file` is given); returns the file, or undefined when the dialog was cancelled. */
  async save(file?: string): Promise<string | undefined> {
    const cfg = this.checkedConfig('save them');
    let target = file;
    if (!target) {
      const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(trainingFolder(), 'medigen-train.json')), filters: { 'Training config': ['json'] }, saveLabel: 'Save Config', title: 'Save the training config' });
      if (!uri) return undefined;
      target = uri.fsPath;
    }
    writeFileSync(target, JSON.stringify(cfg, null, 2) + '\n');
    this.deps.output.appendLine(`Saved the training config to ${target}. Launch it from a terminal with: medigen train --config "${target}"`);
    void vscode.window.showInformationMessage(`Saved the training config to ${target}. Launch it here, or from a terminal with: medigen train --config "${target}"`);
    return target;
  }

  /**
   * Checks the environment and memory (unless a custom trainer script is set), creates the run
   * folder and starts the trainer; resolves once it has started, or undefined when the student
   * chose not to launch.
   */
  async launch(): Promise<ActiveRun | undefined> {
    const cfg = this.checkedConfig('launch them');
    const script = trainerScriptSetting();
    if (!script) {
      const env = await this.checkEnvironment();
      if (this.verdict && !this.verdict.canRun) throw new MedigenError(`This run cannot start on this machine: ${this.verdict.reason}`, this.verdict.whatToDo ?? 'Change the settings, then launch again.');
      if (!env.ready) {
        const setUp = 'Set Up Training Environment';
        const pick = await vscode.window.showErrorMessage(`The run cannot start here yet. ${env.message}`, setUp);
        if (pick === setUp) await this.setUpEnvironment();
        return undefined;
      }
      const mem = this.memory;
      if (mem && 'fits' in mem && mem.fits === false) {
        const anyway = 'Launch Anyway';
        const pick = await vscode.window.showWarningMessage(`${mem.message}\n\n${mem.suggestions.join('\n')}`, { modal: true }, anyway);
        if (pick !== anyway) return undefined;
      }
    }
    const run = await this.deps.manager.launch(cfg, trainingFolder(), { python: trainingPython(), ...(script ? { script } : {}) });
    this.deps.output.appendLine(`Started the fine-tuning run ${run.name} in ${run.dir}${script ? ` with the trainer ${script}` : ''}.`);
    await this.deps.onLaunched(run);
    return run;
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TrainFormPanel.current === this) TrainFormPanel.current = undefined;
    this.markReady?.();
    for (const w of this.renderWaiters.splice(0)) w.resolve(-1);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** Shows an error with its hint (and writes it to the output channel). */
export function showError(err: unknown, deps: { output: vscode.OutputChannel }): void {
  const text = describeError(err);
  deps.output.appendLine(text);
  const message = err instanceof MedigenError ? `${err.message} ${err.hint}` : text;
  const show = 'Show Output';
  // Not awaited: the promise settles only when the student closes the notification.
  void vscode.window.showErrorMessage(message, show).then((pick) => {
    if (pick === show) deps.output.show(true);
  });
}
