/**
 * The recommended models in VS Code: quick-pick items that show each model's download size, the
 * memory it needs and whether this computer can run it (before anything is downloaded), and the
 * download itself as a notification with progress and a Cancel button.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../../core/index';
import { assessFit, describeHardware, downloadCatalogModel, isDownloaded, loadCatalog, modelsDir, type CatalogModel, type ModelFit } from '../../models/llm/index';

/** A quick-pick row for one recommended model. */
export interface RecommendedItem extends vscode.QuickPickItem {
  model: CatalogModel;
  fit?: ModelFit;
}

const FIT_ICON: Record<ModelFit['level'], string> = { gpu: '$(check)', cpu: '$(check)', tight: '$(warning)', no: '$(error)' };

/** The catalog (medigenLab.modelCatalog, else MEDIGEN_MODEL_CATALOG, else the shipped list) as quick-pick rows. */
export async function recommendedItems(): Promise<RecommendedItem[]> {
  const file = String(vscode.workspace.getConfiguration('medigenLab').get('modelCatalog') ?? '').trim() || undefined;
  const models = loadCatalog(file);
  let fit: ((m: CatalogModel) => ModelFit) | undefined;
  try {
    const hw = await describeHardware();
    fit = (m) => assessFit(m, hw);
  } catch {
    fit = undefined; // the runtime could not start: sizes are still shown, the fit is not
  }
  return models.map((m) => {
    const f = fit?.(m);
    const have = isDownloaded(m);
    return {
      label: `${f ? `${FIT_ICON[f.level]} ` : ''}${m.title}`,
      description: `${have ? 'downloaded · ' : `${m.downloadGB.toFixed(2)} GB download · `}needs ${m.memoryGB.toFixed(1)} GB memory`,
      detail: `${f ? `This computer: ${f.text}. ` : ''}${m.note} Licence: ${m.license}.`,
      model: m,
      ...(f ? { fit: f } : {}),
    };
  });
}

/**
 * Downloads a recommended model into the models folder with a progress notification whose Cancel
 * stops it (the part downloaded is kept; choosing the model again resumes). Returns the local
 * .gguf path, or undefined when cancelled.
 */
export async function downloadWithNotification(model: CatalogModel, output: vscode.OutputChannel): Promise<string | undefined> {
  output.appendLine(`Downloading ${model.title} (${model.uri}, ${model.downloadGB.toFixed(2)} GB) into ${modelsDir()}`);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${model.title}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        try {
          const r = await downloadCatalogModel(model, {
            signal: controller.signal,
            progress: {
              report(done, total) {
                const pct = total > 0 ? (100 * done) / total : 0;
                progress.report({ increment: pct - shown, message: `${(done / 1e9).toFixed(2)} of ${(total / 1e9).toFixed(2)} GB` });
                shown = pct;
              },
            },
          });
          output.appendLine(`${r.downloaded ? 'Downloaded' : 'Already downloaded'}: ${r.path}`);
          return r.path;
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (e instanceof CancelledError) {
      void vscode.window.showInformationMessage(`The download of ${model.title} stopped. The part already downloaded is kept: choose the model again to resume.`);
      return undefined;
    }
    throw e;
  }
}
