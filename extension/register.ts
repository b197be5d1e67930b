/**
 * Wires the lesson features together (extension.ts calls `registerLabFeatures` from activate):
 * the lab service, the Lessons tree, the checks' TestController, the lesson panel's serializer,
 * and the commands. (Workspace trust: menus use the built-in `isWorkspaceTrusted`; the tree, the
 * lesson page and the test runs check `vscode.workspace.isTrusted` and say why checks are off.)
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommandsModule } from './commands/index';
import { shippedModuleDirs } from '../curriculum/lab/index';
import { LabService } from './lab/service';
import { LessonPanel } from './lesson/panel';
import { LessonRenderCache, RENDER_CACHE_FILE } from './lesson/renderCache';
import { registerTestingModule, type TestingModule } from './testing/controller';
import { registerTreeModule, type TreeModule } from './tree/view';

/** What the lesson features expose (part of the extension's API, used by integration tests). */
export interface LabFeatures {
  lab: LabService;
  testing: TestingModule;
  tree: TreeModule;
  /** Rendered lessons and hints, kept in the extension's global storage between sessions. */
  renders: LessonRenderCache;
}

/** Registers every lesson feature; everything disposable goes into `context.subscriptions`. */
export function registerLabFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): LabFeatures {
  // The shipped modules come from the extension's own folder.
  const lab = new LabService(shippedModuleDirs(context.extensionUri.fsPath), output);
  context.subscriptions.push(lab);
  const testing = registerTestingModule(context, lab, output);
  // Read now, while nothing waits for it: the first lesson's page is built from it. Without the
  // bundle's hash (not run from dist/extension.cjs) nothing is kept between sessions.
  const { __medigenBundleHash: build } = globalThis as { __medigenBundleHash?: string };
  const renders = new LessonRenderCache({ file: join(context.globalStorageUri.fsPath, RENDER_CACHE_FILE), ...(build ? { build } : {}), log: (line) => output.appendLine(line) });
  void renders.load();
  context.subscriptions.push({ dispose: () => void renders.flush().finally(() => renders.dispose()) });
  const deps = { extensionUri: context.extensionUri, lab, runs: testing, output, renders };
  context.subscriptions.push(LessonPanel.registerSerializer(deps));
  const tree = registerTreeModule(context, lab);
  registerCommandsModule(context, { ...deps, testing });
  return { lab, testing, tree, renders };
}
