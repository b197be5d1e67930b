/**
 * The first time MediGen Lab starts in a VS Code profile: its walkthrough ("your first passing
 * check") and the first lesson open, so a new student does not face an empty Explorer. Shown
 * once per profile (remembered in globalState); the `medigenLab.openOnFirstStart` setting turns
 * it off (the test harness does, except for the test of this).
 */
import * as vscode from 'vscode';

/** The globalState key that records that the first start was shown. */
export const FIRST_START_SHOWN = 'medigenLab.firstStartShown';
/** The walkthrough contributed in package.json. */
export const WALKTHROUGH_ID = 'medigenLab.firstCheck';

/** Opens the walkthrough and the first lesson, once; resolves to whether it did. Errors are logged, never thrown. */
export async function openOnFirstStart(context: vscode.ExtensionContext, output: vscode.OutputChannel): Promise<boolean> {
  if (context.globalState.get<boolean>(FIRST_START_SHOWN)) return false;
  if (!vscode.workspace.getConfiguration('medigenLab').get<boolean>('openOnFirstStart', true)) return false;
  await context.globalState.update(FIRST_START_SHOWN, true);
  try {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
    // "Continue Learning" opens the first lesson not yet done: for a new student, the first one.
    await vscode.commands.executeCommand('medigenLab.continue');
    output.appendLine('First start: opened the walkthrough and the first lesson (once; the setting "Open On First Start" turns it off).');
    return true;
  } catch (err) {
    output.appendLine(`First start: could not open the walkthrough or the first lesson: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}
