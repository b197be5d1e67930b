/**
 * The run form's fields, grouped as the study describes a run (model, data, QLoRA, LoRA,
 * training), and the conversions between a TrainConfig and what the form's inputs hold. Pure
 * (no Node, no vscode): the form's webview script and the extension both use it.
 */
import type { TrainConfig } from '../../models/train/index';

/** How a field is edited in the form. */
export type FieldKind = 'text' | 'number' | 'select' | 'checkbox' | 'list';

/** One input of the run form. */
export interface FormField {
  /** The setting's JSON path in TrainConfig (e.g. `lora.r`), as validateTrainConfig reports it. */
  path: string;
  label: string;
  kind: FieldKind;
  /** What the setting does, shown under the input. */
  help: string;
  /** Choices of a select. */
  options?: string[];
  /** An optional text setting: left empty, it is left out of the config. Defaults to false. */
  optional?: boolean;
}

/** A titled group of fields. */
export interface FormGroup {
  id: 'model' | 'data' | 'qlora' | 'lora' | 'training';
  title: string;
  fields: FormField[];
}

/** Every field of the run form, in display order. */
export const TRAIN_FORM_GROUPS: FormGroup[] = [
  {
    id: 'model',
    title: 'Model',
    fields: [
      { path: 'baseModel', label: 'Base model', kind: 'text', help: 'A downloaded Hugging Face model folder (with config.json), or a hub id already in your local cache.' },
      { path: 'device', label: 'Device', kind: 'select', options: ['auto', 'cuda', 'cpu'], help: 'auto and cuda need an NVIDIA GPU. cpu trains plain LoRA in float32: only for tiny models and trying the loop.' },
      { path: 'name', label: 'Run name', kind: 'text', optional: true, help: 'Folder name of this run. Empty: a timestamp such as run-20261122-101500.' },
      { path: 'runsDir', label: 'Runs folder', kind: 'text', help: 'Where runs are kept (relative to the training folder, or absolute).' },
    ],
  },
  {
    id: 'data',
    title: 'Data',
    fields: [
      { path: 'data.train', label: 'Training split', kind: 'text', help: 'A split name (train) or an ACI-BENCH CSV file.' },
      { path: 'data.valid', label: 'Validation split', kind: 'text', help: 'A split name (valid) or an ACI-BENCH CSV file; its loss shows whether the model generalizes.' },
      { path: 'data.corpus', label: 'Corpus folder', kind: 'text', optional: true, help: 'The ACI-BENCH folder. Empty: ACI_BENCH_DIR, else the small sample shipped with MediGen Lab.' },
      { path: 'data.template', label: 'Instruction template', kind: 'text', optional: true, help: 'A template file. Empty: the study\'s SOAP-note instruction.' },
      { path: 'data.maxSeqLength', label: 'Max sequence length (tokens)', kind: 'number', help: 'Longer examples are truncated. Shorter sequences need less GPU memory.' },
    ],
  },
  {
    id: 'qlora',
    title: 'QLoRA (4-bit base model)',
    fields: [
      { path: 'quantization.load4bit', label: 'Load the base model in 4-bit', kind: 'checkbox', help: 'QLoRA: the frozen base weights take a quarter of the memory.' },
      { path: 'quantization.doubleQuant', label: 'Double quantization', kind: 'checkbox', help: 'Quantizes the quantization constants too (saves about 0.4 bit per parameter).' },
      { path: 'quantization.quantType', label: '4-bit type', kind: 'select', options: ['nf4', 'fp4'], help: 'nf4 (NormalFloat) is what the QLoRA paper recommends.' },
      { path: 'quantization.computeDtype', label: 'Compute type', kind: 'select', options: ['bfloat16', 'float16'], help: 'bfloat16 on recent GPUs (Ampere or newer); float16 on older ones.' },
    ],
  },
  {
    id: 'lora',
    title: 'LoRA',
    fields: [
      { path: 'lora.r', label: 'Rank r', kind: 'number', help: 'Size of the low-rank update. Higher: more capacity, more memory.' },
      { path: 'lora.alpha', label: 'Alpha', kind: 'number', help: 'Scale of the update (alpha / r). Often 2 × r.' },
      { path: 'lora.dropout', label: 'Dropout', kind: 'number', help: 'Dropout on the LoRA input, against overfitting a small dataset.' },
      { path: 'lora.targetModules', label: 'Target modules', kind: 'list', help: 'Comma-separated layer names that get an adapter (q_proj, k_proj, ...).' },
    ],
  },
  {
    id: 'training',
    title: 'Training',
    fields: [
      { path: 'training.epochs', label: 'Epochs', kind: 'number', help: 'Passes over the training split.' },
      { path: 'training.maxSteps', label: 'Max steps', kind: 'number', help: 'Stop after this many optimizer steps (0: run all epochs).' },
      { path: 'training.learningRate', label: 'Learning rate', kind: 'number', help: 'Peak learning rate (2e-4 is the QLoRA default).' },
      { path: 'training.batchSize', label: 'Batch size', kind: 'number', help: 'Examples per forward pass. Batch size 1 needs the least memory.' },
      { path: 'training.gradientAccumulation', label: 'Gradient accumulation', kind: 'number', help: 'Batches per optimizer step: effective batch = batch size × this.' },
      { path: 'training.schedule', label: 'Learning-rate schedule', kind: 'select', options: ['cosine', 'linear', 'constant'], help: 'How the learning rate falls after warm-up.' },
      { path: 'training.warmupRatio', label: 'Warm-up ratio', kind: 'number', help: 'Share of the steps spent raising the learning rate from 0.' },
      { path: 'training.weightDecay', label: 'Weight decay', kind: 'number', help: 'AdamW weight decay on the LoRA weights.' },
      { path: 'training.gradientCheckpointing', label: 'Gradient checkpointing', kind: 'checkbox', help: 'Recomputes activations in the backward pass: much less memory, about 30% slower.' },
      { path: 'training.seed', label: 'Seed', kind: 'number', help: 'Random seed, so a run can be repeated.' },
      { path: 'training.logEvery', label: 'Log every (steps)', kind: 'number', help: 'How often the loss is reported.' },
      { path: 'training.evalEvery', label: 'Validate every (steps)', kind: 'number', help: 'How often the validation loss is computed.' },
      { path: 'training.checkpointEvery', label: 'Checkpoint every (steps)', kind: 'number', help: 'How often a resumable checkpoint is saved.' },
      { path: 'training.liveRougeSamples', label: 'Live ROUGE: notes per evaluation', kind: 'number', help: 'Before training and at each validation, notes are written for this many validation encounters (always the same ones) and scored with ACI-BENCH\'s ROUGE, drawn beside the loss. 0 turns it off.' },
      { path: 'training.liveRougeMaxTokens', label: 'Live ROUGE: max tokens per note', kind: 'number', help: 'Longest note live ROUGE writes. Longer notes score more truly but take longer.' },
    ],
  },
];

