/**
 * BERTScore (Zhang et al. 2020) with the semantics of the `bert_score` package, as ACI-BENCH uses
 * it (microsoft/deberta-xlarge-mnli, layer 40, no idf, no rescaling), computed locally with
 * @huggingface/transformers on an ONNX export of the model that the user provides.
 *
 * What matches bert_score exactly: tokenization with special tokens and truncation to the model
 * length (the special tokens are kept), embeddings of one hidden layer, L2 normalisation, greedy
 * cosine matching over all tokens with CLS/SEP weighted 0, idf = log((M+1)/(df+1)) over the
 * references, F = 2PR/(P+R), rescaling (x - b)/(1 - b) with the baseline row of the layer, and
 * empty texts (only special tokens after stripping) scoring P = R = F = 0 before rescaling.
 * Where bert_score would return NaN (a 0/0, e.g. idf with a single reference), this returns 0.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { type BaselineRow, type EmbeddedText, type PairScore, greedyMatch, idfWeights, parseBaseline, rescale, uniformWeights } from './bertscore/index';
import { type LoadedEncoder, inspectModelFolder, loadEncoder } from './bertscore/index';

/** Options of {@link bertScore}. */
export interface BertScoreOptions {
  /** Local model folder: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx (+ optional medigen.json). */
  modelDir: string;
  /**
   * Hidden layer whose token embeddings are compared (0 = embedding output, as bert_score's
   * `num_layers`). Defaults to the last layer the ONNX file gives (`last_hidden_state`).
   */
  layer?: number;
  /** idf weighting computed from the references (bert_score semantics). Defaults to false. */
  idf?: boolean;
  /** bert_score baseline CSV (header LAYER,P,R,F) to rescale with the chosen layer's row. Defaults to none. */
  baselineFile?: string;
  /** Texts run through the encoder at once. Defaults to 8 (results do not depend on it). */
  batchSize?: number;
  /** Reports texts embedded so far. Defaults to none. */
  progress?: Progress;
  /** Stops the work between batches (the promise rejects with the signal's reason). Defaults to none. */
  signal?: AbortSignal;
}

/** Per-pair scores, in the order of the inputs. */
export interface BertScoreResult {
  precision: number[];
  recall: number[];
  f1: number[];
}

/** The settings of ACI-BENCH's official BERTScore. */
export const ACI_BENCH_BERTSCORE = { model: 'microsoft/deberta-xlarge-mnli', layer: 40, idf: false, rescale: false } as const;

let cached: { key: string; encoder: LoadedEncoder } | undefined;

/** Releases the encoder that {@link bertScore} keeps loaded between calls (frees its memory). */
export async function releaseBertScoreModel(): Promise<void> {
  const c = cached;
  cached = undefined;
  if (c) await c.encoder.dispose();
}

async function getEncoder(dir: string, layer: number | undefined): Promise<LoadedEncoder> {
  // Any change to the folder's files (re-export, edited config or medigen.json) loads it afresh.
  const stamp = (f: string) => (existsSync(join(dir, f)) ? [statSync(join(dir, f)).mtimeMs, statSync(join(dir, f)).size] : null);
  const text = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
  const key = JSON.stringify([dir, layer ?? null, stamp('onnx/model.onnx'), stamp('tokenizer.json'), text('config.json'), text('tokenizer_config.json'), text('medigen.json')]);
  if (cached?.key === key) return cached.encoder;
  await releaseBertScoreModel();
  const encoder = await loadEncoder(dir, layer);
  cached = { key, encoder };
  return encoder;
}

function readBaseline(file: string): BaselineRow[] {
  if (!existsSync(file)) {
    throw new MedigenError(`The BERTScore baseline file ${file} does not exist.`, 'Pass the baseline CSV of your model (bert_score ships them as rescale_baseline/<lang>/<model>.tsv), or leave rescaling off.');
  }
  const rows = parseBaseline(readFileSync(file, 'utf8'));
  if (typeof rows === 'string') {
    throw new MedigenError(`The BERTScore baseline file ${file} cannot be read: ${rows}.`, 'Use a bert_score baseline file: a header line LAYER,P,R,F and one line of numbers per layer.');
  }
  return rows;
}

