/**
 * Instruction data for fine-tuning: each encounter becomes an example in the MediGen study's
 * instruction / input / output form (Alpaca style) or in chat-messages form, from an editable
 * template. A length report shows which examples do not fit a model's context budget.
 */
import { MedigenError, readUserText } from '../core/index';
import type { Progress } from '../core/index';
import { countWhitespaceTokens, type TokenCounter } from './tokens';
import type { Encounter } from './types';

/** The default instruction: a SOAP note in ACI-BENCH's section style. */
export const DEFAULT_INSTRUCTION = [
  'Generate a clinical SOAP note from the following doctor-patient dialogue.',
  'Write it as the doctor would for the medical record, in the third person, using only facts stated in the dialogue; do not invent findings, results, doses or diagnoses.',
  'Use these section headers, each on its own line, and leave out a section the dialogue gives nothing for:',
  'CHIEF COMPLAINT',
  'HISTORY OF PRESENT ILLNESS',
  'REVIEW OF SYSTEMS',
  'PHYSICAL EXAMINATION',
  'RESULTS',
  'ASSESSMENT AND PLAN',
  'Under ASSESSMENT AND PLAN, list each problem with its assessment and the plan (medications with doses, tests, referrals, follow-up).',
].join('\n');

/** The default system prompt of the chat form. */
export const DEFAULT_SYSTEM_PROMPT = 'You are a careful clinical documentation assistant. You write accurate, concise clinical notes from doctor-patient conversations and never add information that was not said.';

/** Placeholders every template may use; `{{meta.<column>}}` reads a metadata column (e.g. `{{meta.patient_age}}`). */
export const TEMPLATE_FIELDS = ['dialogue', 'dataset', 'encounter_id'] as const;

export type ExportFormat = 'jsonl' | 'chat';

/** The study's form: the instruction, the dialogue as input, the note as output. */
export interface InstructionExample {
  instruction: string;
  input: string;
  output: string;
}

export interface ChatExample {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
}

export interface InstructionOptions {
  /**
   * The instruction template. With a `{{dialogue}}` placeholder the dialogue goes where it stands
   * (and `input` stays empty); without one, the dialogue is the `input` (chat: appended after a
   * blank line). Defaults to `DEFAULT_INSTRUCTION`.
   */
  template?: string;
  /** System prompt of the chat form. Defaults to `DEFAULT_SYSTEM_PROMPT`. */
  systemPrompt?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

/** Checks a template's placeholders; throws a MedigenError naming an unknown one. */
export function checkTemplate(template: string): void {
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name) && !name.startsWith('meta.')) {
      const meant = meantField(name);
      const guess = meant ? ` Did you mean {{${meant}}}? Placeholder names are written exactly, in small letters.` : '';
      throw new MedigenError(`The template uses an unknown placeholder {{${name}}}.${guess}`, `Use {{dialogue}}, {{dataset}}, {{encounter_id}} or {{meta.<column>}} (a column of the metadata file, e.g. {{meta.patient_age}}).`);
    }
  }
  const open = (template.match(/\{\{/g) ?? []).length;
  const close = (template.match(/\}\}/g) ?? []).length;
  if (open !== close) throw new MedigenError('The template has unbalanced {{ }} braces.', 'Write each placeholder as {{name}}, e.g. {{dialogue}}.');
}

/** The field a misspelled placeholder most likely meant: other capitals, `_` left out, or cut short ({{Dialogue}}, {{encounterId}}, {{dialog}}). */
function meantField(name: string): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_\s-]/g, '');
  const n = norm(name);
  return TEMPLATE_FIELDS.find((f) => norm(f) === n || (n.length >= 4 && (norm(f).startsWith(n) || n.startsWith(norm(f)))));
}

/** Reads a template file and checks it. */
export function readTemplate(file: string): string {
  const text = readUserText(file, 'template file');
  if (text.trim() === '') throw new MedigenError(`The template file ${file} is empty.`, 'Write the instruction into it, e.g. "Summarize this visit as a SOAP note:\\n\\n{{dialogue}}".');
  checkTemplate(text);
  return text.replace(/\s+$/, '');
}

