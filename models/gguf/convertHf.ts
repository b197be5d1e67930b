/**
 * Converts a Hugging Face llama-family model folder to a GGUF file that llama.cpp / node-llama-cpp
 * load: config.json, the safetensors weights (one file or shards with model.safetensors.index.json)
 * and a byte-level BPE tokenizer.json (GPT-2 style, what `tokenizers` trains and Llama 3 uses).
 *
 * What it does, as llama.cpp's own converter does for llama:
 *   - weight names map to GGUF names (`model.layers.N.self_attn.q_proj.weight` → `blk.N.attn_q.weight`);
 *     a PyTorch weight [n_out, n_in] (row-major) is the ggml tensor [n_in, n_out]: same bytes;
 *   - the rows of q_proj and k_proj are permuted per head (the two rotary halves interleaved), since
 *     llama.cpp applies rope to adjacent pairs where Hugging Face rotates the two halves;
 *   - the tokenizer becomes `tokenizer.ggml.model = gpt2` with its tokens, merges and token types,
 *     the pre-tokenizer name, the special token ids and the chat template.
 * Norm weights stay F32; matrices are F16 unless F32 is asked for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { permuteRopeRows, readSafetensors, type SafetensorsFile } from '../tensors/index';
import { gguf, writeGguf, type GgufKvValue, type GgufTensorSpec } from './writer';

/** Options of `convertHfToGguf`. */
export interface ConvertHfOptions {
  /** The Hugging Face model folder (config.json, *.safetensors, tokenizer.json, tokenizer_config.json). */
  modelDir: string;
  /** Output .gguf file. */
  out: string;
  /** Type of the weight matrices and embeddings: 'F32' or 'F16'. Defaults to 'F16'. Norms are always F32. */
  type?: 'F32' | 'F16';
  /** general.name written into the file. Defaults to the folder's model name from config.json, else "model". */
  name?: string;
  /** Reports tensors written. */
  progress?: Progress;
  /** Stops the conversion; the partial file is removed. */
  signal?: AbortSignal;
}

/** What `convertHfToGguf` wrote. */
export interface ConvertHfResult {
  out: string;
  tensors: number;
  layers: number;
  vocabSize: number;
  merges: number;
  /** llama.cpp's pre-tokenizer name that was chosen, e.g. 'gpt-2'. */
  preTokenizer: string;
  /** True when the model has no separate lm_head (llama.cpp then reuses the token embeddings). */
  tiedEmbeddings: boolean;
}

const NORMAL = 1;
const CONTROL = 3;
const USER_DEFINED = 4;
const UNUSED = 5;

const LAYER_TENSORS: Record<string, string> = {
  'input_layernorm': 'attn_norm',
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
  'post_attention_layernorm': 'ffn_norm',
  'mlp.gate_proj': 'ffn_gate',
  'mlp.up_proj': 'ffn_up',
  'mlp.down_proj': 'ffn_down',
};

/** The Llama 3 pre-tokenizer split pattern, which llama.cpp knows as 'llama-bpe'. */
const LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

interface HfConfig {
  model_type?: string;
  architectures?: string[];
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  num_key_value_heads?: number;
  intermediate_size?: number;
  head_dim?: number;
  rms_norm_eps?: number;
  rope_theta?: number;
  rope_parameters?: { rope_theta?: number; rope_type?: string } | null;
  rope_scaling?: { rope_type?: string; type?: string } | null;
  max_position_embeddings?: number;
  vocab_size?: number;
  tie_word_embeddings?: boolean;
  _name_or_path?: string;
}

function readJson<T>(file: string, what: string, hint: string): T {
  if (!existsSync(file)) throw new MedigenError(`${what} ${file} does not exist.`, hint);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new MedigenError(`${what} ${file} is not valid JSON: ${(e as Error).message}.`, hint);
  }
}

