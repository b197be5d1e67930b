/**
 * Corpus statistics per split, like Table 1 of the ACI-BENCH and MediGen papers: encounters,
 * average turns, average dialogue and note length in whitespace tokens and, with a tokenizer, in
 * model tokens.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MedigenError } from '../core/index';
import type { Progress } from '../core/index';
import { SPLIT_FILES, loadSplit, resolveCorpusDir } from './corpus';
import type { CsvProblem } from './csv';
import { countWhitespaceTokens, type TokenCounter } from './tokens';
import { parseTurns } from './turns';
import { SPLITS, type Encounter } from './types';

/** Mean, min and max of a list (all 0 for an empty list). */
export interface Summary {
  mean: number;
  min: number;
  max: number;
}

export interface SplitStats {
  split: string;
  file: string;
  encounters: number;
  /** Encounters per subset (the `dataset` column). */
  subsets: Record<string, number>;
  turns: Summary;
  /** Turns per speaker, summed over the split. */
  speakers: Record<string, number>;
  dialogueWords: Summary;
  noteWords: Summary;
  /** Model tokens, present when a tokenizer was given. */
  dialogueTokens?: Summary;
  noteTokens?: Summary;
  /** The tokenizer's name, when one was given. */
  tokenizer?: string;
  /**
   * What is wrong with the file, worst first: errors (the figures above are not to be trusted:
   * a missing column, another format, an unclosed quote, an empty file) and warnings (e.g. bytes
   * that are not UTF-8). Present when there is something to say.
   */
  problems?: CsvProblem[];
}

/** True when a split's figures mean nothing: no encounters, or an error in the file. */
export function statsUnreliable(s: SplitStats): boolean {
  return s.encounters === 0 || !!s.problems?.some((p) => p.severity === 'error');
}

export interface StatsOptions {
  /** Counts model tokens too. Defaults to whitespace tokens only. */
  tokenizer?: TokenCounter;
  /** Progress per encounter. */
  progress?: Progress;
  signal?: AbortSignal;
}

/** Mean, min and max of `values`. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { mean: 0, min: 0, max: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / values.length, min, max };
}

/** Statistics of a list of encounters. */
export function encounterStats(split: string, file: string, encounters: readonly Encounter[], options: StatsOptions = {}): SplitStats {
  const subsets: Record<string, number> = {};
  const speakers: Record<string, number> = {};
  const turns: number[] = [];
  const dw: number[] = [];
  const nw: number[] = [];
  const dt: number[] = [];
  const nt: number[] = [];
  encounters.forEach((e, k) => {
    if (options.signal?.aborted) throw new MedigenError('Statistics were cancelled.', 'Run the command again when you are ready.');
    subsets[e.dataset] = (subsets[e.dataset] ?? 0) + 1;
    const parsed = parseTurns(e.dialogue);
    turns.push(parsed.turns.length);
    for (const t of parsed.turns) speakers[t.speaker] = (speakers[t.speaker] ?? 0) + 1;
    dw.push(countWhitespaceTokens(e.dialogue));
    nw.push(countWhitespaceTokens(e.note));
    if (options.tokenizer) {
      dt.push(options.tokenizer.count(e.dialogue));
      nt.push(options.tokenizer.count(e.note));
    }
    options.progress?.report(k + 1, encounters.length, `${split} ${e.encounterId}`);
  });
  const out: SplitStats = { split, file, encounters: encounters.length, subsets, turns: summarize(turns), speakers, dialogueWords: summarize(dw), noteWords: summarize(nw) };
  if (options.tokenizer) Object.assign(out, { dialogueTokens: summarize(dt), noteTokens: summarize(nt), tokenizer: options.tokenizer.name });
  return out;
}

/**
 * Statistics of the named splits (or files) of a corpus. Defaults to every split present in the
 * corpus folder that `resolveCorpusDir` picks (the shipped sample when none is given).
 */
export function corpusStats(splits?: readonly string[], corpusDir?: string, options: StatsOptions = {}): SplitStats[] {
  const dir = resolveCorpusDir(corpusDir);
  const wanted = splits?.length ? splits : SPLITS.filter((s) => existsSync(join(dir, SPLIT_FILES[s])) || existsSync(join(dir, SPLIT_FILES[s].replace(/\.csv$/, '.json'))));
  if (wanted.length === 0) throw new MedigenError(`The folder ${dir} has no ACI-BENCH split files.`, `Expected files such as ${Object.values(SPLIT_FILES).join(', ')}. Point --corpus at ACI-BENCH's challenge_data folder.`);
  return wanted.map((ref) => {
    const s = loadSplit(ref, dir);
    const out = encounterStats(s.name, s.file, s.encounters, options);
    const problems = s.problems.filter((p) => p.code !== 'crlf');
    if (s.encounters.length === 0 && !problems.some((p) => p.severity === 'error')) {
      problems.push({ file: s.file, severity: 'error', code: 'no-encounters', message: 'The file has a header but no encounters.', hint: 'Add one row per encounter below the header, or point at another file.' });
    }
    if (problems.length) out.problems = [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')];
    return out;
  });
}