/** The cost of live ROUGE with these inputs, in words (the form shows it under the live-ROUGE fields); '' when they are not valid numbers. */
export function liveRougeCostText(samples: unknown, maxTokens: unknown): string {
  const n = Number(samples);
  const t = Number(maxTokens);
  if (String(samples).trim() === '' || !Number.isInteger(n) || n < 0) return '';
  if (n === 0) return 'Live ROUGE is off: only the losses are drawn while the model trains.';
  if (String(maxTokens).trim() === '' || !Number.isInteger(t) || t < 1) return '';
  return `Cost: generates ${n} note${n === 1 ? '' : 's'} of up to ${t} tokens before training and at each validation, so every validation takes longer (on a GPU, seconds to a minute for an 8B model; the dashboard shows the time it took).`;
}

/** Every field, in display order. */
export function formFields(): FormField[] {
  return TRAIN_FORM_GROUPS.flatMap((g) => g.fields);
}

/** The value at a dotted path (undefined when any part is missing). */
export function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** A copy of `obj` with `value` at a dotted path (undefined deletes the key). */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
  } else {
    copy[head!] = setPath((copy[head!] ?? {}) as Record<string, unknown>, rest.join('.'), value);
  }
  return copy as T;
}

/** What a field's input shows for a config: text for text-like inputs, a boolean for checkboxes. */
export function displayValue(field: FormField, config: unknown): string | boolean {
  const v = getPath(config, field.path);
  if (field.kind === 'checkbox') return v === true;
  if (v === undefined || v === null) return '';
  if (field.kind === 'list' && Array.isArray(v)) return v.join(', ');
  return String(v);
}

/**
 * The config value of what an input holds. Numbers that do not parse stay text, so validation
 * names the field ("must be a number") instead of silently using 0; an empty optional text
 * field is left out (undefined).
 */
export function parseFieldInput(field: FormField, raw: string | boolean): unknown {
  if (field.kind === 'checkbox') return raw === true || raw === 'true';
  const text = String(raw).trim();
  if (field.kind === 'number') {
    const n = Number(text);
    return text !== '' && Number.isFinite(n) ? n : text;
  }
  if (field.kind === 'list') return text.split(/[\s,]+/).filter(Boolean);
  if (field.optional && text === '') return undefined;
  return text;
}

/** Applies every input value (by field path) to a config, returning the new config. */
export function applyFormInputs(config: TrainConfig, inputs: Record<string, string | boolean>): TrainConfig {
  let out: TrainConfig = config;
  for (const f of formFields()) if (f.path in inputs) out = setPath(out, f.path, parseFieldInput(f, inputs[f.path]!));
  return out;
}