function need(cfg: HfConfig, key: keyof HfConfig, file: string): number {
  const v = cfg[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new MedigenError(`${file} has no usable "${String(key)}".`, 'Convert a complete Hugging Face model folder (its config.json as saved by save_pretrained).');
  return v;
}

/** The weight files of a model folder, with every tensor name → the file that holds it. */
async function openWeights(dir: string): Promise<Map<string, SafetensorsFile>> {
  const index = join(dir, 'model.safetensors.index.json');
  const files: string[] = [];
  if (existsSync(index)) {
    const map = readJson<{ weight_map?: Record<string, string> }>(index, 'The weight index', 'Re-save the model with save_pretrained(safe_serialization=True).').weight_map ?? {};
    files.push(...new Set(Object.values(map)));
  } else if (existsSync(join(dir, 'model.safetensors'))) files.push('model.safetensors');
  else {
    const bin = existsSync(join(dir, 'pytorch_model.bin'));
    throw new MedigenError(`${dir} has no model.safetensors${bin ? ' (only the older pytorch_model.bin)' : ''}.`, 'Save the model with save_pretrained(safe_serialization=True), or download its safetensors files, then convert again.');
  }
  const byName = new Map<string, SafetensorsFile>();
  for (const f of files) {
    const st = await readSafetensors(join(dir, f));
    for (const name of st.tensors.keys()) byName.set(name, st);
  }
  return byName;
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[] };
  added_tokens?: { id: number; content: string; special?: boolean }[];
  pre_tokenizer?: PreTokenizer | null;
  post_processor?: { type?: string; single?: { SpecialToken?: { id: string } }[] } | null;
}
interface PreTokenizer {
  type?: string;
  use_regex?: boolean;
  pattern?: { Regex?: string; String?: string };
  pretokenizers?: PreTokenizer[];
}

/** llama.cpp's name for the tokenizer's pre-tokenizer, or a MedigenError when it is not one we can name safely. */
function preTokenizerName(pre: PreTokenizer | null | undefined, file: string): string {
  const parts = !pre ? [] : pre.type === 'Sequence' ? pre.pretokenizers ?? [] : [pre];
  const byteLevel = parts.find((p) => p.type === 'ByteLevel');
  const split = parts.find((p) => p.type === 'Split');
  if (byteLevel && !split && byteLevel.use_regex !== false) return 'gpt-2';
  if (byteLevel && split && split.pattern?.Regex === LLAMA3_PATTERN) return 'llama-bpe';
  throw new MedigenError(`The tokenizer in ${file} is not a byte-level BPE with a pre-tokenizer MediGen Lab can name for llama.cpp (found ${JSON.stringify(parts.map((p) => p.type))}).`, "Convert this model with llama.cpp's convert_hf_to_gguf.py instead; MediGen Lab converts GPT-2-style and Llama-3-style byte-level BPE tokenizers.");
}

