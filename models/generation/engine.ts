/**
 * The generation engine behind the editor commands: a local GGUF model (node-llama-cpp) that is
 * loaded once and reused until the model or thread setting changes, or an OpenAI-compatible
 * endpoint when one is set. Plain Node (no `vscode` import), so it is tested without VS Code.
 */
import { existsSync } from 'node:fs';
import { MedigenError, type Progress } from '../../core/index';
import { noteMessages, type Encounter } from '../../datasets/index';
import { loadLlm, NoteGenerator, type LoadedLlm } from '../llm/index';
import { listRemoteModels } from '../remote/index';
import { openNoteSource } from './source';
import { effectiveThreads, usesEndpoint, type GenerationSettings } from './settings';

/** What one generation may be given besides the settings. */
export interface EngineCallbacks {
  /** Receives text as it is generated. */
  onTextChunk?: (text: string) => void;
  /** Stops loading or generating; a stopped generation returns its text so far. */
  signal?: AbortSignal;
  /** Model loading, in percent (0..100). */
  loadProgress?: Progress;
  /** Download of an hf: model, in bytes. */
  downloadProgress?: Progress;
  /** API key for the endpoint. Defaults to none (MEDIGEN_API_KEY, if set). */
  apiKey?: string;
}

/** One generated note. */
export interface EngineResult {
  text: string;
  /** 'eogToken' / 'stop' (finished), 'maxTokens' / 'length' (cut at the limit), 'abort' (stopped). */
  stopReason: string;
  /** True when the note was stopped before it finished. */
  stopped: boolean;
  generatedTokens?: number;
  /** Tokens of the prompt (local models only). */
  promptTokens?: number;
  ms: number;
  backend: 'local' | 'remote';
  /** The model file (local) or the endpoint's model name. */
  model: string;
}

/** The prompt exactly as it is sent. */
export interface PromptView {
  /** Local: the text after the model's chat template, special tokens written out. Remote: the two messages. */
  text: string;
  /** Tokens the model sees (local models only; a remote server applies its own template). */
  tokenCount?: number;
  system: string;
  user: string;
  backend: 'local' | 'remote';
}

/** Contexts are never made smaller than this many tokens, nor (by default) larger than 8192. */
const DEFAULT_CONTEXT = 8192;

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

/** Loads models on demand, keeps the loaded one, and generates notes with it (or with an endpoint). */
export class GenerationEngine {
  private local?: { key: string; loaded: LoadedLlm };
  private gen?: { key: string; generator: NoteGenerator };
  private lock: Promise<unknown> = Promise.resolve();
  private active = 0;
  /** How many times a model file was loaded (a reused model does not count). */
  loads = 0;

  /** The local model loaded now, if any. */
  get loadedModel(): { path: string; name: string; threads: number } | undefined {
    return this.local && { path: this.local.loaded.path, name: this.local.loaded.summary.name, threads: this.local.loaded.settings.threads };
  }

