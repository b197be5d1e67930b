/**
 * The model picker's recommended models in a real VS Code: the rows show size, memory and whether
 * this computer can run each before anything is downloaded, and choosing one downloads it (real
 * node-llama-cpp downloader) from a loopback server standing in for the hub, into the models
 * folder, and sets medigenLab.model.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { recommendedItems } from '../../extension/generation/recommended';
import { ensureTinyModels } from '../../models/tiny/index';
import { startFakeHub, type FakeHub } from '../helpers/fakeHub';

describe('Recommended models in the model picker (loopback hub)', function () {
  this.timeout(180_000);
  const config = () => vscode.workspace.getConfiguration('medigenLab');
  let work: string;
  let hub: FakeHub;
  let tiny: string;
  const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, MEDIGEN_MODELS_DIR: process.env.MEDIGEN_MODELS_DIR };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'medigen-picker-'));
    tiny = (await ensureTinyModels()).model;
    hub = await startFakeHub(tiny, { chunkBytes: 64 * 1024 });
    const list = join(work, 'class-models.json');
    writeFileSync(list, JSON.stringify({ models: [{ name: 'class-tiny', title: 'Class Tiny Model', uri: hub.uri, downloadGB: 0.01, memoryGB: 0.05, license: 'MIT', note: 'Random weights, for the test.' }] }));
    await config().update('modelCatalog', list, vscode.ConfigurationTarget.Global);
    // node-llama-cpp reads HF_ENDPOINT for hf: URIs; the extension host shares this process.
    process.env.HF_ENDPOINT = hub.url;
    process.env.MEDIGEN_MODELS_DIR = join(work, 'models');
  });
  after(async () => {
    await config().update('modelCatalog', undefined, vscode.ConfigurationTarget.Global);
    await config().update('model', tiny, vscode.ConfigurationTarget.Global);
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    await hub.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('shows each model\'s size, memory and fit on this computer before downloading', async () => {
    const items = await recommendedItems();
    assert.deepEqual(items.map((i) => i.model.name), ['class-tiny']);
    assert.match(items[0]!.description ?? '', /0\.01 GB download · needs 0\.1 GB memory/);
    assert.match(items[0]!.detail ?? '', /This computer: runs on the (CPU|GPU)/);
    assert.equal(hub.requests.length, 0, 'nothing downloaded to show the list');
  });

  it('choosing one downloads it into the models folder and sets medigenLab.model', async () => {
    const r = await vscode.commands.executeCommand<{ model: string; tiny: boolean }>('medigenLab.chooseModel', { recommended: 'class-tiny' });
    assert.ok(r, 'a model was chosen');
    assert.equal(r.tiny, false);
    assert.ok(r.model.startsWith(join(work, 'models')) && existsSync(r.model), r.model);
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    assert.equal(sha(r.model), sha(tiny));
    assert.equal(config().get('model'), r.model);
    assert.ok(hub.requests.some((q) => q.path.includes('/manifests/')), JSON.stringify(hub.requests));
  });
});
