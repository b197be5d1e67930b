import assert from 'node:assert/strict';
import { loadSplit } from '../../../../datasets/index';
import { NoteGenerator } from '../../../../models/llm/index';
import { loadLlm, type LoadedLlm } from '../../../../models/llm/index';
import { ensureTinyModels } from '../../../../models/tiny/index';

describe('NoteGenerator reuse on one model (tiny model)', function () {
  this.timeout(180_000);
  let loaded: LoadedLlm;
  let other: LoadedLlm;

  before(async () => {
    const { model } = await ensureTinyModels();
    loaded = await loadLlm(model, { gpu: 'cpu', threads: 1 });
    other = await loadLlm(model, { gpu: 'cpu', threads: 1 });
  });
  after(async () => {
    await loaded?.dispose();
    await other?.dispose();
  });

  it('resolves the chat wrapper once per model, and a second generator writes the same notes', async () => {
    const e = loadSplit('test1').encounters[0]!;
    const a = await NoteGenerator.create(loaded, { contextSize: 2048 });
    const b = await NoteGenerator.create(loaded, { contextSize: 2048, sequences: 2 });
    const c = await NoteGenerator.create(other, { contextSize: 2048 });
    try {
      assert.equal(a.chatWrapper, b.chatWrapper, 'the same wrapper object for the same model');
      assert.notEqual(a.chatWrapper, c.chatWrapper, 'another loaded model resolves its own');
      assert.equal(c.chatWrapper.wrapperName, a.chatWrapper.wrapperName);
      const [ra, rb, rc] = await Promise.all([a.generate(e, { maxTokens: 24 }), b.generate(e, { maxTokens: 24 }), c.generate(e, { maxTokens: 24 })]);
      assert.equal(ra.generatedTokens, 24);
      assert.equal(rb.text, ra.text);
      assert.equal(rc.text, ra.text);
      assert.equal(b.renderPrompt(e).text, c.renderPrompt(e).text);
    } finally {
      await a.dispose();
      await b.dispose();
      await c.dispose();
    }
  });
});
