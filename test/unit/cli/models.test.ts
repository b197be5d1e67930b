import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../datasets/index';
import { ensureTinyModels, type TinyModels } from '../../../models/tiny/index';
import { runCli } from '../../helpers/cli';

describe('medigen models / generate (CLI)', function () {
  this.timeout(180_000);
  let models: TinyModels;
  let dir: string;
  before(async () => {
    models = await ensureTinyModels();
    dir = mkdtempSync(join(tmpdir(), 'medigen-models-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('models info describes a model and an adapter', async () => {
    const r = await runCli(['models', 'info', models.model]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /architecture\s+llama/);
    assert.match(r.stdout, /quantization\s+F16/);
    assert.match(r.stdout, /context\s+16384 tokens/);
    const j = await runCli(['models', 'info', models.lora, '--json']);
    assert.equal(j.code, 0);
    const s = JSON.parse(j.stdout);
    assert.equal(s.kind, 'adapter');
    assert.equal(s.adapterType, 'lora');
    assert.equal(s.loraAlpha, 8);
  });

  it('models info on a file that is not GGUF exits 1 with what to do', async () => {
    const f = join(dir, 'notes.txt.gguf');
    writeFileSync(f, 'CHIEF COMPLAINT\n\nknee pain\n');
    const r = await runCli(['models', 'info', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not a GGUF model file: it starts with "CHIE"/);
    assert.match(r.stderr, /What to do:/);
  });

  it('models hardware reports the backend and threads', async () => {
    const r = await runCli(['models', 'hardware', '--gpu', 'cpu', '--threads', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const hw = JSON.parse(r.stdout);
    assert.equal(hw.backend, 'cpu');
    assert.equal(hw.threads, 1);
    const bad = await runCli(['models', 'hardware', '--threads', 'many']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a thread count/);
  });

  it('generate writes a predictions CSV that eval can score', async () => {
    const out = join(dir, 'preds.csv');
    const r = await runCli(['generate', '--split', 'test1', '--model', models.model, '--lora', models.lora, '--out', out, '--max-tokens', '10', '--gpu', 'cpu', '--threads', '1', '--show-prompt']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote \d+ notes to/);
    assert.match(r.stdout, /Next: medigen eval --gold test1/);
    assert.match(r.stderr, /Prompt for \S+ \(\d+ tokens\):\n<s><\|im_start\|>system/);
    const t = parseCsv(readFileSync(out), out);
    assert.deepEqual(t.header, ['dataset', 'encounter_id', 'dialogue', 'note']);
    const ev = await runCli(['eval', '--gold', 'test1', '--pred', out, '--json']);
    assert.equal(ev.code, 0, ev.stderr);
    assert.ok('ALL' in JSON.parse(ev.stdout));
  });

  it('generate --max-prompt-tokens cuts each prompt to fit (said with --show-prompt); refused with --endpoint', async () => {
    const out = join(dir, 'cut.csv');
    const r = await runCli(['generate', '--split', 'test1', '--model', models.model, '--out', out, '--max-tokens', '5', '--limit', '1', '--gpu', 'cpu', '--threads', '1', '--show-prompt', '--max-prompt-tokens', '200']);
    assert.equal(r.code, 0, r.stderr);
    const m = /Prompt for \S+ \((\d+) tokens; the last (\d+) tokens of the dialogue were cut to fit --max-prompt-tokens\)/.exec(r.stderr);
    assert.ok(m, r.stderr.slice(0, 400));
    assert.ok(Number(m[1]) <= 200 && Number(m[2]) > 100, m[0]);
    const remote = await runCli(['generate', '--split', 'test1', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--out', join(dir, 'r.csv'), '--max-prompt-tokens', '200']);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /--max-prompt-tokens applies only to a local model/);
  });

  it('generate without --model exits 2 and suggests the tiny model', async () => {
    const r = await runCli(['generate', '--split', 'test1', '--out', join(dir, 'x.csv')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--model is required/);
    assert.match(r.stderr, /make-tiny/);
  });
});
