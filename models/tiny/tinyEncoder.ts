/**
 * Writes a tiny, randomly initialised BERT-like encoder that @huggingface/transformers loads like
 * any exported Hugging Face model: config.json, a WordPiece tokenizer.json + tokenizer_config.json
 * and onnx/model.onnx. Tests and demos use it because no pretrained weights can be downloaded.
 *
 * The ONNX graph is a real (small) BERT: word + position + token-type embeddings with LayerNorm,
 * then `layers` blocks of multi-head self-attention (masked by attention_mask) and a GELU
 * feed-forward, each followed by a residual LayerNorm. Weights are deterministic for a seed.
 * Outputs: `last_hidden_state` and, unless `perLayerOutputs` is false, `hidden_states.0`
 * (embedding output) .. `hidden_states.<layers>`, the naming MediGen Lab's BERTScore reads.
 *
 * Written on disk by `npx tsx scripts/makeTinyEncoder.ts <outDir> [--seed N]` (development).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataType, GraphBuilder, encodeModel } from './onnx';
import { SPECIAL_TOKENS, tinyVocabulary } from './tinyEncoderVocab';

/** Shape and seed of the tiny encoder. */
export interface TinyEncoderOptions {
  /** Seed of the weights; the same seed gives byte-identical files. Defaults to 1. */
  seed?: number;
  /** Hidden size. Defaults to 32. */
  hidden?: number;
  /** Number of transformer layers. Defaults to 2. */
  layers?: number;
  /** Attention heads (must divide `hidden`). Defaults to 2. */
  heads?: number;
  /** Feed-forward size. Defaults to 4 × hidden. */
  intermediate?: number;
  /** Position embeddings, and the tokenizer's model_max_length. Defaults to 512 (as BERT, DeBERTa). */
  maxPositions?: number;
  /** Also output `hidden_states.N` for every layer. Defaults to true. False mimics an optimum export. */
  perLayerOutputs?: boolean;
}

