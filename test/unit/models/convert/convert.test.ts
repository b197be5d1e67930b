import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../helpers/cli';
import { loadSplit } from '../../../../datasets/index';
import { loadLlm } from '../../../../models/llm/index';
import { serveModel } from '../../../../models/remote/index';
import { ensureTinyModels, type TinyModels } from '../../../../models/tiny/index';
import { writeTinyPeftAdapter } from '../train/tinyPeft';

describe('generate and serve take what training produces (run / PEFT folders, converted and cached), and never shift a prompt silently', function () {
  this.timeout(180_000);
  let dir: string;
  let models: TinyModels;
  const saved = process.env.MEDIGEN_MODELS_DIR;
  before(async () => {
    models = await ensureTinyModels();
    dir = mkdtempSync(join(tmpdir(), 'medigen-convert-'));
    process.env.MEDIGEN_MODELS_DIR = join(dir, 'models');
    // A finished training run folder as the trainer leaves it: config.json, protocol.jsonl, adapter/.
    mkdirSync(join(dir, 'runs', 'r1'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'r1', 'config.json'), JSON.stringify({ version: 1, baseModel: models.model, data: {} }));
    writeFileSync(join(dir, 'runs', 'r1', 'protocol.jsonl'), '');
    await writeTinyPeftAdapter(join(dir, 'runs', 'r1', 'adapter'));
  });
  after(() => {
    if (saved === undefined) delete process.env.MEDIGEN_MODELS_DIR;
    else process.env.MEDIGEN_MODELS_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('generate --model <run> --lora <run> converts the adapter once (cached), reports notes cut at --max-tokens, and prints an eval step that works', async () => {
    const out = join(dir, 'preds.csv');
    const run = join(dir, 'runs', 'r1');
    const args = ['generate', '--split', 'test1', '--limit', '2', '--model', run, '--lora', run, '--out', out, '--max-tokens', '6', '--gpu', 'cpu', '--threads', '1'];
    let r = await runCli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is a training run; its base model is/);
    assert.match(r.stderr, /Converted to .*adapter-r1-[0-9a-f]+\.gguf \(cached for next time\)/);
    assert.match(r.stdout, /Warning: 2 of 2 notes stopped at the token limit \(--max-tokens 6\)/);
    assert.match(r.stdout, /Next: medigen eval --gold test1 --pred .* --only-predicted/);
    assert.equal(readdirSync(join(dir, 'models', 'converted')).filter((f) => f.endsWith('.gguf')).length, 1);
    r = await runCli([...args, '--restart']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Using the converted .* \(cached; the source has not changed\)/);
    const next = /Next: medigen (.*)\n/.exec(r.stdout)![1]!.split(' ');
    const ev = await runCli(next);
    assert.equal(ev.code, 0, ev.stderr);
    assert.match(ev.stdout, /2 notes, matched by encounter_id/);
  });

  it('a folder that is no model or adapter is explained (no EISDIR), and a PEFT folder given as --model is redirected to --lora', async () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    let r = await runCli(['generate', '--split', 'test1', '--model', models.model, '--lora', join(dir, 'empty'), '--out', join(dir, 'x.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a folder MediGen Lab cannot load/);
    assert.ok(!/EISDIR/.test(r.stderr));
    r = await runCli(['generate', '--split', 'test1', '--model', join(dir, 'runs', 'r1', 'adapter'), '--out', join(dir, 'x.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a LoRA adapter, not a model[\s\S]*--lora/);
  });

  it('serve uses generate\'s context by default and refuses a prompt that does not fit instead of shifting it', async () => {
    const loaded = await loadLlm(models.model, { gpu: 'cpu', threads: 1 });
    const small = await serveModel(loaded, { modelName: 'tiny', contextSize: 512, parallel: 1 });
    try {
      const dialogue = loadSplit('test1').encounters[0]!.dialogue;
      const res = await fetch(`${small.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: dialogue }], max_tokens: 8 }) });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /The prompt is \d+ tokens .* but this server's context holds 512\. Restart the server with a larger --context/);
    } finally {
      await small.close();
    }
    const dflt = await serveModel(loaded, { modelName: 'tiny', parallel: 1 });
    try {
      const dialogue = loadSplit('test1').encounters[0]!.dialogue;
      const res = await fetch(`${dflt.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: dialogue }], max_tokens: 4 }) });
      assert.equal(res.status, 200, 'the same prompt fits the default (8192-token) context, as in generate');
    } finally {
      await dflt.close();
      await loaded.dispose();
    }
  });

  it('models info describes what a folder is: a run by its base model, a PEFT adapter with the command that converts it, anything else with what it must hold', async () => {
    const run = join(dir, 'runs', 'r1');
    const r = await runCli(['models', 'info', run]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is a training run; its base model is/);
    assert.match(r.stdout, /architecture\s+llama/);
    const peft = await runCli(['models', 'info', join(run, 'adapter')]);
    assert.equal(peft.code, 2);
    assert.match(peft.stderr, /is a PEFT adapter folder; converting it needs the base model/);
    assert.match(peft.stderr, /medigen generate --model <base model .gguf or folder> --lora /);
    const other = await runCli(['models', 'info', join(dir, 'runs')]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /is a folder MediGen Lab cannot load: it is not a Hugging Face model/);
    assert.doesNotMatch(other.stderr + peft.stderr, /EISDIR|looks like a bug/);
  });
});
