/**
 * A student's first start (issue 16): VS Code opens the classroom's sandbox folder in a fresh
 * profile and nobody runs a command. MediGen Lab must start by itself (the sandbox's marker is a
 * `workspaceContains:` activation event) and open the walkthrough and the first lesson, once.
 * scripts/vscode/runTests.ts makes the sandbox (Sandbox.open) before VS Code starts.
 */
import assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MedigenLabApi } from '../../../extension/extension';
import { EXTENSION_ID, until } from '../support';

describe('First start in a sandbox folder (fresh profile, no command run)', function () {
  this.timeout(180_000);

  it('starts by itself in the sandbox and opens the walkthrough and the first lesson, once', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'VS Code opened no folder');
    assert.ok(existsSync(join(folder.uri.fsPath, '.medigen', 'sandbox.json')), 'the folder is not a sandbox: runTests.ts should have made one');
    const ext = vscode.extensions.getExtension<MedigenLabApi>(EXTENSION_ID);
    assert.ok(ext, `VS Code did not load ${EXTENSION_ID}`);
    // Nothing here calls a MediGen Lab command or activates the extension: VS Code must do it.
    await until('VS Code to activate MediGen Lab for the sandbox folder', () => ext.isActive || undefined, 90_000);
    const api = ext.exports;
    assert.equal(await api.firstStart, true, 'the first-start pages did not open (see the MediGen Lab output)');
    assert.equal(api.firstStartShown(), true, 'remembered in globalState, so it opens only once');
    const page = await until('the first lesson to open', () => api.lessonPage());
    assert.equal(page.moduleId, 'meet-the-data', 'the first module of the course');
    assert.match(page.html, /Meet the data/i);
    const labels = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    assert.ok(labels.some((l) => /Welcome|Walkthrough|first passing check/i.test(l)), `no walkthrough tab among: ${labels.join(', ')}`);
    // The lab uses the open sandbox folder (no setting, no environment variable names another one).
    const lab = await api.lessons.lab.get();
    assert.equal(realpathSync(lab.sandboxRoot), realpathSync(folder.uri.fsPath));
    assert.ok(lab.modules.some((m) => m.id === 'meet-the-data'), 'the course is installed in the sandbox');
  });
});
