/**
 * GPU memory estimate for a (Q)LoRA fine-tune, shown before launch. The accounting follows the
 * QLoRA paper (Dettmers et al. 2023, §2-3): 4-bit NF4 weights with blocksize-64 quantization
 * constants (0.5 bit/param, 0.127 with double quantization), 16-bit embeddings and head, LoRA
 * parameters with their gradients and Adam state, and activations with and without gradient
 * checkpointing. Activations, logits and the CUDA overhead are calibrated on real runs of the
 * trainer on an H100 (README, "The trainer on a GPU"; test/fixtures/train/h100-memory-runs.json).
 */
import { blockLinears, parameterCounts, type Architecture } from './architecture';
import type { TrainConfig } from './config';

export interface MemorySettings {
  /** Load the base in 4-bit NF4 (QLoRA). Defaults to true. */
  load4bit?: boolean;
  /** Double quantization of the quantization constants. Defaults to true. */
  doubleQuant?: boolean;
  loraRank: number;
  targetModules: string[];
  /** LoRA dropout; above 0, PEFT keeps each target's dropped-out input for the backward pass. Defaults to 0.05. */
  loraDropout?: number;
  batchSize: number;
  maxSeqLength: number;
  gradientCheckpointing: boolean;
  /** 'sdpa' (memory-efficient attention, no seq² term) or 'eager'. Defaults to 'sdpa'. */
  attention?: 'sdpa' | 'eager';
}

/** The memory-relevant settings of a training config (what estimateMemory and adviseFit take). */
export function memorySettingsFor(cfg: TrainConfig): MemorySettings {
  return {
    load4bit: cfg.quantization.load4bit,
    doubleQuant: cfg.quantization.doubleQuant,
    loraRank: cfg.lora.r,
    targetModules: cfg.lora.targetModules,
    loraDropout: cfg.lora.dropout,
    batchSize: cfg.training.batchSize,
    maxSeqLength: cfg.data.maxSeqLength,
    gradientCheckpointing: cfg.training.gradientCheckpointing,
  };
}

export interface MemoryEstimate {
  /** Bytes by part; `total` is their sum. */
  parts: { label: string; bytes: number; note: string }[];
  total: number;
}

const GiB = 1024 ** 3;

/**
 * Bytes one transformer block keeps per token for the backward pass: perHidden·hidden +
 * perIntermediate·intermediate (bf16 autocast, SDPA attention; SwiGLU keeps four
 * intermediate-wide tensors), plus, when LoRA dropout is on, loraDropoutPerInput bytes per input
 * feature of every targeted projection (PEFT keeps each projection's dropped-out input and its
 * mask; with dropout 0 the base layer's saved input is shared). Fitted to the trainer's measured
 * peaks on an H100 (test/fixtures/train/h100-memory-runs.json: Llama-3-8B, 3.2-3B and 3.2-1B
 * shapes, 2048-4096 tokens, batch 1-4, checkpointing off and on). The textbook count for GPT
 * blocks (34·hidden, Korthikanti et al. 2022) came out 25-40% low there.
 */
export const ACTIVATION_BYTES = { perHidden: 10, perIntermediate: 8, loraDropoutPerInput: 3 } as const;