function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** The tokenizer's GGUF metadata: vocabulary, merges, types, special ids, chat template. */
function tokenizerMetadata(dir: string, vocabSize: number): { meta: Record<string, GgufKvValue | string | boolean>; vocab: number; merges: number; pre: string } {
  const file = join(dir, 'tokenizer.json');
  const hint = 'Convert a model folder that has its tokenizer.json (save_pretrained saves it with the tokenizer).';
  const tj = readJson<TokenizerJson>(file, 'The tokenizer', hint);
  if (tj.model?.type !== 'BPE' || !tj.model.vocab) throw new MedigenError(`The tokenizer in ${file} is ${tj.model?.type ?? 'of unknown type'}, not byte-level BPE.`, "Convert SentencePiece and other tokenizers with llama.cpp's convert_hf_to_gguf.py.");
  const pre = preTokenizerName(tj.pre_tokenizer, file);
  const ids = new Map<string, number>(Object.entries(tj.model.vocab));
  const added = new Map<number, { content: string; special: boolean }>();
  for (const a of tj.added_tokens ?? []) {
    added.set(a.id, { content: a.content, special: a.special !== false });
    ids.set(a.content, a.id);
  }
  const maxId = Math.max(...ids.values());
  const n = Math.max(vocabSize, maxId + 1);
  const tokens = new Array<string>(n);
  const types = new Array<number>(n).fill(UNUSED);
  for (const [text, id] of ids) {
    tokens[id] = text;
    const a = added.get(id);
    types[id] = a ? (a.special ? CONTROL : USER_DEFINED) : NORMAL;
  }
  for (let i = 0; i < n; i++) if (tokens[i] === undefined) tokens[i] = `[PAD${i}]`;
  const merges = (tj.model.merges ?? []).map((m) => (Array.isArray(m) ? m.join(' ') : m));

  const tcFile = join(dir, 'tokenizer_config.json');
  const tc = existsSync(tcFile) ? readJson<Record<string, unknown>>(tcFile, 'The tokenizer config', hint) : {};
  const meta: Record<string, GgufKvValue | string | boolean> = {
    'tokenizer.ggml.model': 'gpt2',
    'tokenizer.ggml.pre': pre,
    'tokenizer.ggml.tokens': gguf.arr('string', tokens),
    'tokenizer.ggml.token_type': gguf.arr('i32', types),
    'tokenizer.ggml.merges': gguf.arr('string', merges),
  };
  for (const [key, field] of [['bos', 'bos_token'], ['eos', 'eos_token'], ['unknown', 'unk_token'], ['padding', 'pad_token']] as const) {
    const text = tokenText(tc[field]);
    const id = text === undefined ? undefined : ids.get(text);
    if (id !== undefined) meta[`tokenizer.ggml.${key}_token_id`] = gguf.u32(id);
  }
  // add_bos: tokenizer_config's flag, else whether the post-processor's template starts with a special token.
  const addBos = typeof tc.add_bos_token === 'boolean' ? tc.add_bos_token : tj.post_processor?.type === 'TemplateProcessing' && !!tj.post_processor.single?.[0]?.SpecialToken;
  meta['tokenizer.ggml.add_bos_token'] = addBos;
  meta['tokenizer.ggml.add_eos_token'] = tc.add_eos_token === true;
  const jinja = join(dir, 'chat_template.jinja');
  const template = typeof tc.chat_template === 'string' ? tc.chat_template : existsSync(jinja) ? readFileSync(jinja, 'utf8') : undefined;
  if (template) meta['tokenizer.chat_template'] = template;
  return { meta, vocab: n, merges: merges.length, pre };
}

/**
 * Converts a Hugging Face llama model folder to GGUF (see the file comment). Throws a MedigenError
 * naming what is missing or unsupported (another architecture, rope scaling, a SentencePiece
 * tokenizer, a weight it does not know).
 */
