/**
 * The model side of BERTScore: checks a local model folder, loads its tokenizer and ONNX encoder
 * with @huggingface/transformers (offline, CPU, fp32), picks the hidden layer, and turns texts into
 * L2-normalised token embeddings the way bert_score's `sent_encode` + `bert_encode` do.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importPackage, MedigenError } from '../../../core/index';
import type { Progress } from '../../../core/index';
import { type EmbeddedText, normalizeRows } from './greedy';
import { describeFolderProblem, layerProblem, loadProblem } from './messages';

/** Files a model folder must hold. */
export const REQUIRED_MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

/**
 * The optional `medigen.json` in a model folder (all fields optional):
 * - `lastHiddenStateLayer`: the ONNX file was exported truncated, so its `last_hidden_state` is
 *   this hidden layer (bert_score's `num_layers`, 40 for deberta-xlarge-mnli in ACI-BENCH).
 * - `addPrefixSpace`: put a space before every text before tokenizing (what bert_score does for
 *   GPT-2/RoBERTa-style tokenizers). Defaults to false.
 */
export interface MedigenModelNotes {
  lastHiddenStateLayer?: number;
  addPrefixSpace?: boolean;
}

/** Where a per-layer output name puts the layer number: `hidden_states.N` (0 = embedding output). */
export const PER_LAYER_OUTPUT = /^hidden_states\.(\d+)$/;
const LAST_STATE_NAMES = ['last_hidden_state', 'token_embeddings'];

/** Which ONNX output gives the embeddings, and which hidden layer that is (when known). */
export interface LayerChoice {
  output: string;
  layer: number | undefined;
}

/**
 * Picks the output for `requested` (undefined = the last layer) from the ONNX output names,
 * config.json's num_hidden_layers and medigen.json. Returns a choice or a problem (a message).
 */
export function chooseLayer(
  outputNames: readonly string[],
  configLayers: number | undefined,
  notes: MedigenModelNotes,
  requested: number | undefined,
): LayerChoice | { problem: string } {
  const perLayer = new Map<number, string>();
  for (const name of outputNames) {
    const m = PER_LAYER_OUTPUT.exec(name);
    if (m) perLayer.set(Number(m[1]), name);
  }
  const last = LAST_STATE_NAMES.find((n) => outputNames.includes(n));
  const highest = perLayer.size > 0 ? Math.max(...perLayer.keys()) : undefined;
  const lastLayer = notes.lastHiddenStateLayer ?? highest ?? configLayers;
  if (requested === undefined) {
    if (last) return { output: last, layer: lastLayer };
    if (highest !== undefined) return { output: perLayer.get(highest)!, layer: highest };
    return { problem: 'no-output' };
  }
  if (perLayer.has(requested)) return { output: perLayer.get(requested)!, layer: requested };
  if (last && lastLayer === requested) return { output: last, layer: requested };
  if (!last && perLayer.size === 0) return { problem: 'no-output' };
  return { problem: layerProblem(requested, [...perLayer.keys()].sort((a, b) => a - b), last ? lastLayer : undefined) };
}

/** A loaded encoder, ready to embed texts. */
export interface LoadedEncoder {
  dir: string;
  choice: LayerChoice;
  /** CLS and SEP ids: bert_score gives them weight 0. */
  specialIds: Set<number>;
  /** How many ids the empty text encodes to (its special tokens): bert_score scores such texts 0. */
  emptyLength: number;
  /** Longest token sequence the model takes (special tokens included). */
  maxLength: number;
  /** bert_score's `sent_encode`: strip, tokenize with special tokens, truncate keeping them. */
  encode(text: string): number[];
  /** Embeds token sequences (batched, padded, masked); one normalised matrix per sequence. */
  embed(sequences: number[][], opts: { batchSize: number; progress?: Progress; signal?: AbortSignal; done?: number; total?: number }): Promise<EmbeddedText[]>;
  dispose(): Promise<void>;
}

function readJson(file: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new MedigenError(
      `${what} (${file}) is not valid JSON: ${(cause as Error).message}`,
      'Copy the file again from the exported model folder; it is probably cut short or was edited by hand.',
      { cause },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MedigenError(`${what} (${file}) does not hold a JSON object.`, 'Copy the file again from the exported model folder.');
  }
  return parsed as Record<string, unknown>;
}

