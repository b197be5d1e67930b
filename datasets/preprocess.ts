/**
 * Preprocessing of ACI-BENCH text as a list of named steps a student can read, switch on and off,
 * and watch at work. Each step is a pure function from text to text; a pipeline runs the switched-on
 * steps in the fixed order of `PREPROCESS_STEPS`.
 */
import { MedigenError } from '../core/index';
import type { Progress } from '../core/index';
import type { Encounter } from './types';

export type StepName = 'normalizeSpecialChars' | 'fixAsrPunctuationSpacing' | 'joinSplitContractions' | 'normalizeSpeakerTags' | 'dropEmptyLines' | 'normalizeWhitespace';

export interface PreprocessStep {
  name: StepName;
  /** One line for lists. */
  title: string;
  /** What the step changes, with an example, for students. */
  description: string;
  /** Whether the default pipeline runs it. */
  defaultOn: boolean;
  run(text: string): string;
}

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const ZERO_WIDTH = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/g;

/** Smart quotes → straight quotes, dashes → "-", odd spaces → " ", zero-width characters removed, "…" → "...". */
export function normalizeSpecialChars(text: string): string {
  return text.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-').replace(SPACES, ' ').replace(ZERO_WIDTH, '').replace(/\u2026/g, '...');
}

/**
 * Removes the space an ASR transcript puts before punctuation: `i , i just` → `i, i just`,
 * `okay .` → `okay.`, `really ?` → `really?`. Only a mark that stands alone (followed by a space,
 * a line end or another mark) is moved, so decimals (`.5 mg`), abbreviations (`dr. smith`), times
 * (`10:30`) and ratios are never touched. Speaker tags and line breaks stay where they are.
 */
export function fixAsrPunctuationSpacing(text: string): string {
  const once = (t: string) =>
    t.replace(/(\S)[ \t]+([,.;:?!]+)(?=[ \t]|\r?\n|$)/g, (all, before: string, marks: string) =>
      // `[doctor] .` keeps its space: the mark belongs to the turn, not to the tag.
      before === ']' ? all : `${before}${marks}`,
    );
  // Runs like `well . . .` need more than one pass; each pass only removes spaces, so this ends.
  let prev = text;
  for (let next = once(prev); next !== prev; next = once(prev)) prev = next;
  return prev;
}