/** Fills a template's placeholders from an encounter. A missing metadata column becomes "". */
export function renderTemplate(template: string, e: Encounter): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    if (name === 'dialogue') return e.dialogue;
    if (name === 'dataset') return e.dataset;
    if (name === 'encounter_id') return e.encounterId;
    if (name.startsWith('meta.')) return e.metadata?.[name.slice(5)] ?? '';
    return '';
  });
}

const hasDialogue = (t: string) => /\{\{\s*dialogue\s*\}\}/.test(t);

/** One encounter in instruction / input / output form. */
export function toInstructionExample(e: Encounter, options: InstructionOptions = {}): InstructionExample {
  const template = options.template ?? DEFAULT_INSTRUCTION;
  const instruction = renderTemplate(template, e);
  return hasDialogue(template) ? { instruction, input: '', output: e.note } : { instruction, input: e.dialogue, output: e.note };
}

/** One encounter in chat-messages form (system, user, assistant). */
export function toChatExample(e: Encounter, options: InstructionOptions = {}): ChatExample {
  const ex = toInstructionExample(e, options);
  const user = ex.input ? `${ex.instruction}\n\n${ex.input}` : ex.instruction;
  return {
    messages: [
      { role: 'system', content: options.systemPrompt ?? DEFAULT_SYSTEM_PROMPT },
      { role: 'user', content: user },
      { role: 'assistant', content: ex.output },
    ],
  };
}

/** Length of one example against a context budget. */
export interface ExampleLength {
  encounterId: string;
  /** Tokens of everything before the answer (instruction, input, system prompt). */
  promptTokens: number;
  /** Tokens of the answer (the note). */
  outputTokens: number;
  total: number;
  /** Tokens over the budget (0 when it fits). */
  over: number;
}

export interface LengthReport {
  /** 'whitespace' or the tokenizer's name. */
  counter: string;
  budget: number;
  examples: ExampleLength[];
  /** Examples that do not fit and would be truncated in training. */
  overBudget: ExampleLength[];
  meanTotal: number;
  maxTotal: number;
}

export interface ExportOptions extends InstructionOptions {
  format?: ExportFormat;
  /** Context budget in tokens. Defaults to 4096. */
  maxTokens?: number;
  /** Counts model tokens. Defaults to whitespace tokens. */
  tokenizer?: TokenCounter;
  progress?: Progress;
  signal?: AbortSignal;
}

/** Default context budget: 4096 tokens. */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Builds the examples of a split as JSONL lines (one JSON object per line) and measures each one
 * against the context budget. Format defaults to 'jsonl' (instruction / input / output).
 */
export function buildInstructionData(encounters: readonly Encounter[], options: ExportOptions = {}): { lines: string[]; report: LengthReport } {
  if (options.template !== undefined) checkTemplate(options.template);
  const format = options.format ?? 'jsonl';
  const budget = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(budget) || budget <= 0) throw new MedigenError(`The token budget ${budget} is not a positive whole number.`, 'Give --max-tokens the context length of your model, e.g. 4096 or 8192.');
  const count = options.tokenizer ? (t: string) => options.tokenizer!.count(t) : countWhitespaceTokens;
  const lines: string[] = [];
  const examples: ExampleLength[] = [];
  encounters.forEach((e, k) => {
    if (options.signal?.aborted) throw new MedigenError('The export was cancelled.', 'Run it again when you are ready.');
    let promptTokens: number;
    let outputTokens: number;
    if (format === 'chat') {
      const ex = toChatExample(e, options);
      lines.push(JSON.stringify(ex));
      promptTokens = count(ex.messages[0]!.content) + count(ex.messages[1]!.content);
      outputTokens = count(ex.messages[2]!.content);
    } else {
      const ex = toInstructionExample(e, options);
      lines.push(JSON.stringify(ex));
      promptTokens = count(ex.instruction) + count(ex.input);
      outputTokens = count(ex.output);
    }
    const total = promptTokens + outputTokens;
    examples.push({ encounterId: e.encounterId, promptTokens, outputTokens, total, over: Math.max(0, total - budget) });
    options.progress?.report(k + 1, encounters.length, e.encounterId);
  });
  const totals = examples.map((x) => x.total);
  const report: LengthReport = {
    counter: options.tokenizer?.name ?? 'whitespace',
    budget,
    examples,
    overBudget: examples.filter((x) => x.over > 0),
    meanTotal: totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : 0,
    maxTotal: totals.length ? Math.max(...totals) : 0,
  };
  return { lines, report };
}
