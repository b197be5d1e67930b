/**
 * Run history: the "Fine-Tuning Runs" tree in the MediGen Lab view, listing every run of the
 * known runs folders (newest first) with its status, step, last loss and last live ROUGE-L. Clicking a run opens its
 * dashboard; the context menu resumes, evaluates or compares it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { listRuns, type RunSummary } from '../../models/train/index';
import type { RunManager } from '../../models/train/index';
import { trainingFolder } from './settings';

/** The tree view's id (package.json contributes it to the `medigenLab` container). */
export const RUNS_VIEW = 'medigenLab.trainingRuns';

const KNOWN_DIRS_KEY = 'medigenLab.training.runsDirs';

const ICONS: Record<RunSummary['state']['status'], string> = { starting: 'loading~spin', running: 'sync~spin', finished: 'pass', stopped: 'debug-pause', failed: 'error' };

/** A run in the tree. */
export class RunItem extends vscode.TreeItem {
  constructor(readonly run: RunSummary) {
    super(run.name, vscode.TreeItemCollapsibleState.None);
    const s = run.state;
    const loss = s.trainLoss.at(-1)?.value;
    const rouge = s.liveRouge.at(-1);
    this.description = `${s.status} · step ${s.step}${s.totalSteps ? `/${s.totalSteps}` : ''}${loss !== undefined ? ` · loss ${loss.toFixed(3)}` : ''}${rouge ? ` · ROUGE-L ${(rouge.rougeL * 100).toFixed(1)}` : ''}`;
    this.iconPath = new vscode.ThemeIcon(ICONS[s.status]);
    this.contextValue = `trainingRun-${s.status}`;
    this.id = run.dir;
    this.resourceUri = vscode.Uri.file(run.dir);
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown(`**${run.name}** — ${s.status}\n\n`);
    tip.appendText(`Base model: ${run.config.baseModel}\nFolder: ${run.dir}\nCreated: ${run.created.toLocaleString()}`);
    if (rouge) tip.appendText(`\nLive ROUGE-1/2/L ×100 at step ${rouge.step}: ${[rouge.rouge1, rouge.rouge2, rouge.rougeL].map((v) => (v * 100).toFixed(2)).join(' / ')} (${rouge.notes} validation notes)`);
    if (s.error) tip.appendText(`\n${s.error.message.split('\n')[0]}`);
    this.tooltip = tip;
    this.command = { command: 'medigenLab.openTrainingRun', title: 'Open Run Dashboard', arguments: [run.dir] };
  }
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly memento: vscode.Memento,
    private readonly manager: RunManager,
  ) {
    const onState = () => this.refreshSoon();
    const onEnded = () => this.refresh();
    manager.on('state', onState);
    manager.on('ended', onEnded);
    this.offs.push(() => manager.off('state', onState), () => manager.off('ended', onEnded));
  }

  /** Runs folders listed: `<training folder>/runs` and every folder a run was launched into. */
  runsDirs(): string[] {
    const remembered = this.memento.get<string[]>(KNOWN_DIRS_KEY, []);
    return [...new Set([join(trainingFolder(), 'runs'), ...remembered].map((d) => resolve(d)))];
  }

  /** Adds a runs folder to the list (kept across sessions). */
  async remember(runsDir: string): Promise<void> {
    const dirs = this.memento.get<string[]>(KNOWN_DIRS_KEY, []);
    const abs = resolve(runsDir);
    if (!dirs.includes(abs)) await this.memento.update(KNOWN_DIRS_KEY, [...dirs, abs].slice(-20));
    this.refresh();
  }

  /** Every known run, newest first; an active run carries its live state. */
  runs(): RunSummary[] {
    const all = this.runsDirs()
      .filter((d) => existsSync(d))
      .flatMap((d) => {
        try {
          return listRuns(d);
        } catch {
          return [];
        }
      });
    return all
      .map((r) => {
        const live = this.manager.activeRun(r.dir);
        return live ? { ...r, state: live.state } : r;
      })
      .sort((a, b) => b.created.getTime() - a.created.getTime());
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire();
  }

  private refreshSoon(): void {
    if (!this.timer) this.timer = setTimeout(() => this.refresh(), 1000);
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  getChildren(item?: RunItem): RunItem[] {
    return item ? [] : this.runs().map((r) => new RunItem(r));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const off of this.offs.splice(0)) off();
    this.changed.dispose();
  }
}