/** What {@link makeTinyEncoder} wrote. */
export interface TinyEncoderInfo {
  dir: string;
  vocabSize: number;
  hidden: number;
  layers: number;
  outputNames: string[];
  onnxBytes: number;
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normally distributed weights (Box-Muller) with the given standard deviation and mean. */
function gaussian(rand: () => number, count: number, std: number, mean = 0): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    out[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** The Hugging Face fast-tokenizer JSON of a lowercasing BERT WordPiece tokenizer. */
function tokenizerJson(vocab: string[]): object {
  const ids = Object.fromEntries(vocab.map((t, i) => [t, i]));
  const cls = ids['[CLS]'];
  const sep = ids['[SEP]'];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: ids[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

/**
 * Writes the tiny encoder folder `dir` (created if needed) and returns what it holds.
 * Deterministic: the same options give the same files.
 */
export function makeTinyEncoder(dir: string, options: TinyEncoderOptions = {}): TinyEncoderInfo {
  const seed = options.seed ?? 1;
  const H = options.hidden ?? 32;
  const L = options.layers ?? 2;
  const heads = options.heads ?? 2;
  const I = options.intermediate ?? 4 * H;
  const P = options.maxPositions ?? 512;
  const perLayer = options.perLayerOutputs ?? true;
  if (H % heads !== 0) throw new Error(`makeTinyEncoder: hidden (${H}) must be a multiple of heads (${heads}).`);
  const hd = H / heads;
  const vocab = tinyVocabulary();
  const V = vocab.length;
  const rand = prng(seed);

  const b = new GraphBuilder();
  const layerNorm = (x: string, prefix: string) =>
    b.op('LayerNormalization', [x, b.floats(`${prefix}.weight`, [H], gaussian(rand, H, 0.05, 1)), b.floats(`${prefix}.bias`, [H], gaussian(rand, H, 0.05))], {
      axis: { int: -1 },
      epsilon: { float: 1e-12 },
    });
  const linear = (x: string, prefix: string, inDim: number, outDim: number) =>
    b.op('Add', [
      b.op('MatMul', [x, b.floats(`${prefix}.weight`, [inDim, outDim], gaussian(rand, inDim * outDim, 1 / Math.sqrt(inDim)))]),
      b.floats(`${prefix}.bias`, [outDim], gaussian(rand, outDim, 0.02)),
    ]);
  const scalar = (name: string, v: number) => b.floats(name, [], [v]);

  // Embeddings: word + position (0..seq-1) + token type, then LayerNorm.
  const words = b.op('Gather', [b.floats('embeddings.word_embeddings.weight', [V, H], gaussian(rand, V * H, 1)), 'input_ids'], { axis: { int: 0 } });
  const seqLen = b.op('Gather', [b.op('Shape', ['input_ids']), b.int64s('const.one_index', [], [1])], { axis: { int: 0 } });
  const positions = b.op('Range', [b.int64s('const.zero', [], [0]), seqLen, b.int64s('const.one', [], [1])]);
  const posEmb = b.op('Gather', [b.floats('embeddings.position_embeddings.weight', [P, H], gaussian(rand, P * H, 0.2)), positions], { axis: { int: 0 } });
  const typeEmb = b.op('Gather', [b.floats('embeddings.token_type_embeddings.weight', [2, H], gaussian(rand, 2 * H, 0.2)), 'token_type_ids'], { axis: { int: 0 } });
  let hidden = layerNorm(b.op('Add', [b.op('Add', [words, posEmb]), typeEmb]), 'embeddings.LayerNorm');
  const states = [hidden];

  // Additive attention mask: 0 where attention_mask is 1, -10000 where it is 0; shape [B, 1, 1, S].
  const maskFloat = b.op('Cast', ['attention_mask'], { to: { int: DataType.FLOAT } });
  const maskBias = b.op('Mul', [b.op('Sub', [scalar('const.f_one', 1), maskFloat]), scalar('const.mask_value', -10000)]);
  const mask4 = b.op('Unsqueeze', [maskBias, b.int64s('const.mask_axes', [2], [1, 2])]);
  const headShape = b.int64s('const.head_shape', [4], [0, 0, heads, hd]);
  const mergedShape = b.int64s('const.merged_shape', [3], [0, 0, H]);
  const scale = scalar('const.attention_scale', 1 / Math.sqrt(hd));
  const half = scalar('const.half', 0.5);
  const sqrt2 = scalar('const.sqrt2', Math.SQRT2);
  const one = 'const.f_one';

  for (let l = 0; l < L; l++) {
    const p = `encoder.layer.${l}`;
    const split = (x: string, perm: number[]) => b.op('Transpose', [b.op('Reshape', [x, headShape])], { perm: { ints: perm } });
    const q = split(linear(hidden, `${p}.attention.self.query`, H, H), [0, 2, 1, 3]);
    const k = split(linear(hidden, `${p}.attention.self.key`, H, H), [0, 2, 3, 1]);
    const v = split(linear(hidden, `${p}.attention.self.value`, H, H), [0, 2, 1, 3]);
    const scores = b.op('Add', [b.op('Mul', [b.op('MatMul', [q, k]), scale]), mask4]);
    const probs = b.op('Softmax', [scores], { axis: { int: -1 } });
    const context = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } }), mergedShape]);
    const attended = layerNorm(b.op('Add', [linear(context, `${p}.attention.output.dense`, H, H), hidden]), `${p}.attention.output.LayerNorm`);
    const up = linear(attended, `${p}.intermediate.dense`, H, I);
    // GELU (erf form, as BERT): 0.5 · x · (1 + erf(x / √2)).
    const gelu = b.op('Mul', [b.op('Mul', [up, half]), b.op('Add', [one, b.op('Erf', [b.op('Div', [up, sqrt2])])])]);
    hidden = layerNorm(b.op('Add', [linear(gelu, `${p}.output.dense`, I, H), attended]), `${p}.output.LayerNorm`);
    states.push(hidden);
  }

  const outputNames = ['last_hidden_state', ...(perLayer ? states.map((_, i) => `hidden_states.${i}`) : [])];
  b.op('Identity', [hidden], undefined, 'last_hidden_state');
  if (perLayer) states.forEach((s, i) => b.op('Identity', [s], undefined, `hidden_states.${i}`));

  const ids = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] }));
  const onnx = encodeModel({
    graphName: 'medigen_tiny_encoder',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: ids,
    outputs: outputNames.map((name) => ({ name, elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', H] })),
    docString: `MediGen Lab tiny random BERT-like encoder (seed ${seed}, hidden ${H}, layers ${L}). For tests only.`,
  });

  const out = resolve(dir);
  mkdirSync(join(out, 'onnx'), { recursive: true });
  writeFileSync(join(out, 'onnx', 'model.onnx'), onnx);
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    vocab_size: V,
    hidden_size: H,
    num_hidden_layers: L,
    num_attention_heads: heads,
    intermediate_size: I,
    hidden_act: 'gelu',
    max_position_embeddings: P,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    _name_or_path: 'medigen-lab/tiny-random-encoder',
    medigen_tiny_seed: seed,
  };
  writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(out, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: P,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  writeFileSync(join(out, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
  return { dir: out, vocabSize: V, hidden: H, layers: L, outputNames, onnxBytes: onnx.length };
}
