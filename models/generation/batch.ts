/**
 * Generates a note for every encounter of a split and writes an ACI-BENCH CSV
 * (dataset,encounter_id,dialogue,note) that `medigen eval` scores. Finished notes are appended
 * to `<out>.partial.jsonl` as they come, under a checksum of the settings, so an interrupted run
 * resumes without regenerating them.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MedigenError, assertOutputsAreNotInputs, statUserFile, type Progress } from '../../core/index';
import { buildManifest, manifestFileFor, sha256Text, writeManifest } from '../../core/index';
import { loadSplit, noteMessages, writeCsv, type Encounter } from '../../datasets/index';
import type { GenerateOptions, LoraAdapter } from '../llm/index';
import { scrubEncounter } from '../safety/index';
import { isRemoteSpec, openNoteSource, type NoteSourceSpec } from './source';

/** Options of `generateSplit`. */
export interface GenerateSplitOptions extends Omit<GenerateOptions, 'onTextChunk' | 'signal'> {
  /** A split name (test1, valid, ...) or an ACI-BENCH CSV file. */
  split: string;
  /** Corpus folder for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample. */
  corpusDir?: string;
  /** The CSV to write. */
  out: string;
  lora?: string | LoraAdapter;
  /** Notes generated at the same time. Defaults to 1. */
  parallel?: number;
  /** Tokens of context per note. Defaults to the smaller of the model's trained context and 8192. */
  contextSize?: number;
  /** Instruction template and system prompt. Default to the project's SOAP instruction. */
  template?: string;
  systemPrompt?: string;
  /** Cut each prompt's user message to fit this many tokens, as training did (local models). Defaults to no limit. */
  maxPromptTokens?: number;
  /** Generate only the first N encounters. Defaults to all. */
  limit?: number;
  /** Ignore (and delete) an earlier partial run instead of resuming it. Defaults to false. */
  restart?: boolean;
  /** Notes done out of the total. */
  progress?: Progress;
  /** Stops generating; finished notes are kept for resuming, the ones in progress are dropped. */
  signal?: AbortSignal;
  /**
   * Replace the identifiers of each dialogue (names, phone numbers, …; models/safety's guard) by
   * placeholders such as [NAME] before it is sent to the model. The CSV keeps the original
   * dialogues. Defaults to false.
   */
  scrubIdentifiers?: boolean;
}

/** What `generateSplit` did. */
export interface GenerateSplitResult {
  out: string;
  total: number;
  /** Notes generated in this run. */
  generated: number;
  /** Notes taken from an earlier interrupted run. */
  resumed: number;
  /** False when stopped early; run again to finish. */
  complete: boolean;
  generatedTokens: number;
  seconds: number;
  /** Encounters whose note stopped at the token limit (--max-tokens) instead of ending. */
  cutAtMaxTokens: string[];
  /** Encounters whose note is blank. */
  blank: string[];
}

interface PartialLine {
  encounterId: string;
  dataset: string;
  note: string;
  tokens: number;
  /** Why generation stopped ('maxTokens': cut at the limit). */
  stop?: string;
}

/** The file finished notes are kept in until the run completes. */
export function partialFileFor(out: string): string {
  return `${resolve(out)}.partial.jsonl`;
}

function fileStamp(path: string, what: string): { path: string; size: number } {
  return { path: resolve(path), size: statUserFile(path, what).size };
}

