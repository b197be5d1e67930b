import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertHfToGguf } from '../../models/gguf/index';
import { readGgufHeader } from '../../models/gguf/index';
import { CHATML_TEMPLATE } from '../../models/tiny/index';
import { ggufGreedy, ggufTokenize, helper, hfGreedy, scratchDir, tinyHfModel } from './fixture';

const PROMPT = '<|im_start|>user\nThe patient reports left knee pain for two weeks.<|im_end|>\n<|im_start|>assistant\n';

describe('Hugging Face llama → GGUF (convertHfToGguf), against transformers', function () {
  this.timeout(600_000);
  let hf: string;
  let gguf32: string;

  before(async () => {
    hf = await tinyHfModel();
    gguf32 = join(scratchDir(), 'tiny-hf-f32.gguf');
    await convertHfToGguf({ modelDir: hf, out: gguf32, type: 'F32' });
  });

  it('writes llama hyperparameters and a gpt2 tokenizer (tokens, merges, types, special ids, chat template)', async () => {
    const info = await readGgufHeader(gguf32);
    const m = info.metadata;
    assert.equal(m['general.architecture'], 'llama');
    assert.equal(m['llama.embedding_length'], 64);
    assert.equal(m['llama.block_count'], 2);
    assert.equal(m['llama.attention.head_count'], 4);
    assert.equal(m['llama.attention.head_count_kv'], 2);
    assert.equal(m['llama.rope.dimension_count'], 16);
    assert.equal(m['tokenizer.ggml.model'], 'gpt2');
    assert.equal(m['tokenizer.ggml.pre'], 'gpt-2');
    const tokens = m['tokenizer.ggml.tokens'] as string[];
    const types = m['tokenizer.ggml.token_type'] as number[];
    assert.equal(tokens.length, 659);
    assert.equal((m['tokenizer.ggml.merges'] as string[]).length, 400);
    assert.deepEqual(tokens.slice(0, 3), ['<|endoftext|>', '<|im_start|>', '<|im_end|>']);
    assert.deepEqual(types.slice(0, 4), [3, 3, 3, 1]);
    assert.equal(m['tokenizer.ggml.eos_token_id'], 2);
    assert.equal(m['tokenizer.ggml.add_bos_token'], false);
    assert.equal(m['tokenizer.chat_template'], CHATML_TEMPLATE);
    // 2 layers × 9 + embeddings + final norm + lm_head; q is stored as [n_in, n_out].
    assert.equal(info.tensors.length, 21);
    assert.deepEqual(info.tensors.find((t) => t.name === 'blk.0.attn_k.weight')!.dims, [64, 32]);
    assert.deepEqual(info.tensors.find((t) => t.name === 'output.weight')!.dims, [64, 659]);
  });

  it('llama.cpp tokenizes exactly like the Hugging Face tokenizer (byte-level BPE, merges, special tokens)', async () => {
    const texts = [PROMPT, "Patient's BP is 130/85 mmHg; no fever.\n\n  HISTORY OF PRESENT ILLNESS\tÉdouard, 45-year-old — 2x daily ibuprofen 800 mg."];
    const { ids } = await helper<{ ids: number[][] }>(['tokenize', '--model', hf, '--texts', JSON.stringify(texts)]);
    assert.ok(ids[0]!.includes(1) && ids[0]!.includes(2), 'the chat markers are single special tokens');
    assert.deepEqual(await ggufTokenize(gguf32, texts), ids);
  });

  it('the GGUF model continues a prompt greedily exactly as the Hugging Face model does (weights and q/k rope permutation)', async () => {
    const want = await hfGreedy(hf, PROMPT, 12);
    assert.ok(want.ids.length >= 6, `HF produced only ${want.ids.length} tokens before a stop token`);
    const got = await ggufGreedy(gguf32, want.prompt_ids, want.ids.length, want.stop_ids);
    assert.deepEqual(got, want.ids, `smallest top-1/top-2 logit margin on the HF side: ${want.min_gap}`);
  });

  it('an F16 conversion is half the size and loads in node-llama-cpp', async () => {
    const f16 = join(scratchDir(), 'tiny-hf-f16.gguf');
    const res = await convertHfToGguf({ modelDir: hf, out: f16 });
    assert.equal(res.preTokenizer, 'gpt-2');
    assert.equal(res.tiedEmbeddings, false);
    const a = (await readGgufHeader(gguf32)).tensors.find((t) => t.name === 'token_embd.weight')!;
    const b = (await readGgufHeader(f16)).tensors.find((t) => t.name === 'token_embd.weight')!;
    assert.equal(b.byteSize! * 2, a.byteSize!);
    const want = await hfGreedy(hf, PROMPT, 4);
    assert.equal((await ggufGreedy(f16, want.prompt_ids, 4, want.stop_ids)).length, Math.min(4, want.ids.length));
  });

  it('explains what it cannot convert', async () => {
    const copy = join(scratchDir(), 'broken-hf');
    const fresh = () => {
      rmSync(copy, { recursive: true, force: true });
      cpSync(hf, copy, { recursive: true });
    };
    const out = join(scratchDir(), 'x.gguf');
    fresh();
    const cfg = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8'));
    writeFileSync(join(copy, 'config.json'), JSON.stringify({ ...cfg, model_type: 'gpt_neox', architectures: ['GPTNeoXForCausalLM'] }));
    await assert.rejects(convertHfToGguf({ modelDir: copy, out }), (e: Error & { hint?: string }) => /converts llama models only/.test(e.message) && /convert_hf_to_gguf/.test(e.hint ?? ''));
    fresh();
    rmSync(join(copy, 'model.safetensors'));
    await assert.rejects(convertHfToGguf({ modelDir: copy, out }), /has no model.safetensors/);
    fresh();
    const tj = JSON.parse(readFileSync(join(copy, 'tokenizer.json'), 'utf8'));
    writeFileSync(join(copy, 'tokenizer.json'), JSON.stringify({ ...tj, model: { ...tj.model, type: 'Unigram' } }));
    await assert.rejects(convertHfToGguf({ modelDir: copy, out }), /not byte-level BPE/);
    fresh();
    writeFileSync(join(copy, 'config.json'), JSON.stringify({ ...cfg, rope_parameters: { rope_type: 'yarn', rope_theta: 10000, factor: 4 } }));
    await assert.rejects(convertHfToGguf({ modelDir: copy, out }), /uses rope scaling \(yarn\)/);
  });
});
