import assert from 'node:assert/strict';
import { DEFAULT_NOTE_SECTIONS, disposeRuntimes, loadLlm, NoteGenerator, sectionHeadersIn, type LoadedLlm } from '../../../../models/llm/index';
import { ensureTinyModels } from '../../../../models/tiny/index';

const dialogue = '[doctor] hi , what brings you in today ?\n[patient] my right knee has been hurting for two weeks .\n[doctor] we will get an x-ray and start ibuprofen .';

describe('the SOAP grammar fits --max-tokens (real node-llama-cpp, tiny model)', function () {
  this.timeout(180_000);
  let loaded: LoadedLlm;
  let gen: NoteGenerator;
  before(async () => {
    loaded = await loadLlm((await ensureTinyModels()).model, { threads: 1, gpu: 'cpu' });
    gen = await NoteGenerator.create(loaded, { contextSize: 2048 });
  });
  after(async () => {
    await gen?.dispose();
    await loaded?.dispose();
    await disposeRuntimes();
  });

  // The sizing assumes 3 characters a token (real clinical text: ~4); the tiny model's byte-level vocabulary is
  // near that only from a few hundred tokens up, where a note's six sections get more than their 60-character floor.
  for (const maxTokens of [400, 1024]) {
    it(`grammar "soap" with ${maxTokens} tokens writes every header, in order, before the limit`, async () => {
      const r = await gen.generate(dialogue, { grammar: 'soap', maxTokens, seed: 3, temperature: 0.8 });
      assert.deepEqual(sectionHeadersIn(r.text), [...DEFAULT_NOTE_SECTIONS].map((s) => s.trim()), r.text);
      assert.ok(r.generatedTokens <= maxTokens);
    });
  }

  it('the unsized grammar (12 lines of 400 characters a section) is cut before the plan at the same limit: the control', async () => {
    const r = await gen.generate(dialogue, { grammar: { maxLinesPerSection: 12, maxLineChars: 400 }, maxTokens: 400, seed: 3, temperature: 0.8 });
    assert.notDeepEqual(sectionHeadersIn(r.text), [...DEFAULT_NOTE_SECTIONS].map((s) => s.trim()), 'a rambling model should run out of tokens with the unsized grammar');
  });
});
