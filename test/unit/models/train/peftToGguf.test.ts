import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaCompletion } from 'node-llama-cpp';
import { readGgufHeader } from '../../../../models/gguf/index';
import { getRuntime } from '../../../../models/llm/index';
import { convertPeftToGguf } from '../../../../models/train/index';
import { permuteRopeRows } from '../../../../models/tensors/index';
import { readSafetensors, writeSafetensors } from '../../../../models/tensors/index';
import { TINY_LLAMA, ensureTinyModels, seededRandom } from '../../../../models/tiny/index';

/** A PEFT-format LoRA adapter for the tiny llama, with the shapes PyTorch would save. */
function writePeftAdapter(dir: string, opts: { rank?: number; alpha?: number; scaleB?: number; modules?: string[] } = {}) {
  const r = opts.rank ?? 4;
  const d = TINY_LLAMA.embedding;
  const kv = (d / TINY_LLAMA.heads) * TINY_LLAMA.kvHeads;
  const ff = TINY_LLAMA.feedForward;
  const shapes: Record<string, [number, number]> = {
    'self_attn.q_proj': [d, d], 'self_attn.k_proj': [d, kv], 'self_attn.v_proj': [d, kv], 'self_attn.o_proj': [d, d],
    'mlp.gate_proj': [d, ff], 'mlp.up_proj': [d, ff], 'mlp.down_proj': [ff, d],
  };
  const rng = seededRandom(99);
  const randn = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (let layer = 0; layer < TINY_LLAMA.layers; layer++) {
    for (const [mod, [nIn, nOut]] of Object.entries(shapes)) {
      if (opts.modules && !opts.modules.includes(mod)) continue;
      const p = `base_model.model.model.layers.${layer}.${mod}`;
      tensors[`${p}.lora_A.weight`] = { shape: [r, nIn], data: randn(r * nIn, 0.5) };
      tensors[`${p}.lora_B.weight`] = { shape: [nOut, r], data: randn(nOut * r, opts.scaleB ?? 0.5) };
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r, lora_alpha: opts.alpha ?? 2 * r, target_modules: Object.keys(shapes).map((m) => m.split('.')[1]) }));
  return writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors, { format: 'pt' }).then(() => tensors);
}

describe('PEFT adapter → GGUF LoRA converter', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'medigen-peft-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('permutes q/k rows the way llama.cpp stores rope heads', () => {
    const rows = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual([...permuteRopeRows(rows, 8, 1, 2)], [0, 2, 1, 3, 4, 6, 5, 7]);
    const twoCols = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    assert.deepEqual([...permuteRopeRows(twoCols, 4, 2, 1)], [0, 0, 2, 2, 1, 1, 3, 3]);
  });

  it('round-trips safetensors, and refuses a truncated file', async () => {
    const file = join(dir, 'a.safetensors');
    await writeSafetensors(file, { w: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) } });
    const st = await readSafetensors(file);
    assert.deepEqual(st.tensors.get('w')!.shape, [2, 3]);
    assert.deepEqual([...(await st.read('w'))], [1, 2, 3, 4, 5, 6]);
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    await assert.rejects(readSafetensors(file), /not a readable safetensors file/);
  });

  it('writes an adapter GGUF with the right names, dims, alpha and q permutation', async () => {
    const { model } = await ensureTinyModels();
    const tensors = await writePeftAdapter(join(dir, 'adapter'));
    const res = await convertPeftToGguf({ adapterDir: join(dir, 'adapter'), baseModel: model, out: join(dir, 'lora.gguf'), type: 'F32' });
    assert.equal(res.tensors, 2 * 7 * TINY_LLAMA.layers);
    const info = await readGgufHeader(join(dir, 'lora.gguf'));
    assert.equal(info.metadata['general.type'], 'adapter');
    assert.equal(info.metadata['adapter.type'], 'lora');
    assert.equal(info.metadata['adapter.lora.alpha'], 8);
    const qa = info.tensors.find((t) => t.name === 'blk.0.attn_q.weight.lora_a')!;
    const kb = info.tensors.find((t) => t.name === 'blk.1.attn_k.weight.lora_b')!;
    assert.deepEqual(qa.dims, [TINY_LLAMA.embedding, 4]);
    assert.deepEqual(kb.dims, [4, (TINY_LLAMA.embedding / TINY_LLAMA.heads) * TINY_LLAMA.kvHeads]);
    // The stored q lora_b is the PEFT one with rows permuted per head.
    const { openSync, readSync } = await import('node:fs');
    const qb = info.tensors.find((t) => t.name === 'blk.0.attn_q.weight.lora_b')!;
    const buf = Buffer.alloc(qb.byteSize!);
    readSync(openSync(join(dir, 'lora.gguf'), 'r'), buf, 0, buf.length, info.dataOffset + qb.offset);
    const stored = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    const peft = tensors['base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight']!.data;
    assert.deepEqual([...stored], [...permuteRopeRows(peft, TINY_LLAMA.embedding, 4, TINY_LLAMA.heads)]);
  });

  it('the converted adapter loads in node-llama-cpp and changes what the model writes', async () => {
    const { model } = await ensureTinyModels();
    await writePeftAdapter(join(dir, 'adapter'), { scaleB: 2 });
    await convertPeftToGguf({ adapterDir: join(dir, 'adapter'), baseModel: model, out: join(dir, 'lora.gguf') });
    const llama = await getRuntime({ gpu: 'cpu', threads: 1 });
    const m = await llama.loadModel({ modelPath: model });
    const complete = async (lora?: string) => {
      const ctx = await m.createContext({ contextSize: 256, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora, scale: 1 }] } } : {}) });
      try {
        const c = new LlamaCompletion({ contextSequence: ctx.getSequence() });
        return await c.generateCompletion('the patient reports', { maxTokens: 24, temperature: 0 });
      } finally {
        await ctx.dispose();
      }
    };
    try {
      const plain = await complete();
      const adapted = await complete(join(dir, 'lora.gguf'));
      const again = await complete();
      assert.equal(plain, again, 'greedy output of the base model is stable');
      assert.notEqual(adapted, plain, 'the adapter changes the output');
    } finally {
      await m.dispose();
    }
  });

  it('explains what is wrong with adapters it cannot convert', async () => {
    const { model } = await ensureTinyModels();
    await assert.rejects(convertPeftToGguf({ adapterDir: join(dir, 'none'), baseModel: model, out: join(dir, 'x.gguf') }), /has no adapter_config.json/);
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'adapter_config.json'), '{"r": 4}');
    writeFileSync(join(dir, 'bin', 'adapter_model.bin'), 'x');
    await assert.rejects(convertPeftToGguf({ adapterDir: join(dir, 'bin'), baseModel: model, out: join(dir, 'x.gguf') }), /only the older adapter_model.bin/);
    // rank 4 adapter claiming rank 8
    await writePeftAdapter(join(dir, 'wrong'), { modules: ['self_attn.q_proj'] });
    writeFileSync(join(dir, 'wrong', 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16 }));
    await assert.rejects(convertPeftToGguf({ adapterDir: join(dir, 'wrong'), baseModel: model, out: join(dir, 'x.gguf') }), (e: Error & { hint?: string }) => /has shape \[4,64\]/.test(e.message) && /trained on a different base model/.test(e.hint ?? ''));
  });
});
