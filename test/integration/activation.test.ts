/**
 * Runs inside a real VS Code extension host (see test/integration/index.ts). Keep this file first
 * in alphabetical order: its first test checks that nothing has activated the extension yet.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MedigenLabApi, VersionInfo } from '../../extension/extension';
import { EXTENSION_ID } from './support';

// This bundle lives in <repo>/out/test/integration/.
const repoRoot = join(__dirname, '..', '..', '..');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

function extension(): vscode.Extension<MedigenLabApi> {
  const ext = vscode.extensions.getExtension<MedigenLabApi>(EXTENSION_ID);
  assert.ok(ext, `VS Code did not load ${EXTENSION_ID} from ${repoRoot}`);
  return ext;
}

describe('MediGen Lab extension in a real VS Code', () => {
  it('is loaded from this checkout and stays inactive until a command needs it', () => {
    const ext = extension();
    assert.equal(realpathSync(ext.extensionUri.fsPath), realpathSync(repoRoot));
    assert.equal(ext.packageJSON.version, packageJson.version);
    assert.equal(ext.isActive, false, 'the extension activated before any MediGen Lab command ran');
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events}`);
  });

  it('activates on "MediGen Lab: Show Version", which returns the real versions', async () => {
    // A first start (fresh profile): the harness turns the first-start pages off; this file turns
    // them on before the first activation, to see them open (the next test).
    await vscode.workspace.getConfiguration('medigenLab').update('openOnFirstStart', true, vscode.ConfigurationTarget.Global);
    const info = await vscode.commands.executeCommand<VersionInfo>('medigenLab.showVersion');
    assert.equal(extension().isActive, true);
    assert.equal(info.extension, packageJson.version);
    assert.equal(info.vscode, vscode.version);
    assert.equal(info.node, process.versions.node);
    assert.match(info.message, new RegExp(`MediGen Lab ${packageJson.version.replace(/\./g, '\\.')} is running in VS Code`));
  });

  it('opens the walkthrough and the first lesson on the first start, and remembers it', async function () {
    this.timeout(120_000);
    try {
      if (!extension().isActive) {
        // Run alone (--grep): this is the first activation.
        await vscode.workspace.getConfiguration('medigenLab').update('openOnFirstStart', true, vscode.ConfigurationTarget.Global);
      }
      const api = await extension().activate();
      assert.equal(await api.firstStart, true, 'the first-start pages did not open (see the MediGen Lab output)');
      const page = api.lessonPage();
      assert.ok(page, 'no lesson panel is open');
      assert.equal(page.moduleId, 'meet-the-data', 'the first module of the course');
      assert.match(page.html, /Meet the data/i, 'the first lesson of the course');
      assert.equal(api.firstStartShown(), true, 'remembered in globalState, so it opens only once');
      const labels = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
      assert.ok(labels.some((l) => /Welcome|Walkthrough|first passing check/i.test(l)), `no walkthrough tab among: ${labels.join(', ')}`);
    } finally {
      await vscode.workspace.getConfiguration('medigenLab').update('openOnFirstStart', false, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('keeps the lessons it rendered for the next session, in its own storage, for this build only', async function () {
    this.timeout(60_000);
    const api = await extension().activate();
    const renders = api.lessons.renders;
    // The first start above rendered "Meet the data" with marked (a fresh profile has no cache);
    // run alone (--grep), this test opens it first.
    if (renders.stats.misses === 0) await vscode.commands.executeCommand('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'meet-the-data' });
    assert.ok(renders.stats.misses > 0, `nothing was rendered yet: ${JSON.stringify(renders.stats)}`);
    assert.ok(renders.file, 'run from dist/extension.cjs, the cache is kept in a file');
    assert.match(renders.file, /globalStorage[\\/]medigen-lab\.medigen-lab[\\/]lesson-render-cache\.json$/);
    assert.equal(await renders.flush(), true, 'see the MediGen Lab output for why it could not be written');
    const saved = JSON.parse(readFileSync(renders.file, 'utf8')) as { build: string; entries: [string, { html: string }][] };
    const bundleHash = createHash('sha256').update(readFileSync(join(repoRoot, 'dist', 'extensionMain.cjs'), 'utf8')).digest('hex').slice(0, 16);
    assert.equal(saved.build, bundleHash, 'entries belong to the bundle that rendered them');
    try {
      const hits = renders.stats.hits;
      await vscode.commands.executeCommand('medigenLab.openLesson', { moduleId: 'meet-the-data', lessonId: 'meet-the-data' });
      assert.equal(renders.stats.hits, hits + 1, 'the lesson came from the cache');
      const page = api.lessonPage();
      assert.ok(page && saved.entries.some(([, r]) => r.html.includes('Meet the data') && page.html.includes(r.html)), 'the page shows the kept HTML');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('runs in a VS Code that satisfies engines.vscode', () => {
    const [wantMajor, wantMinor] = String(packageJson.engines.vscode).replace(/^\^/, '').split('.').map(Number);
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > wantMajor || (major === wantMajor && minor >= wantMinor), `VS Code ${vscode.version} < ${packageJson.engines.vscode}`);
  });

  it('exports its API with the "MediGen Lab" output channel', async () => {
    const api = await extension().activate();
    assert.equal(api.version, packageJson.version);
    assert.equal(api.output.name, 'MediGen Lab');
  });

  it('registers every command that package.json contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: { command: string }[] = packageJson.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const missing = contributed.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed in package.json but never registered: ${missing.join(', ')}`);
  });
});
