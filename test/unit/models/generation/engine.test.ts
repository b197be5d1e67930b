/**
 * The editor's generation engine against the real tiny GGUF model (node-llama-cpp, CPU) and a real
 * loopback OpenAI-compatible server: streaming, stop, reuse of the loaded model, context growth,
 * LoRA, the prompt view, and the errors a student meets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedigenError } from '../../../../core/index';
import { loadSplit } from '../../../../datasets/index';
import { loadLlm } from '../../../../models/llm/index';
import { serveModel, type RunningServer } from '../../../../models/remote/index';
import type { LoadedLlm } from '../../../../models/llm/index';
import { ensureTinyModels, type TinyModels } from '../../../../models/tiny/index';
import { GenerationEngine } from '../../../../models/generation/index';
import { DEFAULT_GENERATION_SETTINGS, type GenerationSettings } from '../../../../models/generation/index';

describe('generation engine (real tiny model)', () => {
  let tiny: TinyModels;
  let engine: GenerationEngine;
  let dir: string;
  const encounter = loadSplit('valid').encounters[0]!;
  const settings = (o: Partial<GenerationSettings> = {}): GenerationSettings => ({ ...DEFAULT_GENERATION_SETTINGS, model: tiny.model, threads: 1, maxTokens: 48, ...o });

  before(async () => {
    tiny = await ensureTinyModels();
    engine = new GenerationEngine();
    dir = mkdtempSync(join(tmpdir(), 'medigen-gen-'));
  });
  after(async () => {
    await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a SOAP note and reuses the loaded model for the next note', async () => {
    const chunks: string[] = [];
    const percents: number[] = [];
    const r = await engine.generate(encounter, settings(), { onTextChunk: (t) => chunks.push(t), loadProgress: { report: (d) => percents.push(d) } });
    assert.equal(r.backend, 'local');
    assert.equal(r.model, tiny.model);
    assert.ok(r.text.startsWith('CHIEF COMPLAINT\n\n'), JSON.stringify(r.text.slice(0, 40)));
    assert.equal(chunks.join(''), r.text);
    assert.ok(chunks.length > 1, 'the text did not stream in pieces');
    assert.ok(r.generatedTokens! > 0 && r.generatedTokens! <= 48);
    assert.ok(r.promptTokens! > 100);
    assert.ok(percents.length > 0 && percents.at(-1) === 100, `load progress: ${percents}`);
    assert.equal(engine.loadedModel?.threads, 1);
    const again = await engine.generate(encounter, settings({ grammar: 'free' }));
    assert.equal(engine.loads, 1, 'the model was loaded twice');
    assert.ok(!again.text.startsWith('CHIEF COMPLAINT'), 'free text still followed the SOAP grammar');
  });

  it('gives the same note for the same seed and settings', async () => {
    const a = await engine.generate(encounter.dialogue, settings({ temperature: 0.8, seed: 7, maxTokens: 24 }));
    const b = await engine.generate(encounter.dialogue, settings({ temperature: 0.8, seed: 7, maxTokens: 24 }));
    assert.equal(a.text, b.text);
  });

  it('stops mid-stream and returns the partial text', async () => {
    const stop = new AbortController();
    let seen = '';
    const r = await engine.generate(encounter, settings({ grammar: 'free', maxTokens: 2000 }), {
      signal: stop.signal,
      onTextChunk: (t) => {
        seen += t;
        if (seen.length > 20) stop.abort();
      },
    });
    assert.equal(r.stopReason, 'abort');
    assert.equal(r.stopped, true);
    assert.ok(r.text.length > 0 && r.generatedTokens! < 2000, `${r.generatedTokens} tokens`);
  });

  it('renders the exact prompt with its token count', async () => {
    const p = await engine.prompt(encounter, settings());
    assert.equal(p.backend, 'local');
    assert.ok(p.text.includes('<|im_start|>system') && p.text.includes(encounter.dialogue.slice(0, 60)), p.text.slice(0, 200));
    const r = await engine.generate(encounter, settings({ maxTokens: 4 }));
    assert.equal(p.tokenCount, r.promptTokens);
  });

  it('makes a larger context when the prompt and the note do not fit in the default one', async () => {
    const stop = new AbortController();
    const r = await engine.generate(encounter, settings({ maxTokens: 8100, grammar: 'free' }), { signal: stop.signal, onTextChunk: () => stop.abort() });
    assert.equal(r.stopReason, 'abort');
    assert.ok(r.promptTokens! + 8100 > 8192);
    assert.equal(engine.loads, 1, 'the model was reloaded instead of only making a larger context');
  });

  it('says when even the model\'s whole context is too small', async () => {
    await assert.rejects(engine.generate(encounter, settings({ maxTokens: 30000 })), (e: unknown) => e instanceof MedigenError && /reads at most 16384 tokens/.test(e.message) && /medigenLab\.maxTokens/.test(e.hint));
  });

  it('applies a LoRA adapter (a different note) and names a missing adapter file', async () => {
    const base = await engine.generate(encounter, settings({ grammar: 'free', maxTokens: 16 }));
    const tuned = await engine.generate(encounter, settings({ grammar: 'free', maxTokens: 16, lora: tiny.lora, loraScale: 4 }));
    assert.notEqual(tuned.text, base.text);
    await assert.rejects(engine.generate(encounter, settings({ lora: join(dir, 'missing.gguf') })), (e: unknown) => e instanceof MedigenError && /medigenLab\.lora/.test(e.hint));
  });

  it('explains a missing model, an empty setting and a file that is not GGUF', async () => {
    await assert.rejects(engine.generate(encounter, settings({ model: '' })), (e: unknown) => e instanceof MedigenError && /medigenLab\.model/.test(e.hint));
    await assert.rejects(engine.generate(encounter, settings({ model: join(dir, 'nope.gguf') })), (e: unknown) => e instanceof MedigenError && /no model file/.test(e.message));
    const junk = join(dir, 'junk.gguf');
    writeFileSync(junk, 'this is a text file, not a model\n'.repeat(20));
    await assert.rejects(engine.generate(encounter, settings({ model: junk })), (e: unknown) => e instanceof MedigenError && /GGUF/i.test(e.message + e.hint));
  });

  describe('with an endpoint', () => {
    let served: LoadedLlm;
    let server: RunningServer;
    before(async () => {
      served = await loadLlm(tiny.model, { threads: 1 });
      server = await serveModel(served, { modelName: 'tiny', contextSize: 4096, parallel: 1, apiKey: 'secret' });
    });
    after(async () => {
      await server?.close();
      await served?.dispose();
    });

    it('streams a note from the server, picking its only model and sending the key', async () => {
      const chunks: string[] = [];
      const r = await engine.generate(encounter, settings({ endpoint: server.url, maxTokens: 16 }), { apiKey: 'secret', onTextChunk: (t) => chunks.push(t) });
      assert.equal(r.backend, 'remote');
      assert.equal(r.model, 'tiny');
      assert.ok(r.text.length > 0);
      assert.equal(chunks.join(''), r.text);
      const p = await engine.prompt(encounter, settings({ endpoint: server.url }));
      assert.equal(p.backend, 'remote');
      assert.equal(p.tokenCount, undefined);
    });

    it('explains a wrong key and a server that is down', async () => {
      await assert.rejects(engine.generate(encounter, settings({ endpoint: server.url, endpointModel: 'tiny', maxTokens: 4 }), { apiKey: 'wrong' }), (e: unknown) => e instanceof MedigenError && /HTTP 401/.test(e.message));
      await assert.rejects(engine.generate(encounter, settings({ endpoint: 'http://127.0.0.1:9/v1', endpointModel: 'tiny', maxTokens: 4 })), (e: unknown) => e instanceof MedigenError && /Could not reach/.test(e.message));
    });
  });
});