const CONTRACTIONS: [RegExp, string][] = [
  [/\b(ca|do|does|did|is|are|was|were|has|have|had|would|could|should|wo|ai|must|need)[ \t]+n't\b/gi, "$1n't"],
  [/\b(gon|wan|got)[ \t]+(na|ta)\b/gi, '$1$2'],
  [/\b(\w+)[ \t]+('(?:s|re|ve|ll|d|m))\b/gi, '$1$2'],
];

/** Joins contractions split by the transcript's tokenizer: `do n't` → `don't`, `gon na` → `gonna`, `it 's` → `it's`. */
export function joinSplitContractions(text: string): string {
  let out = text;
  for (const [rx, to] of CONTRACTIONS) out = out.replace(rx, to);
  return out;
}

/** Writes every speaker tag the same way: `[ Doctor ]` → `[doctor]`, `[Patient Guest]` → `[patient_guest]`. */
export function normalizeSpeakerTags(text: string): string {
  return text.replace(/^([ \t]*)\[[ \t]*([A-Za-z][A-Za-z0-9_ -]{0,40}?)[ \t]*\]/gm, (_all, _lead: string, tag: string) => `[${tag.toLowerCase().replace(/[ -]+/g, '_')}]`);
}

/** Removes empty and whitespace-only lines (useful for dialogues; notes need their blank lines). */
export function dropEmptyLines(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .join('\n');
}

/**
 * Tidies whitespace: CRLF → LF, tabs → spaces, runs of spaces → one, no spaces at line ends, at most
 * one blank line in a row, nothing at the start or end of the text.
 */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Every preprocessing step, in the order a pipeline runs them. */
export const PREPROCESS_STEPS: readonly PreprocessStep[] = [
  { name: 'normalizeSpecialChars', title: 'Normalize special characters', defaultOn: true, run: normalizeSpecialChars, description: 'Smart quotes become straight quotes, long dashes become "-", non-breaking and other odd spaces become plain spaces, zero-width characters are removed. Models and tokenizers then see one form of each character.' },
  { name: 'fixAsrPunctuationSpacing', title: 'Fix ASR spacing around punctuation', defaultOn: true, run: fixAsrPunctuationSpacing, description: 'Speech-recognition transcripts put a space before punctuation ("i , i just" → "i, i just", "okay ." → "okay."). Decimals such as ".5 mg" and abbreviations such as "dr. smith" are left alone.' },
  { name: 'joinSplitContractions', title: 'Join split contractions', defaultOn: false, run: joinSplitContractions, description: 'Rejoins words the transcript tokenizer split: "do n\'t" → "don\'t", "gon na" → "gonna". Off by default: it changes words, not only spacing.' },
  { name: 'normalizeSpeakerTags', title: 'Normalize speaker tags', defaultOn: false, run: normalizeSpeakerTags, description: 'Writes every speaker tag in lower case without spaces: "[ Doctor ]" → "[doctor]", "[Patient Guest]" → "[patient_guest]".' },
  { name: 'dropEmptyLines', title: 'Drop empty lines', defaultOn: false, run: dropEmptyLines, description: 'Removes blank lines. Meant for dialogues: in notes, blank lines separate the sections.' },
  { name: 'normalizeWhitespace', title: 'Normalize whitespace', defaultOn: true, run: normalizeWhitespace, description: 'Tabs and runs of spaces become one space, spaces at line ends go, at most one blank line in a row is kept, and the text is trimmed.' },
];

/** Which steps run: `{normalizeWhitespace: true, fixAsrPunctuationSpacing: false, ...}`; steps not named keep their default. */
export type PreprocessConfig = Partial<Record<StepName, boolean>>;

/** The columns preprocessing may change. */
export type TextField = 'dialogue' | 'note';

/** The step names, for messages and CLI parsing. */
export const STEP_NAMES: readonly StepName[] = PREPROCESS_STEPS.map((s) => s.name);

/** The steps a config switches on, in pipeline order. Defaults to each step's `defaultOn`. */
export function enabledSteps(config: PreprocessConfig = {}): PreprocessStep[] {
  for (const [k, v] of Object.entries(config)) {
    if (!(STEP_NAMES as readonly string[]).includes(k)) {
      const meant = STEP_NAMES.find((n) => n.toLowerCase() === k.toLowerCase() || n.toLowerCase().replace(/s$/, '') === k.toLowerCase().replace(/s$/, ''));
      throw new MedigenError(`"${k}" is not a preprocessing step.${meant ? ` Did you mean "${meant}"? Names are written exactly, capitals included.` : ''}`, `The steps are: ${STEP_NAMES.join(', ')}.`);
    }
    if (v !== undefined && typeof v !== 'boolean') {
      throw new MedigenError(`The step "${k}" is set to ${JSON.stringify(v)}; a step is switched on with true or off with false.`, `Write ${k}: true or ${k}: false, without quotes.`);
    }
  }
  return PREPROCESS_STEPS.filter((s) => config[s.name] ?? s.defaultOn);
}

/** Runs the switched-on steps over one text. Defaults to the default pipeline. */
export function preprocessText(text: string, config: PreprocessConfig = {}): string {
  let out = text;
  for (const s of enabledSteps(config)) out = s.run(out);
  return out;
}

export interface PreprocessOptions {
  /** Steps to run. Defaults to the default pipeline. */
  config?: PreprocessConfig;
  /** Columns to change. Defaults to ['dialogue']: the notes are the references evaluation compares against. */
  fields?: readonly TextField[];
  progress?: Progress;
  signal?: AbortSignal;
}

/** Returns a preprocessed copy of one encounter (other fields unchanged). */
export function preprocessEncounter(e: Encounter, options: PreprocessOptions = {}): Encounter {
  const fields = options.fields ?? ['dialogue'];
  const steps = enabledSteps(options.config);
  const apply = (t: string) => steps.reduce((acc, s) => s.run(acc), t);
  return { ...e, dialogue: fields.includes('dialogue') ? apply(e.dialogue) : e.dialogue, note: fields.includes('note') ? apply(e.note) : e.note };
}

/** Preprocesses a whole split; reports progress per encounter and stops when `signal` aborts. */
export function preprocessEncounters(encounters: readonly Encounter[], options: PreprocessOptions = {}): Encounter[] {
  enabledSteps(options.config);
  const out: Encounter[] = [];
  encounters.forEach((e, k) => {
    if (options.signal?.aborted) throw new MedigenError('Preprocessing was cancelled.', 'Run it again when you are ready.');
    out.push(preprocessEncounter(e, options));
    options.progress?.report(k + 1, encounters.length, e.encounterId);
  });
  return out;
}

export interface StepEffect {
  step: StepName;
  title: string;
  /** Lines (1-based) this step changed, with their text before and after the step. */
  changes: { line: number; before: string; after: string }[];
}

/**
 * Before/after of each switched-on step on a text, line by line, so a student can see what every
 * step did. Steps that change the number of lines are shown as one whole-text change.
 */
export function explainPreprocessing(text: string, config: PreprocessConfig = {}): { before: string; after: string; steps: StepEffect[] } {
  let cur = text;
  const steps: StepEffect[] = [];
  for (const s of enabledSteps(config)) {
    const next = s.run(cur);
    const a = cur.split('\n');
    const b = next.split('\n');
    const changes: StepEffect['changes'] = [];
    if (a.length === b.length) {
      a.forEach((l, k) => {
        if (l !== b[k]) changes.push({ line: k + 1, before: l, after: b[k]! });
      });
    } else if (cur !== next) {
      changes.push({ line: 1, before: `(${a.length} lines)`, after: `(${b.length} lines)` });
    }
    steps.push({ step: s.name, title: s.title, changes });
    cur = next;
  }
  return { before: text, after: cur, steps };
}
