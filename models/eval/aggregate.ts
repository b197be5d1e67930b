/**
 * Scores predicted notes against reference notes and aggregates the scores exactly like
 * ACI-BENCH's evaluation script (evaluate_fullnote.py): the same keys, the same groups, the same
 * means. The `results` object can replace the official script's JSON output.
 *
 * Groups (each holds mean per-note F1 of rouge1, rouge2, rougeL, rougeLsum, plus
 * bertscore-precision/recall/f1 when BERTScore is requested):
 * - `ALL`: every note.
 * - `dataset-<subset>`: per subset (virtassist, virtscribe, aci), in order of first appearance.
 * - `division-<section>`: each of the four sections, cut out of both notes by ACI-BENCH's section
 *   tagger (see datasets/sections.ts); a missing section is the text "#####EMPTY#####", so it scores
 *   0 against a present one and 1 when both notes lack it (ACI-BENCH's behaviour).
 * - `shorter-src` / `longer-src (support:N)`: dialogues of at most / more than 512 words.
 * - `patient_gender-…`, `cc-…`, `2nd_complaints-…(support:N)`: metadata groups, when the split has
 *   a metadata file. Values are used as written (a trailing space makes its own group, as in the
 *   official figures); an empty value is `#####EMPTY#####`.
 */
import { MedigenError } from '../../core/index';
import type { Progress } from '../../core/index';
import { divideNote, EMPTY_SECTION, sectionTextForScoring } from '../../datasets/index';
import { DIVISIONS, type Division, type Encounter } from '../../datasets/index';
import { matchPredictions, type MatchedBy, type Prediction } from './match';
import { TooLongToScoreError } from './lcs';
import { ROUGE_TYPES, RougeScorer, type RougeScores } from './rouge';

/** BERTScore settings; scoring with BERTScore is off unless this is given. */
export interface BertScoreRequest {
  /** Local model folder (ONNX export), see models/eval/bertscore.ts. */
  modelDir: string;
  /** Hidden layer to use. Defaults to the model's last layer. */
  layer?: number;
  /** idf weighting. Defaults to false (ACI-BENCH's setting). */
  idf?: boolean;
  /** Baseline file for rescaling. Defaults to none (ACI-BENCH's setting). */
  baselineFile?: string;
}

/** Options of {@link evaluateNotes}. */
export interface EvaluateOptions {
  /** Porter-stem words before ROUGE. Defaults to false (ACI-BENCH's setting). */
  useStemmer?: boolean;
  /** Dialogues with more words than this are "longer-src". Defaults to 512 (ACI-BENCH's setting). */
  longSourceWords?: number;
  /** Word counts that split dialogues into length bands for the by-source-length breakdown. Defaults to [1000, 1500, 2000]. */
  sourceLengthBins?: readonly number[];
  /** Also compute BERTScore with this local model. Defaults to off. */
  bertscore?: BertScoreRequest;
  /** Reports notes scored so far. Defaults to none. */
  progress?: Progress;
  /** Stops the work between notes. Defaults to none. */
  signal?: AbortSignal;
}

/** Mean scores of one group, keyed like ACI-BENCH's results (rouge1 … bertscore-f1). */
export type GroupScores = Record<string, number>;

/** The ACI-BENCH-shaped results object: `num_test` plus one GroupScores per key. */
export type OfficialResults = { num_test: number } & Record<string, number | GroupScores>;

/** BERTScore of one text pair. */
export interface BertPair {
  precision: number;
  recall: number;
  f1: number;
}

/** Everything measured for one note. */
export interface NoteScores {
  /** 0-based position in the reference file. */
  index: number;
  encounterId: string;
  dataset: string;
  /** Words of the dialogue (whitespace-separated), the basis of the longer-src group. */
  sourceWords: number;
  /** ROUGE of the whole note. */
  full: RougeScores;
  /** ROUGE of each section, ACI-BENCH style. */
  sections: Record<Division, RougeScores>;
  /** Which sections each side has. */
  present: { reference: Division[]; prediction: Division[] };
  bertscore?: { full: BertPair; sections: Record<Division, BertPair> };
  /** The two notes, for reports that show what went wrong. */
  reference: string;
  prediction: string;
  /** The encounter's metadata columns, when the split has a metadata file. */
  metadata?: Record<string, string>;
}

/** One band of the by-source-length breakdown. */
export interface LengthBand {
  label: string;
  /** Smallest and largest word count of the band (max is Infinity for the last). */
  minWords: number;
  maxWords: number;
  support: number;
  scores: GroupScores;
}

/** The result of {@link evaluateNotes}. */
export interface Evaluation {
  results: OfficialResults;
  matchedBy: MatchedBy;
  notes: NoteScores[];
  bySourceLength: LengthBand[];
  settings: { useStemmer: boolean; longSourceWords: number; bertscore?: BertScoreRequest };
}