/** Checks the folder and reads config.json and medigen.json (no model loading). */
export function inspectModelFolder(modelDir: string): { dir: string; config: Record<string, unknown>; notes: MedigenModelNotes } {
  const dir = resolve(modelDir);
  const problem = describeFolderProblem(dir, REQUIRED_MODEL_FILES, existsSync(dir) ? statSync(dir).isDirectory() : undefined);
  if (problem) throw problem;
  const config = readJson(join(dir, 'config.json'), 'The model settings file config.json');
  if (config.is_encoder_decoder === true) {
    throw new MedigenError(
      `The model in ${dir} is an encoder-decoder (config.json: is_encoder_decoder = true); BERTScore needs an encoder-only model such as BERT, RoBERTa or DeBERTa.`,
      'Export an encoder model (ACI-BENCH uses microsoft/deberta-xlarge-mnli) with the task "feature-extraction".',
    );
  }
  const notesFile = join(dir, 'medigen.json');
  const raw = existsSync(notesFile) ? readJson(notesFile, 'The MediGen notes file medigen.json') : {};
  const notes: MedigenModelNotes = {};
  if (raw.lastHiddenStateLayer !== undefined) {
    if (!Number.isInteger(raw.lastHiddenStateLayer) || (raw.lastHiddenStateLayer as number) < 0) {
      throw new MedigenError(`medigen.json in ${dir}: "lastHiddenStateLayer" must be a whole number (it is ${JSON.stringify(raw.lastHiddenStateLayer)}).`, 'Write the layer the export was truncated at, e.g. {"lastHiddenStateLayer": 40}.');
    }
    notes.lastHiddenStateLayer = raw.lastHiddenStateLayer as number;
  }
  if (raw.addPrefixSpace !== undefined) notes.addPrefixSpace = raw.addPrefixSpace === true;
  return { dir, config, notes };
}

/** How many `model.onnx_data*` external-data chunks sit next to the ONNX file (big exports). */
function externalDataChunks(dir: string): number {
  return readdirSync(join(dir, 'onnx')).filter((f) => /^model\.onnx_data(_\d+)?$/.test(f)).length;
}

/**
 * Loads the encoder in `modelDir` for hidden layer `layer` (undefined = last).
 * Throws MedigenError for a missing/broken folder, a non-encoder model, or an unavailable layer.
 */