/** Checksum of everything that changes the generated notes. */
export function settingsChecksum(source: NoteSourceSpec, splitFile: string, o: GenerateSplitOptions): string {
  const lora = typeof o.lora === 'string' ? { path: o.lora } : o.lora;
  const settings = {
    model: isRemoteSpec(source) ? { endpoint: source.baseUrl, model: source.model } : fileStamp(source.path, 'model file'),
    lora: lora ? { ...fileStamp(lora.path, 'LoRA adapter'), scale: lora.scale ?? 1 } : null,
    split: fileStamp(splitFile, 'data file'),
    template: o.template ?? null,
    systemPrompt: o.systemPrompt ?? null,
    maxTokens: o.maxTokens ?? 1024,
    temperature: o.temperature ?? 0,
    topP: o.topP ?? 0.95,
    topK: o.topK ?? 40,
    seed: o.seed ?? 0,
    grammar: o.grammar ?? 'free',
    contextSize: o.contextSize ?? null,
    ...(o.maxPromptTokens ? { maxPromptTokens: o.maxPromptTokens } : {}),
    ...(o.scrubIdentifiers ? { scrubIdentifiers: true } : {}),
  };
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

function readPartial(file: string, checksum: string): Map<string, PartialLine> {
  const done = new Map<string, PartialLine>();
  const lines = readFileSync(file, 'utf8').split('\n');
  let head: { checksum?: string } = {};
  try {
    head = JSON.parse(lines[0] ?? '{}');
  } catch {
    /* handled below */
  }
  if (head.checksum !== checksum) {
    throw new MedigenError(
      `${file} holds notes from an earlier run with different settings (model, adapter, split or generation options).`,
      'Run with the same settings to resume it, or add --restart to discard it and start over.',
    );
  }
  for (const l of lines.slice(1)) {
    if (!l.trim()) continue;
    try {
      const p = JSON.parse(l) as PartialLine;
      if (typeof p.encounterId === 'string' && typeof p.note === 'string') done.set(p.encounterId, p);
    } catch {
      // a line cut off by an interruption: that note is generated again
    }
  }
  return done;
}

/**
 * Generates notes for a split with a loaded model (or, when configured, an OpenAI-compatible
 * endpoint) and writes the predictions CSV.
 */
export async function generateSplit(source: NoteSourceSpec, o: GenerateSplitOptions): Promise<GenerateSplitResult> {
  if (isRemoteSpec(source) && o.lora) throw new MedigenError('A LoRA adapter cannot be sent to a remote endpoint.', 'Load the adapter on the server (e.g. vLLM --lora-modules), or generate locally with --model and --lora.');
  if (isRemoteSpec(source) && o.grammar && o.grammar !== 'free') throw new MedigenError('The SOAP grammar works only with local models.', 'Leave out --grammar for an endpoint, or generate locally with --model.');
  const start = performance.now();
  const split = loadSplit(o.split, o.corpusDir);
  const encounters = split.encounters.slice(0, o.limit ?? split.encounters.length);
  const out = resolve(o.out);
  const partial = partialFileFor(out);
  const lora = typeof o.lora === 'string' ? o.lora : o.lora?.path;
  assertOutputsAreNotInputs(
    [{ label: '--out', path: out }, { label: 'the notes-in-progress file', path: partial }],
    [{ label: 'split file', path: split.file }, isRemoteSpec(source) ? undefined : { label: 'model file', path: source.path }, lora ? { label: 'LoRA adapter', path: lora } : undefined],
  );
  const checksum = settingsChecksum(source, split.file, o);
  if (o.restart) rmSync(partial, { force: true });
  const done = existsSync(partial) ? readPartial(partial, checksum) : new Map<string, PartialLine>();
  if (!existsSync(partial)) writeFileSync(partial, JSON.stringify({ checksum, split: split.file, model: isRemoteSpec(source) ? `${source.baseUrl} ${source.model}` : source.path, startedAt: new Date().toISOString() }) + '\n');
  const resumed = encounters.filter((e) => done.has(e.encounterId)).length;
  const todo = encounters.filter((e) => !done.has(e.encounterId));
  let generated = 0;
  let tokens = 0;
  o.progress?.report(resumed, encounters.length, resumed ? `${resumed} from the earlier run` : undefined);

  if (todo.length) {
    const parallel = Math.max(1, Math.min(o.parallel ?? 1, todo.length));
    const gen = await openNoteSource(source, {
      sequences: parallel,
      ...(o.lora ? { lora: o.lora } : {}),
      ...(o.contextSize ? { contextSize: o.contextSize } : {}),
      ...(o.template ? { template: o.template } : {}),
      ...(o.systemPrompt ? { systemPrompt: o.systemPrompt } : {}),
      ...(o.maxPromptTokens ? { maxPromptTokens: o.maxPromptTokens } : {}),
    });
    const queue = [...todo];
    const genOptions: GenerateOptions = {
      ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.topP !== undefined ? { topP: o.topP } : {}),
      ...(o.topK !== undefined ? { topK: o.topK } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.grammar !== undefined ? { grammar: o.grammar } : {}),
    };
    const worker = async () => {
      for (let e: Encounter | undefined; (e = queue.shift()) && !o.signal?.aborted; ) {
        const r = await gen.generate(o.scrubIdentifiers ? scrubEncounter(e) : e, { ...genOptions, ...(o.signal ? { signal: o.signal } : {}) });
        if (r.stopReason === 'abort') break; // an unfinished note is not kept
        const line: PartialLine = { encounterId: e.encounterId, dataset: e.dataset, note: r.text, tokens: r.generatedTokens, stop: r.stopReason };
        appendFileSync(partial, JSON.stringify(line) + '\n');
        done.set(e.encounterId, line);
        generated++;
        tokens += r.generatedTokens;
        o.progress?.report(resumed + generated, encounters.length, e.encounterId);
      }
    };
    try {
      await Promise.all(Array.from({ length: parallel }, worker));
    } finally {
      await gen.dispose();
    }
  }
  const complete = encounters.every((e) => done.has(e.encounterId));
  const lines = encounters.map((e) => done.get(e.encounterId)).filter((l): l is PartialLine => !!l);
  const cutAtMaxTokens = lines.filter((l) => l.stop === 'maxTokens' || l.stop === 'length').map((l) => l.encounterId);
  const blank = lines.filter((l) => !l.note.trim()).map((l) => l.encounterId);
  if (complete) {
    const rows = encounters.map((e) => [e.dataset, e.encounterId, e.dialogue, done.get(e.encounterId)!.note]);
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], rows));
      renameSync(tmp, out);
    } catch (e) {
      throw new MedigenError(`Could not write ${out}: ${(e as Error).message}.`, 'Check the folder exists and you may write there; the generated notes are kept in the .partial.jsonl file, so running again resumes.');
    }
    rmSync(partial, { force: true });
    // What these predictions were made from: package versions, git commit, hashes, every setting.
    const lora = typeof o.lora === 'string' ? { path: o.lora } : o.lora;
    const manifest = await buildManifest(
      'predictions',
      {
        split: o.split,
        splitFile: split.file,
        encounters: encounters.length,
        limit: o.limit ?? null,
        model: isRemoteSpec(source) ? { endpoint: source.baseUrl, model: source.model } : source.path,
        lora: lora ? { path: resolve(lora.path), scale: lora.scale ?? 1 } : null,
        template: o.template ?? null,
        systemPrompt: o.systemPrompt ?? null,
        templateSha256: sha256Text(JSON.stringify(noteMessages({ dataset: '', encounterId: '', dialogue: '{{dialogue}}', note: '' }, { ...(o.template ? { template: o.template } : {}), ...(o.systemPrompt ? { systemPrompt: o.systemPrompt } : {}) }))),
        maxTokens: o.maxTokens ?? 1024,
        temperature: o.temperature ?? 0,
        topP: o.topP ?? 0.95,
        topK: o.topK ?? 40,
        seed: o.seed ?? 0,
        grammar: o.grammar ?? 'free',
        contextSize: o.contextSize ?? null,
        parallel: o.parallel ?? 1,
        scrubIdentifiers: o.scrubIdentifiers ?? false,
        settingsChecksum: checksum,
      },
      { data: split.file, model: isRemoteSpec(source) ? undefined : source.path, adapter: lora?.path },
    );
    writeManifest(manifestFileFor(out), manifest);
  }
  return { out, total: encounters.length, generated, resumed, complete, generatedTokens: tokens, seconds: (performance.now() - start) / 1000, cutAtMaxTokens, blank };
}
