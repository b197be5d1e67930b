/**
 * Where notes come from. A local GGUF model (node-llama-cpp, models/llm) and an OpenAI-compatible
 * endpoint (models/remote) both implement `NoteSource`, and `openNoteSource` is the one place that
 * chooses between them, so batch generation, the editor's engine and adapter evaluation never ask
 * which kind they hold.
 */
import { MedigenError } from '../../core/index';
import type { Encounter, InstructionOptions } from '../../datasets/index';
import { NoteGenerator, type GenerateOptions, type LoadedLlm, type LoraAdapter } from '../llm/index';
import { RemoteNoteGenerator, type RemoteEndpoint } from '../remote/index';

/** What one note is asked with. Grammar and top-k apply to local models only. */
export type NoteRequest = GenerateOptions;

/** One generated note. */
export interface NoteResult {
  text: string;
  /** 'eogToken' / 'stop' (finished), 'maxTokens' / 'length' (cut at the limit), 'abort' (stopped). */
  stopReason: string;
  /** Tokens generated (an endpoint that does not say counts as 0). */
  generatedTokens: number;
  ms: number;
}

/** A generator of notes, local or remote. Dispose it (or `await using`) when done. */
export interface NoteSource extends AsyncDisposable {
  readonly backend: 'local' | 'remote';
  /** The model file (local) or the endpoint's model name (remote). */
  readonly model: string;
  generate(input: string | Encounter, request?: NoteRequest): Promise<NoteResult>;
  dispose(): Promise<void>;
}

/** What a caller holds: a loaded model, or an endpoint's address and model name. */
export type NoteSourceSpec = LoadedLlm | RemoteEndpoint;

/** Options of `openNoteSource`. */
export interface OpenNoteSourceOptions extends InstructionOptions {
  /** A LoRA adapter (GGUF) on the local model. Defaults to none; refused for an endpoint. */
  lora?: string | LoraAdapter;
  /** Notes generated at the same time (local). Defaults to 1. */
  sequences?: number;
  /** Tokens of context (local). Defaults to the smaller of the model's trained context and 8192. */
  contextSize?: number;
  /** Evaluation threads (local). Defaults to the loaded model's setting. */
  threads?: number;
  /** Cut a longer prompt's user message to this many tokens, as training did (local only; see NoteGeneratorOptions). */
  maxPromptTokens?: number;
}

/** True when the spec names an endpoint rather than a loaded model. */
export function isRemoteSpec(spec: NoteSourceSpec): spec is RemoteEndpoint {
  return 'baseUrl' in spec;
}

class RemoteSource implements NoteSource {
  readonly backend = 'remote' as const;
  constructor(private readonly remote: RemoteNoteGenerator) {}
  get model(): string {
    return this.remote.model;
  }
  async generate(input: string | Encounter, r: NoteRequest = {}): Promise<NoteResult> {
    if (r.grammar && r.grammar !== 'free') throw new MedigenError('The SOAP grammar works only with local models.', 'Leave out the grammar for an endpoint, or generate locally with a GGUF model.');
    const { grammar: _grammar, topK: _topK, ...rest } = r;
    const res = await this.remote.generate(input, rest);
    return { ...res, generatedTokens: res.generatedTokens ?? 0 };
  }
  dispose(): Promise<void> {
    return this.remote.dispose();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/** Opens the note source a spec names: a context on a loaded model, or an endpoint client. */
export async function openNoteSource(spec: NoteSourceSpec, o: OpenNoteSourceOptions = {}): Promise<NoteSource> {
  const instruction = { ...(o.template ? { template: o.template } : {}), ...(o.systemPrompt ? { systemPrompt: o.systemPrompt } : {}) };
  if (isRemoteSpec(spec)) {
    if (o.lora) throw new MedigenError('A LoRA adapter cannot be sent to a remote endpoint.', 'Load the adapter on the server (e.g. vLLM --lora-modules), or generate locally with --model and --lora.');
    if (o.maxPromptTokens) throw new MedigenError('A prompt budget (maxPromptTokens) works only with local models: an endpoint\'s tokens cannot be counted here.', 'Leave out the prompt budget for an endpoint, or generate locally with a GGUF model.');
    return new RemoteSource(new RemoteNoteGenerator(spec, instruction));
  }
  return NoteGenerator.create(spec, {
    ...instruction,
    ...(o.sequences ? { sequences: o.sequences } : {}),
    ...(o.lora ? { lora: o.lora } : {}),
    ...(o.contextSize ? { contextSize: o.contextSize } : {}),
    ...(o.threads ? { threads: o.threads } : {}),
    ...(o.maxPromptTokens ? { maxPromptTokens: o.maxPromptTokens } : {}),
  });
}