export async function loadEncoder(modelDir: string, layer: number | undefined): Promise<LoadedEncoder> {
  const { dir, config, notes } = inspectModelFolder(modelDir);
  const tf = await importPackage<typeof import('@huggingface/transformers')>('@huggingface/transformers');
  tf.env.allowRemoteModels = false;
  tf.env.useFSCache = false;
  tf.env.logLevel = tf.LogLevel.ERROR;

  let tokenizer: Awaited<ReturnType<typeof tf.AutoTokenizer.from_pretrained>>;
  try {
    tokenizer = await tf.AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (cause) {
    throw loadProblem(dir, 'tokenizer (tokenizer.json, tokenizer_config.json)', cause);
  }
  let model: Awaited<ReturnType<typeof tf.AutoModel.from_pretrained>>;
  try {
    const chunks = externalDataChunks(dir);
    model = await tf.AutoModel.from_pretrained(dir, {
      local_files_only: true,
      dtype: 'fp32',
      device: 'cpu',
      ...(chunks > 0 ? { use_external_data_format: chunks } : {}),
    });
  } catch (cause) {
    throw loadProblem(dir, 'ONNX encoder (onnx/model.onnx)', cause);
  }
  const session = (model as unknown as { sessions: Record<string, { inputNames: string[]; outputNames: string[] }> }).sessions.model;
  if (!session) {
    await model.dispose();
    throw new MedigenError(
      `The model in ${dir} was loaded, but it is not a single encoder (model_type "${String(config.model_type)}").`,
      'Export an encoder-only model (BERT, RoBERTa, DeBERTa) with the task "feature-extraction" into onnx/model.onnx.',
    );
  }
  const inputs = session.inputNames;
  const outputs = session.outputNames;
  if (!inputs.includes('input_ids') || inputs.some((n) => n.startsWith('past_key_values'))) {
    await model.dispose();
    throw new MedigenError(
      `onnx/model.onnx in ${dir} is not a text encoder: its inputs are ${inputs.join(', ')} (expected input_ids and attention_mask, and no past_key_values).`,
      'Export an encoder-only model (BERT, RoBERTa, DeBERTa) with the task "feature-extraction"; decoder (text-generation) exports do not give BERTScore embeddings.',
    );
  }
  const configLayers = typeof config.num_hidden_layers === 'number' ? config.num_hidden_layers : undefined;
  const choice = chooseLayer(outputs, configLayers, notes, layer);
  if ('problem' in choice) {
    await model.dispose();
    if (choice.problem === 'no-output') {
      throw new MedigenError(
        `onnx/model.onnx in ${dir} has no token-embedding output: its outputs are ${outputs.join(', ')} (expected last_hidden_state or hidden_states.N).`,
        'This looks like a classification or language-model head export. Export the bare encoder with the task "feature-extraction" (optimum-cli export onnx --task feature-extraction ...).',
      );
    }
    throw new MedigenError(`The model in ${dir} cannot give hidden layer ${layer}: ${choice.problem}`, layerHint(layer!));
  }

  const idOf = (key: string, fallback: string): number | undefined => {
    const cfg = (tokenizer as unknown as { config: Record<string, unknown> }).config;
    for (const k of [key, fallback]) {
      const v = cfg[k];
      const content = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as { content?: string }).content : undefined;
      if (content) {
        const id = tokenizer.convert_tokens_to_ids(content);
        if (typeof id === 'number') return id;
      }
    }
    return undefined;
  };
  const specialIds = new Set<number>([idOf('cls_token', 'bos_token'), idOf('sep_token', 'eos_token')].filter((x): x is number => x !== undefined));
  const padId = tokenizer.pad_token_id ?? 0;
  const configMax = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : Infinity;
  const tokMax = tokenizer.model_max_length;
  const maxLength = Number.isFinite(tokMax) && tokMax > 0 && tokMax < 1e9 ? tokMax : configMax;
  const prefix = notes.addPrefixSpace ? ' ' : '';
  const emptyIds = tokenizer.encode('', { add_special_tokens: true });

  const encode = (text: string): number[] => {
    const t = text.trim();
    if (t === '') return [...emptyIds];
    const full = tokenizer.encode(prefix + t, { add_special_tokens: true });
    if (full.length <= maxLength) return full;
    // Truncate the text, not the special tokens (as Python's tokenizer does with truncation=True).
    const content = tokenizer.encode(prefix + t, { add_special_tokens: false });
    const nSpecial = full.length - content.length;
    let start = 0;
    while (start <= nSpecial && full[start] !== content[0]) start++;
    if (start > nSpecial) start = Math.min(1, nSpecial);
    return [...full.slice(0, start), ...content.slice(0, Math.max(0, maxLength - nSpecial)), ...full.slice(start + content.length)];
  };

  const embed: LoadedEncoder['embed'] = async (sequences, { batchSize, progress, signal, done = 0, total = sequences.length }) => {
    const out: EmbeddedText[] = new Array(sequences.length);
    // Longest first, so each batch pads little (bert_score sorts the same way).
    const order = sequences.map((_, i) => i).sort((a, b) => sequences[b]!.length - sequences[a]!.length);
    let finished = done;
    for (let at = 0; at < order.length; at += batchSize) {
      signal?.throwIfAborted();
      const batch = order.slice(at, at + batchSize);
      const width = Math.max(...batch.map((i) => sequences[i]!.length));
      const ids = new BigInt64Array(batch.length * width).fill(BigInt(padId));
      const mask = new BigInt64Array(batch.length * width);
      batch.forEach((i, row) => {
        sequences[i]!.forEach((id, col) => {
          ids[row * width + col] = BigInt(id);
          mask[row * width + col] = 1n;
        });
      });
      const dims = [batch.length, width];
      let result: Record<string, { dims: number[]; type: string; data: ArrayLike<number> }>;
      try {
        result = await model({
          input_ids: new tf.Tensor('int64', ids, dims),
          attention_mask: new tf.Tensor('int64', mask, dims),
          token_type_ids: new tf.Tensor('int64', new BigInt64Array(ids.length), dims),
        });
      } catch (cause) {
        throw new MedigenError(
          `The encoder in ${dir} failed on a batch of ${batch.length} texts (${width} tokens): ${(cause as Error).message}`,
          'Check that onnx/model.onnx matches config.json and the tokenizer; try a smaller batch size if memory ran out.',
          { cause },
        );
      }
      const tensor = result[choice.output]!;
      if (tensor.type !== 'float32' || tensor.dims.length !== 3) {
        throw new MedigenError(
          `The output ${choice.output} of ${dir} is ${tensor.type} with shape [${tensor.dims.join(', ')}]; BERTScore needs float32 [batch, tokens, hidden].`,
          'Export the model in full precision (fp32), without quantisation.',
        );
      }
      const dim = tensor.dims[2]!;
      const data = tensor.data as Float32Array;
      batch.forEach((i, row) => {
        const len = sequences[i]!.length;
        const start = row * width * dim;
        out[i] = { ids: sequences[i]!, vectors: normalizeRows(data.slice(start, start + len * dim), dim), dim };
      });
      finished += batch.length;
      progress?.report(finished, total, 'embedding texts');
    }
    return out;
  };

  return { dir, choice, specialIds, emptyLength: emptyIds.length, maxLength, encode, embed, dispose: async () => {
    await model.dispose();
  } };
}

function layerHint(layer: number): string {
  return (
    `Export the model truncated to ${layer} layers (Python: AutoModel.from_pretrained(name, num_hidden_layers=${layer}).save_pretrained(folder), ` +
    'then optimum-cli export onnx --task feature-extraction): its config.json then says the depth. If the config.json of your export ' +
    `shows the full depth, write {"lastHiddenStateLayer": ${layer}} into medigen.json in the model folder. An export with every layer as an ` +
    'output named hidden_states.N works for any layer. ACI-BENCH uses microsoft/deberta-xlarge-mnli at layer 40.'
  );
}