/**
 * Scores each candidate against the reference at the same position with BERTScore and returns
 * precision, recall and F1 per pair. Loads the model on first use and keeps it for the next call
 * with the same folder and layer ({@link releaseBertScoreModel} frees it).
 * Throws MedigenError for unequal list lengths, a missing or broken model folder, an unavailable
 * layer, or a bad baseline file.
 */
export async function bertScore(refs: string[], cands: string[], opts: BertScoreOptions): Promise<BertScoreResult> {
  if (refs.length !== cands.length) {
    throw new MedigenError(
      `BERTScore needs one reference per candidate, but got ${refs.length} references and ${cands.length} candidates.`,
      'Make sure the reference notes and the generated notes cover the same encounters, in the same order.',
    );
  }
  const { layer, idf = false, batchSize = 8, progress, signal } = opts;
  if (layer !== undefined && (!Number.isInteger(layer) || layer < 0)) {
    throw new MedigenError(`The BERTScore layer must be a whole number from 0 up, not ${layer}.`, 'ACI-BENCH uses layer 40 of microsoft/deberta-xlarge-mnli.');
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MedigenError(`The BERTScore batch size must be a whole number from 1 up, not ${batchSize}.`, 'Leave it out to use 8.');
  }
  const { dir } = inspectModelFolder(opts.modelDir);
  const baseline = opts.baselineFile !== undefined ? readBaseline(opts.baselineFile) : undefined;
  signal?.throwIfAborted();
  if (refs.length === 0) return { precision: [], recall: [], f1: [] };

  const encoder = await getEncoder(dir, layer);
  let baselineRow: BaselineRow | undefined;
  if (baseline) {
    const chosen = encoder.choice.layer;
    if (chosen === undefined) {
      throw new MedigenError(
        `Rescaling needs to know which hidden layer the model in ${dir} gives, and nothing says so.`,
        'Pass the layer explicitly, or add num_hidden_layers to config.json.',
      );
    }
    baselineRow = baseline.find((r) => r.layer === chosen);
    if (!baselineRow) {
      throw new MedigenError(
        `The baseline file ${opts.baselineFile} has no row for layer ${chosen} (it has layers ${baseline.map((r) => r.layer).join(', ')}).`,
        'Use the baseline file made for this model, or pass a layer that the file lists.',
      );
    }
  }

  // Encode every distinct text once (bert_score deduplicates the same way).
  const texts = [...new Set([...refs, ...cands])];
  const index = new Map(texts.map((t, i) => [t, i]));
  const sequences = texts.map((t) => encoder.encode(t));
  progress?.report(0, texts.length, 'embedding texts');
  const embedded = await encoder.embed(sequences, { batchSize, ...(progress ? { progress } : {}), ...(signal ? { signal } : {}) });
  const at = (t: string): EmbeddedText => embedded[index.get(t)!]!;

  const weight = idf ? idfWeights(refs.map((r) => sequences[index.get(r)!]!), encoder.specialIds) : uniformWeights(encoder.specialIds);
  const result: BertScoreResult = { precision: [], recall: [], f1: [] };
  for (let i = 0; i < refs.length; i++) {
    if (i % 64 === 0) signal?.throwIfAborted();
    const ref = at(refs[i]!);
    const cand = at(cands[i]!);
    let score: PairScore =
      ref.ids.length <= encoder.emptyLength || cand.ids.length <= encoder.emptyLength
        ? { precision: 0, recall: 0, f1: 0 }
        : greedyMatch(ref, cand, weight);
    if (baselineRow) score = rescale(score, baselineRow);
    result.precision.push(score.precision);
    result.recall.push(score.recall);
    result.f1.push(score.f1);
  }
  return result;
}
