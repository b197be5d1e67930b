/**
 * The data a fine-tuning run trains on, checked before anything is launched: a split name (read
 * from the corpus the config names), an ACI-BENCH CSV/JSON file, or an instruction JSONL. Every
 * example must have a dialogue and a note; a file that is not instruction data is refused with
 * the file, the line and what to do. Examples are written in chat form (system, user, assistant),
 * built by datasets/instructions.ts, the same builder `medigen generate` uses for its prompts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { buildInstructionData, isSplitName, loadSplit, resolveCorpusDir, sampleCorpusDir, type ChatExample, type Encounter, type InstructionOptions, type LengthReport } from '../../datasets/index';

/** Which corpus a run reads its splits from, and why that one. */
export interface CorpusChoice {
  dir: string;
  /** 'setting' (data.corpus or --corpus), 'ACI_BENCH_DIR', or 'sample' (the 3-encounter sample shipped with MediGen Lab). */
  from: 'setting' | 'ACI_BENCH_DIR' | 'sample';
}

/** The corpus folder split names are read from: the setting, else ACI_BENCH_DIR, else the sample. */
export function chooseCorpus(setting?: string): CorpusChoice {
  const from: CorpusChoice['from'] = setting ? 'setting' : process.env.ACI_BENCH_DIR ? 'ACI_BENCH_DIR' : 'sample';
  return { dir: resolveCorpusDir(setting ?? process.env.ACI_BENCH_DIR ?? sampleCorpusDir()), from };
}

/** One sentence for the user: which corpus, and what to do when it is only the sample. */
export function describeCorpus(c: CorpusChoice): string {
  if (c.from === 'sample') return `Corpus: ${c.dir}, the 3-encounter synthetic sample shipped with MediGen Lab (neither data.corpus nor ACI_BENCH_DIR is set). To train on ACI-BENCH, set "data.corpus" in the config or pass --corpus <ACI-BENCH folder>.`;
  return `Corpus: ${c.dir} (from ${c.from === 'setting' ? 'data.corpus / --corpus' : 'ACI_BENCH_DIR'}).`;
}

/** The examples of one side of a run (train or valid), as JSONL lines in chat form. */
export interface TrainingData {
  /** Where they came from (a split file or the JSONL given). */
  file: string;
  lines: string[];
  report?: LengthReport;
}

function refuse(file: string, what: string): never {
  throw new MedigenError(`${file} cannot be trained on: ${what}.`, 'Give data.train / data.valid a split name (train, valid) with data.corpus set to your ACI-BENCH folder, an ACI-BENCH CSV (dataset, encounter_id, dialogue, note), or an instruction JSONL from `medigen data export --format chat`.');
}

/** Checks one line of an instruction JSONL and returns it in chat form. */
export function checkInstructionLine(value: unknown, where: string, systemPrompt: string): ChatExample {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} is not a JSON object`);
  const o = value as Record<string, unknown>;
  let system: string;
  let user: string;
  let note: string;
  if (Array.isArray(o.messages)) {
    const by = (role: string) => {
      const m = (o.messages as { role?: unknown; content?: unknown }[]).find((x) => x && x.role === role);
      return typeof m?.content === 'string' ? m.content : '';
    };
    system = by('system') || systemPrompt;
    user = by('user');
    note = by('assistant');
  } else if ('output' in o && ('instruction' in o || 'input' in o)) {
    const instruction = String(o.instruction ?? '').trim();
    const input = String(o.input ?? '').trim();
    system = systemPrompt;
    user = input ? `${instruction}\n\n${input}` : instruction;
    note = String(o.output ?? '');
  } else {
    throw new Error(`${where} has neither "messages" nor "instruction"/"input"/"output" (its keys: ${Object.keys(o).join(', ') || 'none'})`);
  }
  if (!user.trim()) throw new Error(`${where} has an empty prompt (no instruction or dialogue)`);
  if (!note.trim()) throw new Error(`${where} has an empty note (nothing to learn from)`);
  return { messages: [{ role: 'system', content: system }, { role: 'user', content: user }, { role: 'assistant', content: note }] };
}

/** Reads and checks an instruction JSONL (chat or instruction/input/output form). */
export function readInstructionJsonl(file: string, systemPrompt: string): TrainingData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new MedigenError(`The training data ${file} cannot be read.`, 'Check the path in data.train / data.valid.');
  }
  const lines: string[] = [];
  text.split('\n').forEach((line, k) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      refuse(file, `line ${k + 1} is not JSON`);
    }
    try {
      lines.push(JSON.stringify(checkInstructionLine(parsed, `line ${k + 1}`, systemPrompt)));
    } catch (e) {
      refuse(file, (e as Error).message);
    }
  });
  if (!lines.length) refuse(file, 'it has no examples');
  return { file, lines };
}

/** Checks the encounters of a split: each needs a dialogue and a note. */
export function checkEncounters(file: string, encounters: readonly Encounter[]): void {
  if (!encounters.length) refuse(file, 'it has no encounters');
  for (const [k, e] of encounters.entries()) {
    const where = e.source ? `line ${e.source.line}` : `row ${k + 1}`;
    if (!e.dialogue.trim()) refuse(file, `${where} (encounter ${e.encounterId || '?'}) has an empty dialogue`);
    if (!e.note.trim()) refuse(file, `${where} (encounter ${e.encounterId || '?'}) has an empty note`);
  }
}

/**
 * The training examples for a data reference: an instruction JSONL is checked and converted to chat
 * form; a split name or CSV/JSON file is loaded (split names from `corpusDir`), checked, and built
 * into chat examples with the template and system prompt.
 */
export function trainingData(ref: string, corpusDir: string, options: InstructionOptions & { maxTokens: number; systemPrompt: string }): TrainingData {
  if (/\.jsonl$/i.test(ref)) return readInstructionJsonl(resolve(ref), options.systemPrompt);
  const split = loadSplit(ref, isSplitName(ref) ? corpusDir : undefined);
  const errors = split.problems.filter((p) => p.severity === 'error');
  if (errors.length) refuse(split.file, `${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more problems; \`medigen data validate ${split.file}\` lists them)` : ''}`);
  checkEncounters(split.file, split.encounters);
  const { lines, report } = buildInstructionData(split.encounters, { ...options, format: 'chat' });
  return { file: split.file, lines, report };
}
