/**
 * Two runs side by side (models/train/runs.ts compareRuns): their final figures and the settings
 * that differ, in a static webview table (no script).
 */
import * as vscode from 'vscode';
import { compareRuns, type RunSummary } from '../../models/train/index';
import { escapeXml } from './chart';
import { compareTableHtml } from './dashboardModel';
import { webviewPage } from './html';

/** The webview panel type of run comparisons. */
export const COMPARE_VIEW_TYPE = 'medigenLab.compareRuns';

/** What "Compare Fine-Tuning Runs" returns. */
export interface RunComparison {
  a: string;
  b: string;
  settings: { key: string; a: unknown; b: unknown }[];
  figures: { key: string; a: number | undefined; b: number | undefined }[];
  panel: vscode.WebviewPanel;
}

/** Opens a comparison of two runs. */
export function showComparison(extensionUri: vscode.Uri, a: RunSummary, b: RunSummary): RunComparison {
  const cmp = compareRuns(a, b);
  const media = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, `Compare: ${a.name} | ${b.name}`, vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [media] });
  panel.webview.html = webviewPage({
    title: 'Compare runs',
    cspSource: panel.webview.cspSource,
    styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.css')).toString(),
    body: `<main class="compare-page"><h1>${escapeXml(a.name)} <span class="vs">vs</span> ${escapeXml(b.name)}</h1>${compareTableHtml(a.name, b.name, cmp)}</main>`,
  });
  return { a: a.name, b: b.name, ...cmp, panel };
}
