/**
 * The "Lessons" tree in the MediGen Lab activity-bar container: modules → lessons → exercises,
 * redrawn from the lab (modules + ProgressStore) whenever it changes.
 */
import * as vscode from 'vscode';
import { describeError } from '../../core/index';
import { buildLabTree, type LabTreeNode } from '../../curriculum/lab/index';
import type { LabService } from '../lab/service';

/** The view's id (package.json contributes.views). */
export const LESSONS_VIEW = 'medigenLab.lessons';

class LessonsProvider implements vscode.TreeDataProvider<LabTreeNode> {
  private readonly changed = new vscode.EventEmitter<LabTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The nodes last drawn (for tests and for commands that need the current tree). */
  roots: LabTreeNode[] = [];

  constructor(private readonly lab: LabService) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: LabTreeNode): Promise<LabTreeNode[]> {
    if (node) return node.kind === 'module' || node.kind === 'lesson' ? node.children : [];
    try {
      const lab = await this.lab.get();
      this.roots = buildLabTree(lab.modules, (k) => lab.progress.get(k), { trusted: vscode.workspace.isTrusted });
    } catch (err) {
      this.roots = [{ kind: 'notice', id: 'notice:error', label: 'MediGen Lab could not open your sandbox', tooltip: describeError(err), icon: 'warning', command: 'medigenLab.showOutput' }];
    }
    return this.roots;
  }

  getTreeItem(n: LabTreeNode): vscode.TreeItem {
    const collapsible = n.kind === 'module' ? vscode.TreeItemCollapsibleState.Expanded : n.kind === 'lesson' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(n.label, collapsible);
    item.id = n.id;
    item.contextValue = n.kind === 'exercise' ? `exercise-${n.status}` : n.kind;
    switch (n.kind) {
      case 'module':
        item.description = n.description;
        item.tooltip = n.tooltip;
        item.iconPath = new vscode.ThemeIcon('mortar-board');
        break;
      case 'lesson':
        item.description = n.description;
        item.iconPath = new vscode.ThemeIcon(n.icon);
        item.command = { command: 'medigenLab.openLesson', title: 'Open Lesson', arguments: [n] };
        break;
      case 'exercise': {
        item.description = n.description;
        item.tooltip = n.tooltip;
        const color = n.status === 'passed' ? 'testing.iconPassed' : n.status === 'failing' ? 'testing.iconFailed' : undefined;
        item.iconPath = new vscode.ThemeIcon(n.icon, color ? new vscode.ThemeColor(color) : undefined);
        item.command = { command: 'medigenLab.openExercise', title: 'Open Exercise', arguments: [n] };
        break;
      }
      case 'notice':
        item.tooltip = n.tooltip;
        item.iconPath = new vscode.ThemeIcon(n.icon);
        if (n.command) item.command = { command: n.command, title: n.label };
        break;
    }
    return item;
  }
}

/** What the tree module gives the rest of the extension. */
export interface TreeModule {
  /** The nodes last drawn. */
  roots(): LabTreeNode[];
}

/** Registers the Lessons tree; it redraws on lab changes and on workspace-trust changes. */
export function registerTreeModule(context: vscode.ExtensionContext, lab: LabService): TreeModule {
  const provider = new LessonsProvider(lab);
  const view = vscode.window.createTreeView(LESSONS_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(view, lab.onDidChange(() => provider.refresh()), vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()));
  return { roots: () => provider.roots };
}
