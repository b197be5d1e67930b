import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../../core/index';
import { ensureTinyModels } from '../../../models/tiny/index';

/** Starts the built `medigen serve` as a user would, and resolves with its URL once it prints it. */
function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'cli.mjs'), 'serve', '--port', '0', '--threads', '1', '--gpu', 'cpu', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/\S+) \(Ctrl\+C stops\)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`medigen serve exited ${code}: ${err}`)));
  });
}

async function note(url: string): Promise<string> {
  const base = url.endsWith('/v1') ? url : `${url.replace(/\/$/, '')}/v1`;
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: '[doctor] any pain in the knee ?\n[patient] yes , the right one .' }], max_tokens: 24, temperature: 0 }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
}

describe('medigen serve --lora (the built CLI, real node-llama-cpp, tiny model and adapter)', function () {
  this.timeout(180_000);
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGINT')));

  it('serves the model with the adapter applied: its greedy notes differ from the base model\'s', async () => {
    const { model, lora } = await ensureTinyModels();
    const base = await serve(['--model', model]);
    children.push(base.child);
    const tuned = await serve(['--model', model, '--lora', lora]);
    children.push(tuned.child);
    const [a, b] = [await note(base.url), await note(tuned.url)];
    assert.ok(a.length > 0 && b.length > 0);
    assert.notEqual(a, b, 'the adapter changed nothing');
    assert.equal(await note(tuned.url), b, 'greedy notes through the adapter are reproducible');
  });
});
