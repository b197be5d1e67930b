/**
 * Converts a PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors, what trainer.py
 * exports) into a GGUF LoRA adapter that llama.cpp / node-llama-cpp attach to a GGUF base model.
 *
 * Mapping (llama family): `…layers.N.self_attn.q_proj.lora_A.weight` (shape [r, n_in]) becomes
 * `blk.N.attn_q.weight.lora_a` (ggml dims [n_in, r]: same bytes, dims reversed), and lora_B
 * ([n_out, r]) becomes `…lora_b` ([r, n_out]). The q and k projections are stored in GGUF with the
 * rows permuted for llama.cpp's rope layout, so their lora_B rows get the same permutation as the
 * base weights did when the base was converted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { readGgufHeader } from '../gguf/index';
import { gguf, writeGguf, type GgufTensorSpec } from '../gguf/index';
import { permuteRopeRows, readSafetensors } from '../tensors/index';

const MODULES: Record<string, string> = {
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
  'mlp.gate_proj': 'ffn_gate',
  'mlp.up_proj': 'ffn_up',
  'mlp.down_proj': 'ffn_down',
};

const NAME = /^(?:base_model\.model\.)?model\.layers\.(\d+)\.([a-z_]+\.[a-z_]+)\.lora_([AB])(?:\.[\w-]+)?\.weight$/;


export interface ConvertOptions {
  /** The PEFT adapter folder. */
  adapterDir: string;
  /** The GGUF base model the adapter will be attached to (its architecture and head counts are read). */
  baseModel: string;
  /** Output .gguf file. */
  out: string;
  /** 'F32' or 'F16'. Defaults to 'F16' (half the size; LoRA weights lose nothing that matters). */
  type?: 'F32' | 'F16';
  progress?: Progress;
  signal?: AbortSignal;
}

export interface ConvertResult {
  out: string;
  tensors: number;
  rank: number;
  alpha: number;
  layers: number[];
  modules: string[];
}

export async function convertPeftToGguf(o: ConvertOptions): Promise<ConvertResult> {
  const cfgFile = join(o.adapterDir, 'adapter_config.json');
  const weights = join(o.adapterDir, 'adapter_model.safetensors');
  if (!existsSync(cfgFile)) throw new MedigenError(`${o.adapterDir} has no adapter_config.json.`, 'Point at the folder PEFT saved the adapter in (a run\'s adapter/ folder, or one of its checkpoints).');
  if (!existsSync(weights)) {
    const bin = existsSync(join(o.adapterDir, 'adapter_model.bin'));
    throw new MedigenError(`${o.adapterDir} has no adapter_model.safetensors${bin ? ' (only the older adapter_model.bin)' : ''}.`, 'Save the adapter with safe_serialization=True (the MediGen Lab trainer does), then convert again.');
  }
  const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as { r?: number; lora_alpha?: number; peft_type?: string; use_rslora?: boolean; use_dora?: boolean };
  if (cfg.peft_type && cfg.peft_type !== 'LORA') throw new MedigenError(`The adapter is ${cfg.peft_type}, not LoRA.`, 'Only LoRA adapters can be converted for llama.cpp.');
  if (cfg.use_dora) throw new MedigenError('The adapter uses DoRA, which llama.cpp cannot load.', 'Train with use_dora off (the MediGen Lab trainer does).');
  const r = cfg.r;
  if (!r) throw new MedigenError('adapter_config.json has no rank "r".', 'Re-export the adapter with PEFT.');
  // llama.cpp scales by alpha / r; rsLoRA scales by alpha / sqrt(r): fold the difference into alpha.
  const alpha = (cfg.lora_alpha ?? r) * (cfg.use_rslora ? Math.sqrt(r) : 1);

  const base = await readGgufHeader(o.baseModel);
  const arch = String(base.metadata['general.architecture'] ?? '');
  if (!arch) throw new MedigenError(`${o.baseModel} has no general.architecture.`, 'Give the GGUF file of the base model the adapter was trained on.');
  const heads = Number(base.metadata[`${arch}.attention.head_count`]);
  const kvHeads = Number(base.metadata[`${arch}.attention.head_count_kv`] ?? heads);
  const baseShapes = new Map(base.tensors.map((t) => [t.name, t.dims]));

  const st = await readSafetensors(weights);
  const tensors: GgufTensorSpec[] = [];
  const layers = new Set<number>();
  const modules = new Set<string>();
  for (const [name, entry] of st.tensors) {
    const m = NAME.exec(name);
    if (!m) {
      if (/lora_embedding|lm_head|embed_tokens|modules_to_save/.test(name)) {
        throw new MedigenError(`The adapter trains ${name}, which GGUF LoRA adapters cannot hold.`, 'Train LoRA on the attention and MLP projections only (the default target modules).');
      }
      throw new MedigenError(`Unexpected tensor ${name} in the adapter.`, 'Convert adapters of llama-family models trained with PEFT LoRA.');
    }
    const layer = Number(m[1]);
    const target = MODULES[m[2]!];
    if (!target) throw new MedigenError(`The adapter targets ${m[2]}, which has no GGUF counterpart.`, `Use target modules among ${Object.keys(MODULES).map((k) => k.split('.')[1]).join(', ')}.`);
    const baseName = `blk.${layer}.${target}.weight`;
    const baseDims = baseShapes.get(baseName);
    if (!baseDims) throw new MedigenError(`The base model has no ${baseName}, but the adapter changes it.`, 'Convert against the base model the adapter was trained on (same size and architecture).');
    const [rows, cols] = entry.shape as [number, number];
    const isA = m[3] === 'A';
    // A: [r, n_in]; B: [n_out, r]. Base weight dims are [n_in, n_out].
    const ok = isA ? rows === r && cols === baseDims[0] : cols === r && rows === baseDims[1];
    if (!ok) {
      throw new MedigenError(`Adapter tensor ${name} has shape [${entry.shape}] but the base ${baseName} is [${baseDims.join(', ')}] (ggml order) with rank ${r}.`, 'The adapter was trained on a different base model: convert it against that one.');
    }
    layers.add(layer);
    modules.add(target);
    const permuteHeads = !isA && (target === 'attn_q' ? heads : target === 'attn_k' ? kvHeads : 0);
    tensors.push({
      name: `${baseName}.lora_${isA ? 'a' : 'b'}`,
      dims: [cols, rows],
      type: o.type ?? 'F16',
      data: async () => {
        const values = await st.read(name);
        return permuteHeads ? permuteRopeRows(values, rows, cols, permuteHeads) : values;
      },
    });
  }
  if (!tensors.length) throw new MedigenError('The adapter has no LoRA tensors.', 'Check the adapter folder: adapter_model.safetensors seems empty.');
  tensors.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  await writeGguf(
    o.out,
    {
      metadata: {
        'general.architecture': arch,
        'general.type': 'adapter',
        'general.name': `MediGen Lab LoRA (${o.adapterDir})`,
        'adapter.type': 'lora',
        'adapter.lora.alpha': gguf.f32(alpha),
      },
      tensors,
    },
    { ...(o.progress ? { progress: o.progress } : {}), ...(o.signal ? { signal: o.signal } : {}) },
  );
  return { out: o.out, tensors: tensors.length, rank: r, alpha, layers: [...layers].sort((a, b) => a - b), modules: [...modules] };
}
