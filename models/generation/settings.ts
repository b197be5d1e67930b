/**
 * The note-generation settings (`medigenLab.*` in package.json) as one plain object, checked, with
 * the same defaults package.json declares. Plain Node: no `vscode` import, so it is unit-tested.
 */
import { cpus, homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { MedigenError } from '../../core/index';
import { resolveSettings } from '../llm/index';
import { isRemoteRef } from '../llm/index';

/** Everything that decides how a note is generated. */
export interface GenerationSettings {
  /** A .gguf path or an hf: URI. Defaults to '' (none: the user is offered the tiny test model or a file). */
  model: string;
  /** A LoRA adapter .gguf applied on top of the model. Defaults to '' (none). */
  lora: string;
  /** How strongly the adapter is applied. Defaults to 1. */
  loraScale: number;
  /** 'soap' forces ACI-BENCH's SOAP section headers; 'free' lets the model write anything. Defaults to 'soap'. */
  grammar: 'soap' | 'free';
  /** Sampling temperature; 0 always takes the most likely word. Defaults to 0. */
  temperature: number;
  /** Nucleus sampling threshold. Defaults to 0.95. */
  topP: number;
  /** Most tokens to generate for one note. Defaults to 1024. */
  maxTokens: number;
  /** Sampling seed: the same seed and settings give the same note. Defaults to 0. */
  seed: number;
  /** Generation threads; 0 picks them for this machine (1 on 2 cores). Defaults to 0. */
  threads: number;
  /** Base URL (with /v1) of an OpenAI-compatible server; used only when set. Defaults to ''. */
  endpoint: string;
  /** The model name the endpoint serves. Defaults to '' (the endpoint's only model). */
  endpointModel: string;
}

/** The defaults, identical to the `default`s in package.json's configuration. */
export const DEFAULT_GENERATION_SETTINGS: Readonly<GenerationSettings> = {
  model: '',
  lora: '',
  loraScale: 1,
  grammar: 'soap',
  temperature: 0,
  topP: 0.95,
  maxTokens: 1024,
  seed: 0,
  threads: 0,
  endpoint: '',
  endpointModel: '',
};

/** The setting keys (without the `medigenLab.` prefix), in the order the settings UI shows them. */
export const GENERATION_SETTING_KEYS = Object.keys(DEFAULT_GENERATION_SETTINGS) as (keyof GenerationSettings)[];

function bad(key: string, value: unknown, want: string): MedigenError {
  return new MedigenError(`The setting medigenLab.${key} is ${JSON.stringify(value)}, which is not ${want}.`, `Open the settings (search "medigenLab.${key}") and give ${want}, or reset it to its default.`);
}

function num(raw: Record<string, unknown>, key: keyof GenerationSettings, min: number, max: number, integer: boolean): number {
  const v = raw[key] ?? DEFAULT_GENERATION_SETTINGS[key];
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw bad(key, v, `a ${integer ? 'whole ' : ''}number from ${min} to ${max}`);
  }
  return n;
}

function str(raw: Record<string, unknown>, key: keyof GenerationSettings): string {
  const v = raw[key] ?? DEFAULT_GENERATION_SETTINGS[key];
  if (typeof v !== 'string') throw bad(key, v, 'text');
  return v.trim();
}

/**
 * Checks raw setting values (as read from VS Code, possibly overridden by a caller) and fills in
 * the defaults. Throws a MedigenError naming the setting that is wrong.
 */
export function normalizeSettings(raw: Record<string, unknown>): GenerationSettings {
  const grammar = raw.grammar ?? DEFAULT_GENERATION_SETTINGS.grammar;
  if (grammar !== 'soap' && grammar !== 'free') throw bad('grammar', grammar, '"soap" or "free"');
  const endpoint = str(raw, 'endpoint');
  if (endpoint) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw bad('endpoint', endpoint, 'an http(s) URL such as http://localhost:8000/v1');
  }
  return {
    model: str(raw, 'model'),
    lora: str(raw, 'lora'),
    loraScale: num(raw, 'loraScale', 0, 4, false),
    grammar,
    temperature: num(raw, 'temperature', 0, 2, false),
    topP: num(raw, 'topP', 0.01, 1, false),
    maxTokens: num(raw, 'maxTokens', 1, 32768, true),
    seed: num(raw, 'seed', 0, 2 ** 31 - 1, true),
    threads: num(raw, 'threads', 0, 256, true),
    endpoint,
    endpointModel: str(raw, 'endpointModel'),
  };
}

/**
 * The thread count to pass to llama.cpp: the setting when it is above 0, else MEDIGEN_THREADS, else
 * the machine's default (1 on 2 cores or fewer, where more threads collapse throughput). Always a
 * deliberate number, never node-llama-cpp's own default. Defaults to the machine's CPU count for `cores`.
 */
export function effectiveThreads(threads: number, cores = cpus().length): number {
  return threads > 0 ? threads : resolveSettings({}, cores).threads;
}

/** True when notes go to a remote server (an endpoint is set) rather than a local model. */
export function usesEndpoint(settings: GenerationSettings): boolean {
  return settings.endpoint !== '';
}

/**
 * A path from a setting made absolute: `~/` is the home folder, a relative path is taken from
 * `baseDir` (the first workspace folder). URIs (hf:, https:) and '' are returned unchanged.
 * Defaults to the process's working folder for `baseDir`.
 */
export function resolveUserPath(value: string, baseDir?: string): string {
  if (!value || isRemoteRef(value)) return value;
  if (value === '~' || value.startsWith('~/')) return join(homedir(), value.slice(1));
  return isAbsolute(value) ? value : resolve(baseDir ?? process.cwd(), value);
}