/**
 * numpy's mean of a float64 list (pairwise summation, then one division), so group figures match
 * ACI-BENCH's `np.mean` to the last bit.
 */
export function numpyMean(values: readonly number[]): number {
  return values.length ? pairwiseSum(values, 0, values.length) / values.length : NaN;
}

function pairwiseSum(a: readonly number[], from: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[from + i]!;
    return s;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => a[from + k]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += a[from + i + k]!;
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) s += a[from + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
}

// Python's str.split() separators (str.isspace()).
const PY_WS_CHAR = /^[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

/** Words of a dialogue as ACI-BENCH counts them (`len(dialogue.split())`). */
export function sourceWordCount(dialogue: string): number {
  // A character scan (the regex split cost ~3 ms a dialogue, most of `medigen eval`'s own time).
  let words = 0;
  let inWord = false;
  for (let i = 0; i < dialogue.length; i++) {
    const c = dialogue.charCodeAt(i);
    const space = c <= 0x20 ? c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) : c >= 0x85 && PY_WS_CHAR.test(dialogue[i]!);
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return words;
}

// Cells pandas.read_csv reads as missing (its default na_values); ACI-BENCH then writes #####EMPTY#####.
const PANDAS_NA = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);

/** A metadata value as it appears in ACI-BENCH's group keys (missing → #####EMPTY#####). */
export function metadataGroupValue(value: string | undefined): string {
  return value === undefined || PANDAS_NA.has(value) ? EMPTY_SECTION : value;
}

/** The metadata columns ACI-BENCH breaks scores down by, in its order. */
export const METADATA_GROUPS = ['patient_gender', 'cc', '2nd_complaints'] as const;

interface Columns {
  [metric: string]: number[];
}

function groupOf(cols: Columns, indices: readonly number[]): GroupScores {
  const out: GroupScores = {};
  for (const [metric, values] of Object.entries(cols)) out[metric] = numpyMean(indices.map((i) => values[i]!));
  return out;
}

function bandLabel(lo: number, hi: number): string {
  return hi === Infinity ? `${lo}+ words` : `${lo}-${hi} words`;
}

/** ROUGE of one note and its four sections; appends the texts to ACI-BENCH's ordered lists. */
function scoreNote(scorer: RougeScorer, k: number, g: Encounter, pred: string, refTexts: string[][], predTexts: string[][]): NoteScores {
  const rd = divideNote(g.note);
  const pd = divideNote(pred);
  refTexts[0]!.push(g.note);
  predTexts[0]!.push(pred);
  const sections = {} as Record<Division, RougeScores>;
  DIVISIONS.forEach((d, i) => {
    const r = sectionTextForScoring(rd[d]?.text);
    const p = sectionTextForScoring(pd[d]?.text);
    refTexts[i + 1]!.push(r);
    predTexts[i + 1]!.push(p);
    sections[d] = scorer.score(r, p);
  });
  return {
    index: k,
    encounterId: g.encounterId,
    dataset: g.dataset,
    sourceWords: sourceWordCount(g.dialogue),
    full: scorer.score(g.note, pred),
    sections,
    present: { reference: DIVISIONS.filter((d) => rd[d]), prediction: DIVISIONS.filter((d) => pd[d]) },
    reference: g.note,
    prediction: pred,
    ...(g.metadata ? { metadata: g.metadata } : {}),
  };
}

/**
 * Scores every predicted note against its reference note (full note and the four sections) and
 * aggregates like ACI-BENCH. Predictions are matched by encounter_id when every row on both sides
 * has one, else by row order. Throws MedigenError for mismatched inputs (see matchPredictions),
 * and whatever BERTScore throws when it is requested.
 */
