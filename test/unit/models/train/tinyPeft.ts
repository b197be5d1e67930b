/**
 * Test helper (not a test): writes a PEFT LoRA adapter folder for the tiny llama
 * (models/tiny/tinyLlama.ts) with the tensor names and shapes PyTorch/PEFT save,
 * and random weights strong enough to change what the model generates.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../../../../models/tensors/index';
import { TINY_LLAMA, seededRandom } from '../../../../models/tiny/index';

/** Writes adapter_config.json and adapter_model.safetensors into `dir`. */
export async function writeTinyPeftAdapter(dir: string, rank = 4): Promise<void> {
  const d = TINY_LLAMA.embedding;
  const kv = (d / TINY_LLAMA.heads) * TINY_LLAMA.kvHeads;
  const ff = TINY_LLAMA.feedForward;
  const shapes: Record<string, [number, number]> = {
    'self_attn.q_proj': [d, d],
    'self_attn.k_proj': [d, kv],
    'self_attn.v_proj': [d, kv],
    'self_attn.o_proj': [d, d],
    'mlp.gate_proj': [d, ff],
    'mlp.up_proj': [d, ff],
    'mlp.down_proj': [ff, d],
  };
  const rng = seededRandom(7);
  const randn = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.8);
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (let layer = 0; layer < TINY_LLAMA.layers; layer++) {
    for (const [mod, [nIn, nOut]] of Object.entries(shapes)) {
      const p = `base_model.model.model.layers.${layer}.${mod}`;
      tensors[`${p}.lora_A.weight`] = { shape: [rank, nIn], data: randn(rank * nIn) };
      tensors[`${p}.lora_B.weight`] = { shape: [nOut, rank], data: randn(nOut * rank) };
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: rank, lora_alpha: 2 * rank }));
  await writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors, { format: 'pt' });
}
