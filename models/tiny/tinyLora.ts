/**
 * Generates a LoRA adapter GGUF for the tiny llama (see tinyLlama.ts): rank-4 random
 * low-rank updates on the attention and feed-forward weights of every block, strong enough to
 * change what the model generates. It has the same layout a converted PEFT adapter has.
 *
 */
import { gguf, writeGguf, type GgufTensorSpec } from '../gguf/index';
import { seededRandom, TINY_LLAMA, type TinyLlamaConfig } from './tinyLlama';

/** Options of the tiny adapter. */
export interface TinyLoraOptions {
  /** LoRA rank. Defaults to 4. */
  rank: number;
  /** `adapter.lora.alpha`; the update is scaled by alpha / rank. Defaults to 8. */
  alpha: number;
  /** Seed of the random matrices. Defaults to 99. */
  seed: number;
  /** The base model's shape. Defaults to the default tiny llama. */
  base: TinyLlamaConfig;
}

/** Writes the tiny LoRA adapter GGUF to `file` and returns its path. */
export async function makeTinyLora(file: string, options: Partial<TinyLoraOptions> = {}): Promise<string> {
  const o: TinyLoraOptions = { rank: 4, alpha: 8, seed: 99, base: TINY_LLAMA, ...options };
  const c = o.base;
  const rng = seededRandom(o.seed);
  const d = c.embedding;
  const kvDim = (d / c.heads) * c.kvHeads;
  const tensors: GgufTensorSpec[] = [];
  // Weight W has ggml shape [n_in, n_out]; its adapter has lora_a [n_in, r] and lora_b [r, n_out].
  const lora = (name: string, nIn: number, nOut: number) => {
    const a = new Float32Array(nIn * o.rank).map(() => rng.normal() / Math.sqrt(nIn));
    const b = new Float32Array(o.rank * nOut).map(() => rng.normal());
    tensors.push({ name: `${name}.lora_a`, dims: [nIn, o.rank], type: 'F32', data: a });
    tensors.push({ name: `${name}.lora_b`, dims: [o.rank, nOut], type: 'F32', data: b });
  };
  for (let l = 0; l < c.layers; l++) {
    lora(`blk.${l}.attn_q.weight`, d, d);
    lora(`blk.${l}.attn_v.weight`, d, kvDim);
    lora(`blk.${l}.ffn_down.weight`, c.feedForward, d);
  }
  await writeGguf(file, {
    metadata: {
      'general.architecture': 'llama',
      'general.type': 'adapter',
      'general.name': 'MediGen tiny LoRA adapter (random, for tests)',
      'adapter.type': 'lora',
      'adapter.lora.alpha': gguf.f32(o.alpha),
    },
    tensors,
  });
  return file;
}
