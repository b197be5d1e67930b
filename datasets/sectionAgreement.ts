/**
 * How well the section tagger (`divideNote`) agrees with ACI-BENCH's official division of the
 * train and valid notes (`sections/{split}_{division}.json`). Per division: how often the tagger's
 * section text equals the official one (after whitespace normalisation), how often both agree that
 * the section is present or absent, and the token-level overlap (F1) of the two texts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MedigenError } from '../core/index';
import type { Progress } from '../core/index';
import { loadSplit, resolveCorpusDir } from './corpus';
import { divideNote, EMPTY_SECTION } from './sections';
import { DIVISIONS, type Division } from './types';

/** Splits with an official section division in ACI-BENCH. */
export const SECTION_SPLITS = ['train', 'valid'] as const;

/** Collapses every run of whitespace to one space and trims. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Token-level F1 of two texts (lower-cased whitespace tokens, each matched at most once).
 * Two empty texts agree fully (1); one empty text gives 0.
 */
export function tokenF1(a: string, b: string): number {
  const ta = normalizeSpace(a).toLowerCase().split(' ').filter(Boolean);
  const tb = normalizeSpace(b).toLowerCase().split(' ').filter(Boolean);
  if (ta.length === 0 && tb.length === 0) return 1;
  if (ta.length === 0 || tb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const p = common / tb.length;
  const r = common / ta.length;
  return (2 * p * r) / (p + r);
}

/**
 * The folder with ACI-BENCH's `sections/*.json`: `sections/` inside the corpus folder or next to
 * it (a clone has challenge_data/ and sections/ side by side). Undefined when there is none.
 */
export function findSectionsDir(corpusDir?: string): string | undefined {
  const dir = resolveCorpusDir(corpusDir);
  for (const c of [join(dir, 'sections'), join(dirname(dir), 'sections')]) if (existsSync(join(c, 'train_subjective.json')) || existsSync(join(c, 'valid_subjective.json'))) return c;
  return undefined;
}

/**
 * The official text of a section, or '' when the section is absent: ACI-BENCH writes an absent
 * section as an empty or missing `tgt`, or as the marker "<division>: #####EMPTY#####.".
 */
export function officialSectionText(tgt: string | null | undefined): string {
  if (!tgt) return '';
  if (tgt.includes(EMPTY_SECTION) && tgt.replace(EMPTY_SECTION, '').replace(/^\s*[a-z_]+\s*:/i, '').replace(/[\s.]/g, '') === '') return '';
  return tgt;
}

/** Official section texts of one split: encounter id → division → text ('' when absent). */
export function loadOfficialSections(sectionsDir: string, split: string): Map<string, Partial<Record<Division, string>>> {
  const out = new Map<string, Partial<Record<Division, string>>>();
  for (const d of DIVISIONS) {
    const file = join(sectionsDir, `${split}_${d}.json`);
    if (!existsSync(file)) throw new MedigenError(`${file} is missing.`, `The sections folder of ACI-BENCH has ${split}_<division>.json for ${DIVISIONS.join(', ')}; clone or copy it completely.`);
    let data: { file?: string; tgt?: string | null }[];
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data: typeof data }).data;
    } catch (e) {
      throw new MedigenError(`${file} could not be read as ACI-BENCH section JSON: ${(e as Error).message}`, 'Re-download the file; it should look like {"data": [{"src", "tgt", "file"}]}.');
    }
    for (const item of data) {
      const id = String(item.file ?? '').split('-')[0]!;
      const rec = out.get(id) ?? {};
      rec[d] = officialSectionText(item.tgt);
      out.set(id, rec);
    }
  }
  return out;
}

export interface DivisionAgreement {
  division: Division;
  /** Notes compared. */
  notes: number;
  /** Notes whose tagger section equals the official one after whitespace normalisation (both absent counts). */
  exactMatches: number;
  exactMatchRate: number;
  /** Notes where tagger and official agree on present/absent. */
  presenceAgreements: number;
  presenceAgreementRate: number;
  officialPresent: number;
  taggerPresent: number;
  /** Mean token-level F1 between the two texts. */
  meanTokenF1: number;
  /** Encounter ids whose section text differs, for a closer look. */
  mismatches: string[];
}