export async function evaluateNotes(gold: readonly Encounter[], predictions: readonly Prediction[], options: EvaluateOptions = {}): Promise<Evaluation> {
  const { useStemmer = false, longSourceWords = 512, sourceLengthBins = [1000, 1500, 2000], progress, signal } = options;
  const pairs = matchPredictions(gold, predictions);
  const n = pairs.gold.length;
  const scorer = new RougeScorer({ useStemmer });
  const notes: NoteScores[] = [];
  // Texts in ACI-BENCH's order: all full notes, then each division's section texts.
  const refTexts: string[][] = [[], [], [], [], []];
  const predTexts: string[][] = [[], [], [], [], []];
  for (let k = 0; k < n; k++) {
    signal?.throwIfAborted();
    const g = pairs.gold[k]!;
    const pred = pairs.predictions[k]!;
    try {
      notes.push(scoreNote(scorer, k, g, pred, refTexts, predTexts));
    } catch (e) {
      if (e instanceof TooLongToScoreError) throw new MedigenError(`Note ${k + 1}${g.encounterId ? ` (${g.encounterId})` : ''}: ${e.message}`, e.hint, { cause: e });
      throw e;
    }
    progress?.report(k + 1, n, g.encounterId || `note ${k + 1}`);
  }

  if (options.bertscore) await addBertScore(notes, refTexts.flat(), predTexts.flat(), options.bertscore, progress, signal);

  // Column per metric for the full notes, and per division.
  const column = (pick: (s: NoteScores) => { rouge: RougeScores; bert?: BertPair }): Columns => {
    const cols: Columns = {};
    for (const t of ROUGE_TYPES) cols[t] = notes.map((s) => pick(s).rouge[t].fmeasure);
    if (options.bertscore) {
      cols['bertscore-precision'] = notes.map((s) => pick(s).bert!.precision);
      cols['bertscore-recall'] = notes.map((s) => pick(s).bert!.recall);
      cols['bertscore-f1'] = notes.map((s) => pick(s).bert!.f1);
    }
    return cols;
  };
  const full = column((s) => ({ rouge: s.full, bert: s.bertscore?.full }));
  const all = notes.map((s) => s.index);
  const results: OfficialResults = { num_test: n };
  results.ALL = groupOf(full, all);
  for (const subset of [...new Set(notes.map((s) => s.dataset))]) {
    results[`dataset-${subset}`] = groupOf(full, all.filter((i) => notes[i]!.dataset === subset));
  }
  for (const d of DIVISIONS) results[`division-${d}`] = groupOf(column((s) => ({ rouge: s.sections[d], bert: s.bertscore?.sections[d] })), all);
  const shorter = all.filter((i) => notes[i]!.sourceWords <= longSourceWords);
  const longer = all.filter((i) => notes[i]!.sourceWords > longSourceWords);
  if (shorter.length) results['shorter-src'] = groupOf(full, shorter);
  if (longer.length) results[`longer-src (support:${longer.length})`] = groupOf(full, longer);
  if (pairs.gold.some((g) => g.metadata)) {
    for (const col of METADATA_GROUPS) {
      if (!pairs.gold.some((g) => g.metadata && col in g.metadata)) continue;
      const values = pairs.gold.map((g) => metadataGroupValue(g.metadata?.[col]));
      for (const v of [...new Set(values)]) {
        const idx = all.filter((i) => values[i] === v);
        results[`${col}-${v}(support:${idx.length})`] = groupOf(full, idx);
      }
    }
  }

  const edges = [0, ...[...sourceLengthBins].sort((a, b) => a - b), Infinity];
  const bySourceLength: LengthBand[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b]!;
    const hi = edges[b + 1]!;
    const idx = all.filter((i) => notes[i]!.sourceWords >= lo && notes[i]!.sourceWords < hi);
    if (idx.length) bySourceLength.push({ label: bandLabel(lo, hi === Infinity ? Infinity : hi - 1), minWords: lo, maxWords: hi === Infinity ? Infinity : hi - 1, support: idx.length, scores: groupOf(full, idx) });
  }
  const settings: Evaluation['settings'] = { useStemmer, longSourceWords };
  if (options.bertscore) settings.bertscore = options.bertscore;
  return { results, matchedBy: pairs.matchedBy, notes, bySourceLength, settings };
}

async function addBertScore(notes: NoteScores[], refs: string[], cands: string[], req: BertScoreRequest, progress?: Progress, signal?: AbortSignal): Promise<void> {
  // Loaded only when asked for, so plain ROUGE never loads the transformer runtime.
  let bertScore: typeof import('./bertscore').bertScore;
  try {
    ({ bertScore } = await import('./bertscore'));
  } catch (e) {
    throw new MedigenError('BERTScore is not available in this installation of MediGen Lab.', 'Run the evaluation without --bertscore-model (ROUGE only), or reinstall MediGen Lab.', { cause: e });
  }
  const opts: Parameters<typeof bertScore>[2] = { modelDir: req.modelDir };
  if (req.layer !== undefined) opts.layer = req.layer;
  if (req.idf !== undefined) opts.idf = req.idf;
  if (req.baselineFile !== undefined) opts.baselineFile = req.baselineFile;
  if (progress) opts.progress = progress;
  if (signal) opts.signal = signal;
  let res: Awaited<ReturnType<typeof bertScore>>;
  try {
    res = await bertScore(refs, cands, opts);
  } catch (e) {
    // A dynamically imported module can see its own copy of core/errors (e.g. under a test
    // loader); keep its message and hint as a MedigenError of this copy.
    if (!(e instanceof MedigenError) && e instanceof Error && typeof (e as { hint?: unknown }).hint === 'string') {
      throw new MedigenError(e.message, (e as unknown as { hint: string }).hint, { cause: e });
    }
    throw e;
  }
  const n = notes.length;
  const pair = (k: number): BertPair => ({ precision: res.precision[k]!, recall: res.recall[k]!, f1: res.f1[k]! });
  notes.forEach((s, k) => {
    const sections = {} as Record<Division, BertPair>;
    DIVISIONS.forEach((d, i) => (sections[d] = pair((i + 1) * n + k)));
    s.bertscore = { full: pair(k), sections };
  });
}
