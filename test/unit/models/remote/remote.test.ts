import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../../datasets/index';
import { loadSplit } from '../../../../datasets/index';
import { generateSplit } from '../../../../models/generation/index';
import { NoteGenerator } from '../../../../models/llm/index';
import { loadLlm, type LoadedLlm } from '../../../../models/llm/index';
import { RemoteNoteGenerator, isLocalEndpoint, listRemoteModels, remoteWarning, serveModel, type RunningServer } from '../../../../models/remote/index';
import { ensureTinyModels } from '../../../../models/tiny/index';
import { runCli } from '../../../helpers/cli';

describe('OpenAI-compatible endpoint backend, against a real HTTP server on loopback serving the tiny model', function () {
  this.timeout(180_000);
  let loaded: LoadedLlm;
  let server: RunningServer;
  let dir: string;
  const dialogue = loadSplit('test1').encounters[0]!;

  before(async () => {
    const { model } = await ensureTinyModels();
    loaded = await loadLlm(model, { gpu: 'cpu', threads: 1 });
    server = await serveModel(loaded, { modelName: 'tiny', contextSize: 2048, parallel: 2, apiKey: 'k' });
    dir = mkdtempSync(join(tmpdir(), 'medigen-remote-'));
  });
  after(async () => {
    await server?.close();
    await loaded?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the served model, and says that a non-local endpoint sends dialogue text away', async () => {
    assert.deepEqual(await listRemoteModels({ baseUrl: server.url, apiKey: 'k' }), ['tiny']);
    assert.equal(isLocalEndpoint(server.url), true);
    assert.equal(remoteWarning(server.url), undefined);
    assert.match(remoteWarning('https://llm.hospital.example/v1')!, /will be sent to llm.hospital.example/);
  });

  it('streams a note whose chunks add up to the text, identical to local greedy generation of the same prompt', async () => {
    const chunks: string[] = [];
    const remote = await new RemoteNoteGenerator({ baseUrl: server.url, model: 'tiny', apiKey: 'k' }).generate(dialogue, { maxTokens: 40, onTextChunk: (c) => chunks.push(c) });
    assert.ok(chunks.length > 1, 'text arrived in several chunks');
    assert.equal(chunks.join(''), remote.text);
    assert.equal(remote.stopReason, 'length');
    assert.equal(remote.generatedTokens, 40);
    const local = await NoteGenerator.create(loaded, { contextSize: 2048 });
    try {
      const r = await local.generate(dialogue, { maxTokens: 40, temperature: 0 });
      assert.equal(remote.text, r.text, 'the server formats the same system + user messages with the model\'s chat template');
    } finally {
      await local.dispose();
    }
  });

  it('stops mid-stream on abort and keeps what arrived', async () => {
    const ac = new AbortController();
    let n = 0;
    const r = await new RemoteNoteGenerator({ baseUrl: server.url, model: 'tiny', apiKey: 'k' }).generate(dialogue, { maxTokens: 400, onTextChunk: () => ++n === 3 && ac.abort(), signal: ac.signal });
    assert.equal(r.stopReason, 'abort');
    assert.ok(r.text.length > 0);
  });

  it('explains an unreachable server, a wrong key and an unknown model', async () => {
    const gen = (baseUrl: string, model = 'tiny', apiKey = 'k') => new RemoteNoteGenerator({ baseUrl, model, apiKey }).generate('hi', { maxTokens: 2 });
    await assert.rejects(gen('http://127.0.0.1:9/v1'), (e: Error & { hint?: string }) => /Could not reach the endpoint/.test(e.message) && /server is running/.test(e.hint!));
    await assert.rejects(gen(server.url, 'tiny', 'wrong'), (e: Error & { hint?: string }) => /HTTP 401/.test(e.message) && /API key/.test(e.hint!));
    await assert.rejects(gen(server.url, 'llama-70b'), (e: Error & { hint?: string }) => /HTTP 404/.test(e.message) && /\/v1\/models/.test(e.hint!));
    assert.throws(() => new RemoteNoteGenerator({ baseUrl: 'ftp://x/v1', model: 'tiny' }), /not http/);
  });

  it('medigen generate --endpoint writes a predictions CSV that medigen eval scores, and refuses a LoRA', async () => {
    const out = join(dir, 'preds.csv');
    process.env.MEDIGEN_API_KEY = 'k';
    try {
      let r = await runCli(['generate', '--split', 'test1', '--endpoint', server.url, '--model', 'tiny', '--out', out, '--max-tokens', '24', '--parallel', '2']);
      assert.equal(r.code, 0, r.stderr);
      const table = parseCsv(readFileSync(out));
      assert.deepEqual(table.header, ['dataset', 'encounter_id', 'dialogue', 'note']);
      assert.equal(table.rows.length, loadSplit('test1').encounters.length);
      r = await runCli(['eval', '--gold', 'test1', '--pred', out, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok('rouge1' in JSON.parse(r.stdout).ALL);
      r = await runCli(['generate', '--split', 'test1', '--endpoint', server.url, '--model', 'tiny', '--out', join(dir, 'x.csv'), '--lora', 'a.gguf']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot be sent to a remote endpoint/);
    } finally {
      delete process.env.MEDIGEN_API_KEY;
    }
  });

  it('a split through the endpoint equals the same split generated locally', async () => {
    const remoteOut = join(dir, 'remote.csv');
    const localOut = join(dir, 'local.csv');
    await generateSplit({ baseUrl: server.url, model: 'tiny', apiKey: 'k' }, { split: 'test1', out: remoteOut, maxTokens: 24, parallel: 2 });
    await generateSplit(loaded, { split: 'test1', out: localOut, maxTokens: 24, contextSize: 2048 });
    assert.equal(readFileSync(remoteOut, 'utf8'), readFileSync(localOut, 'utf8'));
  });
});