export interface AgreementReport {
  sectionsDir: string;
  splits: string[];
  notes: number;
  divisions: DivisionAgreement[];
  /** Means over the four divisions. */
  overall: { exactMatchRate: number; presenceAgreementRate: number; meanTokenF1: number };
  /** Official encounters with no note in the corpus (not compared). */
  missingNotes: string[];
}

export interface AgreementOptions {
  /** Corpus folder with the split CSVs. Defaults to `resolveCorpusDir()`. */
  corpusDir?: string;
  /** Folder with the official section JSON files. Defaults to `findSectionsDir(corpusDir)`. */
  sectionsDir?: string;
  /** Splits to compare. Defaults to train and valid. */
  splits?: readonly string[];
  progress?: Progress;
  signal?: AbortSignal;
}

/** Measures the tagger's agreement with ACI-BENCH's official section division. */
export function measureSectionAgreement(options: AgreementOptions = {}): AgreementReport {
  const sectionsDir = options.sectionsDir ?? findSectionsDir(options.corpusDir);
  if (!sectionsDir) throw new MedigenError('No ACI-BENCH sections folder was found next to the corpus.', 'Point --corpus at a clone of ACI-BENCH (it has challenge_data/ and sections/), or give --sections <folder>. The shipped sample has no official sections.');
  const splits = [...(options.splits ?? SECTION_SPLITS)];
  const acc = DIVISIONS.map((division) => ({ division, notes: 0, exactMatches: 0, presenceAgreements: 0, officialPresent: 0, taggerPresent: 0, f1: 0, mismatches: [] as string[] }));
  const missingNotes: string[] = [];
  let notes = 0;
  for (const split of splits) {
    const official = loadOfficialSections(sectionsDir, split);
    const byId = new Map(loadSplit(split, options.corpusDir).encounters.map((e) => [e.encounterId, e]));
    let k = 0;
    for (const [id, sections] of official) {
      if (options.signal?.aborted) throw new MedigenError('The agreement measurement was cancelled.', 'Run it again when you are ready.');
      options.progress?.report(++k, official.size, `${split} ${id}`);
      const e = byId.get(id);
      if (!e) {
        missingNotes.push(id);
        continue;
      }
      notes++;
      const mine = divideNote(e.note);
      acc.forEach((a) => {
        const off = normalizeSpace(sections[a.division] ?? '');
        const tag = normalizeSpace(mine[a.division]?.text ?? '');
        a.notes++;
        if (off) a.officialPresent++;
        if (tag) a.taggerPresent++;
        if (!!off === !!tag) a.presenceAgreements++;
        if (off === tag) a.exactMatches++;
        else a.mismatches.push(id);
        a.f1 += tokenF1(off, tag);
      });
    }
  }
  const divisions: DivisionAgreement[] = acc.map((a) => ({
    division: a.division,
    notes: a.notes,
    exactMatches: a.exactMatches,
    exactMatchRate: a.notes ? a.exactMatches / a.notes : 0,
    presenceAgreements: a.presenceAgreements,
    presenceAgreementRate: a.notes ? a.presenceAgreements / a.notes : 0,
    officialPresent: a.officialPresent,
    taggerPresent: a.taggerPresent,
    meanTokenF1: a.notes ? a.f1 / a.notes : 0,
    mismatches: a.mismatches,
  }));
  const mean = (f: (d: DivisionAgreement) => number) => divisions.reduce((s, d) => s + f(d), 0) / divisions.length;
  return { sectionsDir, splits, notes, divisions, overall: { exactMatchRate: mean((d) => d.exactMatchRate), presenceAgreementRate: mean((d) => d.presenceAgreementRate), meanTokenF1: mean((d) => d.meanTokenF1) }, missingNotes };
}
