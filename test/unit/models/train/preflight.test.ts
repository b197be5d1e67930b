import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTrainConfig } from '../../../../models/train/index';
import { architectureRefFor, environmentView, memoryPreflight } from '../../../../models/train/index';
import { makeNonce, pageCsp, webviewPage } from '../../../../extension/training/html';

const GiB = 1024 ** 3;

describe('training preflight', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'medigen-preflight-'));
    // Llama-3.2-1B's published shape
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ hidden_size: 2048, num_hidden_layers: 16, intermediate_size: 8192, vocab_size: 128256, num_attention_heads: 32, num_key_value_heads: 8, tie_word_embeddings: true, model_type: 'llama' }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the architecture: chosen size, model folder, or a guess from the name', () => {
    assert.equal(architectureRefFor('meta-llama/Meta-Llama-3-8B-Instruct'), 'llama-3-8b');
    assert.equal(architectureRefFor('meta-llama/Llama-3.2-1B-Instruct'), 'llama-3.2-1b');
    assert.equal(architectureRefFor('mistralai/Mistral-7B-Instruct-v0.2'), 'mistral-7b');
    assert.equal(architectureRefFor(dir), dir);
    assert.equal(architectureRefFor(dir, 'llama-2-7b'), 'llama-2-7b');
    assert.equal(architectureRefFor('my-own-model'), undefined);
  });

  it('estimates the study defaults on Llama-3-8B and says it does not fit in 8 GiB, with suggestions', () => {
    const cfg = defaultTrainConfig();
    const v = memoryPreflight(cfg, 'auto', 8 * GiB);
    assert.ok(!('error' in v));
    assert.match(v.model, /Llama-3-8B \(guessed from the name\)/);
    assert.equal(v.fits, false);
    assert.equal(v.free, '8.00');
    assert.ok(Number(v.total) > 8, v.total);
    assert.ok(v.rows.some((r) => r.label === 'Base weights (4-bit NF4)'));
    assert.ok(v.suggestions.length > 0);
    assert.match(v.message, /will probably NOT fit/);
    const big = memoryPreflight(cfg, 'auto', 80 * GiB);
    assert.ok(!('error' in big) && big.fits === true && big.suggestions.length === 0);
    const unknownFree = memoryPreflight(cfg, 'auto', undefined);
    assert.ok(!('error' in unknownFree) && unknownFree.fits === undefined);
    assert.match(unknownFree.message, /No GPU is visible/);
  });

  it('estimates from a model folder\'s config.json and explains an unknown model', () => {
    const v = memoryPreflight({ ...defaultTrainConfig(), baseModel: dir }, 'auto', 24 * GiB);
    assert.ok(!('error' in v));
    assert.match(v.model, /from its config\.json/);
    assert.equal(v.fits, true);
    const unknown = memoryPreflight({ ...defaultTrainConfig(), baseModel: 'my-own-model' }, 'auto', undefined);
    assert.ok('error' in unknown);
    assert.match(unknown.error, /Pick its size under "Estimate as"/);
  });

  it('describes the environment: missing packages, no GPU, ready', () => {
    const packages = { torch: null, transformers: null, peft: null, accelerate: null, bitsandbytes: null, safetensors: null };
    const none = environmentView({ python: '3.11.7', packages, cuda: false, gpus: [] }, 'python3');
    assert.equal(none.ready, false);
    assert.match(none.message, /lacks torch, transformers, peft, accelerate, safetensors\. Click "Set Up Training Environment"/);
    const full = { torch: '2.5', transformers: '4.57', peft: '0.21', accelerate: '1.15', bitsandbytes: null, safetensors: '0.8' };
    const noGpu = environmentView({ python: '3.11.7', packages: full, cuda: false, gpus: [] }, 'python3');
    assert.equal(noGpu.ready, false);
    assert.match(noGpu.message, /no CUDA GPU is visible/);
    assert.equal(environmentView({ python: '3.11.7', packages: full, cuda: false, gpus: [] }, 'python3', 'cpu').ready, true);
    const gpu = environmentView({ python: '3.11.7', packages: full, cuda: true, gpus: [{ name: 'NVIDIA A100', memoryTotal: 40 * GiB, memoryFree: 38 * GiB }] }, '/v/bin/python');
    assert.equal(gpu.ready, true);
    assert.equal(gpu.freeBytes, 38 * GiB);
    assert.match(gpu.message, /Ready: NVIDIA A100 with 38\.0 GiB free/);
    assert.equal(gpu.packages.find((p) => p.name === 'bitsandbytes')!.required, false);
    const broken = environmentView({ error: 'Could not run python9: spawn python9 ENOENT' }, 'python9');
    assert.equal(broken.ready, false);
    assert.match(broken.message, /Could not run python9.*Install Python 3\.10 or newer/);
  });

  it('builds webview pages with a strict CSP and a fresh nonce', () => {
    const a = makeNonce();
    assert.notEqual(a, makeNonce());
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.equal(pageCsp('vscode-resource:', a), `default-src 'none'; img-src vscode-resource:; style-src vscode-resource:; font-src vscode-resource:; script-src 'nonce-${a}'`);
    const page = webviewPage({ title: 'T<1>', cspSource: 'src:', nonce: a, scriptUri: 'https://x/s.js', styleUri: 'https://x/s.css', body: '<main></main>' });
    assert.match(page, new RegExp(`<script nonce="${a.replace(/[+/]/g, (c) => `\\${c}`)}" src="https://x/s.js"></script>`));
    assert.match(page, /<title>T&lt;1&gt;<\/title>/);
    const staticPage = webviewPage({ title: 'S', cspSource: 'src:', styleUri: 's.css', body: '' });
    assert.doesNotMatch(staticPage, /<script/);
    assert.match(staticPage, /script-src 'none'/);
  });
});
