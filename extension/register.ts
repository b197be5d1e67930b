/**
 * Wires the lesson features together (extension.ts calls `registerLabFeatures` from activate):
 * the lab service, the Lessons tree, the checks' TestController, the lesson panel's serializer,
 * and the commands. (Workspace trust: menus use the built-in `isWorkspaceTrusted`; the tree, the
 * lesson page and the test runs check `vscode.workspace.isTrusted` and say why checks are off.)
 */
import * as vscode from 'vscode';
import { registerCommandsModule } from './commands/index';
import { shippedModuleDirs } from '../curriculum/lab/index';
import { LabService } from './lab/service';
import { LessonPanel } from './lesson/panel';
import { registerTestingModule, type TestingModule } from './testing/controller';
import { registerTreeModule, type TreeModule } from './tree/view';

/** What the lesson features expose (part of the extension's API, used by integration tests). */
export interface LabFeatures {
  lab: LabService;
  testing: TestingModule;
  tree: TreeModule;
}

/** Registers every lesson feature; everything disposable goes into `context.subscriptions`. */
export function registerLabFeatures(context: vscode.ExtensionContext, output: vscode.OutputChannel): LabFeatures {
  // The shipped modules come from the extension's own folder.
  const lab = new LabService(shippedModuleDirs(context.extensionUri.fsPath), output);
  context.subscriptions.push(lab);
  const testing = registerTestingModule(context, lab, output);
  const deps = { extensionUri: context.extensionUri, lab, runs: testing, output };
  context.subscriptions.push(LessonPanel.registerSerializer(deps));
  const tree = registerTreeModule(context, lab);
  registerCommandsModule(context, { ...deps, testing });
  return { lab, testing, tree };
}