export async function convertHfToGguf(o: ConvertHfOptions): Promise<ConvertHfResult> {
  const cfgFile = join(o.modelDir, 'config.json');
  const cfg = readJson<HfConfig>(cfgFile, 'The model config', 'Point at a Hugging Face model folder (it has config.json, the safetensors weights and tokenizer files).');
  const isLlama = cfg.model_type === 'llama' || (cfg.architectures ?? []).includes('LlamaForCausalLM');
  if (!isLlama) throw new MedigenError(`${o.modelDir} is a ${cfg.model_type ?? 'model of unknown type'}, and MediGen Lab converts llama models only.`, "Convert other architectures with llama.cpp's convert_hf_to_gguf.py, or download a GGUF build of the model.");
  const scaling = cfg.rope_scaling ?? (cfg.rope_parameters && cfg.rope_parameters.rope_type && cfg.rope_parameters.rope_type !== 'default' ? cfg.rope_parameters : null);
  if (scaling && (scaling.rope_type ?? (scaling as { type?: string }).type ?? 'default') !== 'default') {
    throw new MedigenError(`${o.modelDir} uses rope scaling (${scaling.rope_type ?? (scaling as { type?: string }).type}), which this converter does not write.`, "Convert this model with llama.cpp's convert_hf_to_gguf.py.");
  }
  const d = need(cfg, 'hidden_size', cfgFile);
  const layers = need(cfg, 'num_hidden_layers', cfgFile);
  const heads = need(cfg, 'num_attention_heads', cfgFile);
  const kvHeads = cfg.num_key_value_heads ?? heads;
  const ff = need(cfg, 'intermediate_size', cfgFile);
  const headDim = cfg.head_dim ?? d / heads;
  const ropeTheta = cfg.rope_parameters?.rope_theta ?? cfg.rope_theta ?? 10000;
  const vocabSize = need(cfg, 'vocab_size', cfgFile);

  const tok = tokenizerMetadata(o.modelDir, vocabSize);
  const weights = await openWeights(o.modelDir);
  const type = o.type ?? 'F16';
  const tensors: GgufTensorSpec[] = [];
  const used = new Set<string>();
  const take = (hfName: string, ggufName: string, opts: { norm?: boolean; permute?: number } = {}) => {
    const st = weights.get(hfName);
    if (!st) throw new MedigenError(`${o.modelDir} has no weight ${hfName}.`, 'The weights are incomplete or belong to another architecture: download or save the model again.');
    used.add(hfName);
    const shape = st.tensors.get(hfName)!.shape;
    tensors.push({
      name: ggufName,
      dims: [...shape].reverse(),
      type: opts.norm ? 'F32' : type,
      data: async () => {
        const values = await st.read(hfName);
        return opts.permute ? permuteRopeRows(values, shape[0]!, shape[1]!, opts.permute) : values;
      },
    });
  };
  take('model.embed_tokens.weight', 'token_embd.weight');
  for (let l = 0; l < layers; l++) {
    for (const [hf, g] of Object.entries(LAYER_TENSORS)) {
      const permute = hf === 'self_attn.q_proj' ? heads : hf === 'self_attn.k_proj' ? kvHeads : undefined;
      take(`model.layers.${l}.${hf}.weight`, `blk.${l}.${g}.weight`, { norm: hf.endsWith('layernorm'), ...(permute ? { permute } : {}) });
    }
  }
  take('model.norm.weight', 'output_norm.weight', { norm: true });
  const tied = cfg.tie_word_embeddings === true || !weights.has('lm_head.weight');
  if (!tied) take('lm_head.weight', 'output.weight');
  else if (weights.has('lm_head.weight')) used.add('lm_head.weight');
  const unknown = [...weights.keys()].filter((n) => !used.has(n) && !/rotary_emb\.inv_freq$/.test(n));
  if (unknown.length) throw new MedigenError(`${o.modelDir} has weights a llama model does not have: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}.`, "This is not a plain llama checkpoint (merged adapters or another architecture?); convert it with llama.cpp's convert_hf_to_gguf.py.");

  const a = 'llama';
  const metadata: Record<string, GgufKvValue | string | boolean> = {
    'general.architecture': a,
    'general.name': o.name ?? (cfg._name_or_path ? String(cfg._name_or_path).split('/').pop()! : 'model'),
    'general.file_type': gguf.u32(type === 'F32' ? 0 : 1),
    [`${a}.vocab_size`]: gguf.u32(tok.vocab),
    [`${a}.context_length`]: gguf.u32(cfg.max_position_embeddings ?? 2048),
    [`${a}.embedding_length`]: gguf.u32(d),
    [`${a}.block_count`]: gguf.u32(layers),
    [`${a}.feed_forward_length`]: gguf.u32(ff),
    [`${a}.rope.dimension_count`]: gguf.u32(headDim),
    [`${a}.attention.head_count`]: gguf.u32(heads),
    [`${a}.attention.head_count_kv`]: gguf.u32(kvHeads),
    [`${a}.attention.layer_norm_rms_epsilon`]: gguf.f32(cfg.rms_norm_eps ?? 1e-5),
    [`${a}.rope.freq_base`]: gguf.f32(ropeTheta),
    ...(headDim !== d / heads ? { [`${a}.attention.key_length`]: gguf.u32(headDim), [`${a}.attention.value_length`]: gguf.u32(headDim) } : {}),
    ...tok.meta,
  };
  await writeGguf(o.out, { metadata, tensors }, { ...(o.progress ? { progress: o.progress } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  return { out: o.out, tensors: tensors.length, layers, vocabSize: tok.vocab, merges: tok.merges, preTokenizer: tok.pre, tiedEmbeddings: tied };
}