export function estimateMemory(a: Architecture, s: MemorySettings): MemoryEstimate {
  const load4bit = s.load4bit ?? true;
  const dq = s.doubleQuant ?? true;
  const p = parameterCounts(a);
  const linears = blockLinears(a);
  const parts: MemoryEstimate['parts'] = [];

  if (load4bit) {
    const bitsPerParam = 4 + (dq ? 8 / 64 + 32 / (64 * 256) : 32 / 64);
    parts.push({ label: 'Base weights (4-bit NF4)', bytes: (p.linear * bitsPerParam) / 8, note: `${bitsPerParam.toFixed(3)} bits per parameter${dq ? ' with double quantization' : ''}` });
    parts.push({ label: 'Embeddings, head, norms (16-bit)', bytes: (p.embeddings + p.norms) * 2, note: 'not quantized' });
  } else {
    parts.push({ label: 'Base weights (bf16)', bytes: p.total * 2, note: 'no 4-bit quantization' });
  }

  const loraParams = s.targetModules.reduce((sum, m) => {
    const shape = linears[m];
    return shape ? sum + s.loraRank * (shape[0] + shape[1]) * a.layers : sum;
  }, 0);
  parts.push({ label: 'LoRA weights + gradients (fp32)', bytes: loraParams * 8, note: `${(loraParams / 1e6).toFixed(1)} M trainable parameters` });
  parts.push({ label: 'Optimizer state (AdamW, fp32)', bytes: loraParams * 8, note: 'two moments per trainable parameter' });

  const b = s.batchSize;
  const L = s.maxSeqLength;
  const h = a.hiddenSize;
  const quadratic = (s.attention ?? 'sdpa') === 'eager' ? 5 * a.heads * L : 0;
  const dropoutInputs = (s.loraDropout ?? 0.05) > 0 ? s.targetModules.reduce((sum, m) => sum + (linears[m]?.[0] ?? 0), 0) : 0;
  const perLayer = b * L * (ACTIVATION_BYTES.perHidden * h + ACTIVATION_BYTES.perIntermediate * a.intermediateSize + ACTIVATION_BYTES.loraDropoutPerInput * dropoutInputs + quadratic);
  const activations = s.gradientCheckpointing ? a.layers * b * L * h * 2 + perLayer : a.layers * perLayer;
  parts.push({
    label: 'Activations',
    bytes: activations,
    note: s.gradientCheckpointing ? 'gradient checkpointing: one layer recomputed at a time' : 'every layer kept for the backward pass',
  });
  parts.push({ label: 'Logits and loss', bytes: b * L * a.vocabSize * 10, note: 'bf16 logits, fp32 copy for the loss, and its gradient' });
  if (load4bit) {
    const biggest = Math.max(...Object.values(linears).map(([i, o]) => i * o));
    parts.push({ label: 'Dequantization buffer', bytes: biggest * 2, note: 'one layer dequantized to bf16 at a time' });
  }
  const subtotal = parts.reduce((sum, x) => sum + x.bytes, 0);
  parts.push({ label: 'CUDA context and allocator slack', bytes: 0.75 * GiB + subtotal * 0.08, note: '0.75 GiB + 8%' });
  return { parts, total: parts.reduce((sum, x) => sum + x.bytes, 0) };
}

export interface FitAdvice {
  fits: boolean;
  /** Free GPU memory it was compared with, in bytes. */
  free: number;
  /** What to change when it does not fit, most effective first. */
  suggestions: string[];
}

/**
 * Compares an estimate with free GPU memory. When it does not fit, suggests changes in order, each
 * applied on top of the ones before (the biggest saving first), until the run fits.
 */
export function adviseFit(a: Architecture, s: MemorySettings, freeBytes: number): FitAdvice {
  const total = (x: MemorySettings) => estimateMemory(a, x).total;
  if (total(s) <= freeBytes) return { fits: true, free: freeBytes, suggestions: [] };
  const suggestions: string[] = [];
  let cur = s;
  for (let round = 0; round < 6 && total(cur) > freeBytes; round++) {
    const options: [string, MemorySettings][] = [];
    if (!cur.gradientCheckpointing) options.push(['turn on gradient checkpointing', { ...cur, gradientCheckpointing: true }]);
    if (cur.load4bit === false) options.push(['load the base model in 4-bit (QLoRA)', { ...cur, load4bit: true }]);
    if (cur.batchSize > 1) options.push([`use batch size 1 and raise gradient accumulation ${cur.batchSize}x (same effective batch)`, { ...cur, batchSize: 1 }]);
    const shorter = [3072, 2048, 1024, 512].find((len) => len < cur.maxSeqLength);
    if (shorter) options.push([`shorten sequences to ${shorter} tokens (longer dialogues get truncated)`, { ...cur, maxSeqLength: shorter }]);
    if (!options.length) break;
    const [text, next] = options.sort((x, y) => total(x[1]) - total(y[1]))[0]!;
    cur = next;
    const t = total(cur);
    suggestions.push(`${suggestions.length + 1}. ${text[0]!.toUpperCase()}${text.slice(1)}: about ${(t / GiB).toFixed(1)} GiB${t <= freeBytes ? ' (fits)' : ''}`);
  }
  if (total(cur) > freeBytes) suggestions.push(`${suggestions.length + 1}. Choose a smaller base model (e.g. a 1B or 3B model) or a GPU with more memory.`);
  return { fits: false, free: freeBytes, suggestions };
}

export function formatGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(2)} GiB`;
}