  /** True while a note is being generated. */
  get busy(): boolean {
    return this.active > 0;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * The note generator for the settings: the loaded model is reused when the model and thread
   * settings are unchanged; a context holding at least `minContext` tokens (up to the model's
   * trained length) is created when the current one is smaller or the adapter changed.
   */
  generator(settings: GenerationSettings, cb: EngineCallbacks = {}, minContext = 0): Promise<NoteGenerator> {
    return this.serial(async () => {
      if (!settings.model) throw new MedigenError('No model is set for note generation.', 'Set medigenLab.model to a .gguf file (or an hf: URI), or run "MediGen Lab: Choose Model for Note Generation…".');
      const threads = effectiveThreads(settings.threads);
      const modelKey = `${settings.model}\n${threads}`;
      const genKey = `${settings.lora}\n${settings.lora ? settings.loraScale : ''}`;
      const needsModel = this.local?.key !== modelKey;
      const needsContext = needsModel || this.gen?.key !== genKey || (this.gen?.generator.contextSize ?? 0) < minContext;
      if (needsContext && this.active > 0) {
        throw new MedigenError('A note is still being generated with the model loaded now.', 'Wait for it to finish or stop it ("MediGen Lab: Stop Generation"), then try again.');
      }
      if (needsModel) {
        await this.unload();
        const loaded = await loadLlm(settings.model, {
          threads,
          contextSize: DEFAULT_CONTEXT,
          ...(cb.loadProgress ? { loadProgress: cb.loadProgress } : {}),
          ...(cb.downloadProgress ? { progress: cb.downloadProgress } : {}),
          ...(cb.signal ? { signal: cb.signal } : {}),
        });
        this.local = { key: modelKey, loaded };
        this.loads++;
      }
      if (needsContext || !this.gen) {
        const loaded = this.local!.loaded;
        if (settings.lora && !existsSync(settings.lora)) {
          throw new MedigenError(`The LoRA adapter ${settings.lora} (setting medigenLab.lora) does not exist.`, 'Fix the path in medigenLab.lora, or clear the setting to generate with the model alone.');
        }
        await this.gen?.generator.dispose();
        this.gen = undefined;
        const trained = loaded.summary.contextLength ?? DEFAULT_CONTEXT;
        const contextSize = Math.min(trained, Math.max(DEFAULT_CONTEXT, roundUp(minContext, 1024)));
        const generator = await NoteGenerator.create(loaded, {
          contextSize,
          threads,
          ...(settings.lora ? { lora: { path: settings.lora, scale: settings.loraScale } } : {}),
        });
        this.gen = { key: genKey, generator };
      }
      return this.gen!.generator;
    });
  }

  /** The prompt for a dialogue as the configured backend will receive it, with its token count when local. */
  async prompt(input: string | Encounter, settings: GenerationSettings, cb: EngineCallbacks = {}): Promise<PromptView> {
    if (usesEndpoint(settings)) {
      const { system, user } = noteMessages(input);
      return { text: `[system]\n${system}\n\n[user]\n${user}\n`, system, user, backend: 'remote' };
    }
    const g = await this.generator(settings, cb);
    const p = g.renderPrompt(input);
    return { text: p.text, tokenCount: p.tokens.length, system: p.system, user: p.user, backend: 'local' };
  }

  /** Generates one note, streaming its text to `cb.onTextChunk`. */
  async generate(input: string | Encounter, settings: GenerationSettings, cb: EngineCallbacks = {}): Promise<EngineResult> {
    return usesEndpoint(settings) ? this.generateRemote(input, settings, cb) : this.generateLocal(input, settings, cb);
  }

  private async generateLocal(input: string | Encounter, settings: GenerationSettings, cb: EngineCallbacks): Promise<EngineResult> {
    let g = await this.generator(settings, cb);
    const promptTokens = g.renderPrompt(input).tokens.length;
    const need = promptTokens + settings.maxTokens;
    if (need > g.contextSize) {
      const trained = g.loaded.summary.contextLength ?? DEFAULT_CONTEXT;
      if (need > trained) {
        throw new MedigenError(
          `The prompt is ${promptTokens} tokens and up to ${settings.maxTokens} more may be generated, but ${g.loaded.summary.name} reads at most ${trained} tokens.`,
          `Lower medigenLab.maxTokens${promptTokens < trained ? ` to ${trained - promptTokens} or less` : ''}, select a shorter part of the dialogue, or use a model with a longer context.`,
        );
      }
      g = await this.generator(settings, cb, need);
    }
    cb.signal?.throwIfAborted();
    this.active++;
    try {
      const r = await g.generate(input, {
        maxTokens: settings.maxTokens,
        temperature: settings.temperature,
        topP: settings.topP,
        seed: settings.seed,
        grammar: settings.grammar,
        ...(cb.onTextChunk ? { onTextChunk: cb.onTextChunk } : {}),
        ...(cb.signal ? { signal: cb.signal } : {}),
      });
      return { text: r.text, stopReason: r.stopReason, stopped: r.stopReason === 'abort', generatedTokens: r.generatedTokens, promptTokens, ms: r.ms, backend: 'local', model: g.loaded.path };
    } finally {
      this.active--;
    }
  }

  private async generateRemote(input: string | Encounter, settings: GenerationSettings, cb: EngineCallbacks): Promise<EngineResult> {
    const apiKey = cb.apiKey;
    const model = settings.endpointModel || (await this.onlyRemoteModel(settings.endpoint, apiKey));
    await using remote = await openNoteSource({ baseUrl: settings.endpoint, model, ...(apiKey ? { apiKey } : {}) });
    this.active++;
    try {
      const r = await remote.generate(input, {
        maxTokens: settings.maxTokens,
        temperature: settings.temperature,
        topP: settings.topP,
        seed: settings.seed,
        ...(cb.onTextChunk ? { onTextChunk: cb.onTextChunk } : {}),
        ...(cb.signal ? { signal: cb.signal } : {}),
      });
      return { text: r.text, stopReason: r.stopReason, stopped: r.stopReason === 'abort', generatedTokens: r.generatedTokens, ms: r.ms, backend: 'remote', model };
    } finally {
      this.active--;
    }
  }

  private async onlyRemoteModel(baseUrl: string, apiKey?: string): Promise<string> {
    const models = await listRemoteModels({ baseUrl, ...(apiKey ? { apiKey } : {}) });
    if (models.length === 1) return models[0]!;
    if (models.length === 0) throw new MedigenError(`The endpoint ${baseUrl} serves no models.`, 'Start the server with a model loaded, or check medigenLab.endpoint.');
    throw new MedigenError(`The endpoint ${baseUrl} serves ${models.length} models, so MediGen Lab cannot guess which one to use.`, `Set medigenLab.endpointModel to one of: ${models.slice(0, 8).join(', ')}.`);
  }

  private async unload(): Promise<void> {
    const gen = this.gen;
    const local = this.local;
    this.gen = undefined;
    this.local = undefined;
    await gen?.generator.dispose();
    await local?.loaded.dispose();
  }

  /** Releases the context and the model (the llama.cpp runtime stays for the process). */
  dispose(): Promise<void> {
    return this.serial(() => this.unload());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
