/**
 * A second backend for users whose models or volume outgrow one machine: any OpenAI-compatible
 * chat-completions endpoint (vLLM, llama.cpp's server, Ollama, `medigen serve`). Local generation
 * stays the default; this is used only when an endpoint is configured, and dialogue text then
 * leaves the machine unless the endpoint is on this machine — `remoteWarning` says so.
 */
import { MedigenError, RemoteHttpError } from '../../core/index';
import type { InstructionOptions } from '../../datasets/index';
import type { Encounter } from '../../datasets/index';
import { noteMessages } from '../../datasets/index';

export interface RemoteEndpoint {
  /** Base URL up to and including `/v1`, e.g. http://gpu-box:8000/v1. */
  baseUrl: string;
  /** Model name the server knows. */
  model: string;
  /** Sent as a Bearer token. Defaults to the MEDIGEN_API_KEY environment variable, if set. */
  apiKey?: string;
  /** Gives up on a request after this long. Defaults to 10 minutes. */
  timeoutMs?: number;
}

export interface RemoteGenerateOptions {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  onTextChunk?: (text: string) => void;
  signal?: AbortSignal;
}

export interface RemoteResult {
  text: string;
  /** 'stop', 'length', 'abort' or what the server said. */
  stopReason: string;
  generatedTokens?: number;
  ms: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** True when the endpoint is on this machine (nothing leaves it). */
export function isLocalEndpoint(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return LOCAL_HOSTS.has(host) || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** The warning to show before sending dialogues to an endpoint, or undefined for a local one. */
export function remoteWarning(baseUrl: string): string | undefined {
  if (isLocalEndpoint(baseUrl)) return undefined;
  return `Dialogue text will be sent to ${checkUrl(baseUrl).host}. Patient conversations are sensitive: use an endpoint your institution has approved for this data, over HTTPS.`;
}

function checkUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new MedigenError(`"${baseUrl}" is not a URL.`, 'Give the endpoint\'s base URL including /v1, e.g. http://localhost:8000/v1.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MedigenError(`The endpoint ${baseUrl} is not http(s).`, 'Use an http:// or https:// URL.');
  return url;
}

async function post(ep: RemoteEndpoint, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const url = `${checkUrl(ep.baseUrl).href.replace(/\/$/, '')}${path}`;
  const timeout = AbortSignal.timeout(ep.timeoutMs ?? 600_000);
  const key = ep.apiKey ?? process.env.MEDIGEN_API_KEY;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new MedigenError(`Could not reach the endpoint ${ep.baseUrl} (${cause}).`, 'Check the server is running and the URL (with /v1) is right; or leave the endpoint setting empty to generate locally.', { cause: e });
  }
  if (res.ok) return res;
  const text = (await res.text().catch(() => '')).slice(0, 300);
  if (res.status === 401 || res.status === 403) throw new RemoteHttpError(res.status, `The endpoint refused the request (HTTP ${res.status}).`, 'Set the API key (MEDIGEN_API_KEY, or the extension\'s endpoint key setting).');
  if (res.status === 404) throw new RemoteHttpError(404, `The endpoint has no ${path} or no model "${ep.model}" (HTTP 404). ${text}`, 'Check the model name the server lists at /v1/models, and that the URL ends in /v1.');
  throw new RemoteHttpError(res.status, `The endpoint answered HTTP ${res.status}: ${text}`, 'See the server\'s log; try again with fewer parallel requests or a shorter --max-tokens.');
}

type StreamChunk = { choices?: { delta?: { content?: string }; finish_reason?: string | null }[]; usage?: { completion_tokens?: number }; error?: unknown };

const NOT_OPENAI_HINT = 'Check that the URL is the server\'s OpenAI-compatible base (it ends in /v1, e.g. http://localhost:8000/v1) and that the server supports /chat/completions.';

const preview = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : JSON.stringify(error);
}

/** One `data:` line of the stream, or a MedigenError saying what came instead. */
function parseChunk(data: string, baseUrl: string): StreamChunk {
  let chunk: StreamChunk;
  try {
    chunk = JSON.parse(data) as StreamChunk;
  } catch {
    throw new MedigenError(`The endpoint ${baseUrl} sent a stream line that is not JSON: ${preview(data)}.`, NOT_OPENAI_HINT);
  }
  if (chunk === null || typeof chunk !== 'object') throw new MedigenError(`The endpoint ${baseUrl} sent ${preview(data)} instead of a completion chunk.`, NOT_OPENAI_HINT);
  if (chunk.error !== undefined) throw new MedigenError(`The endpoint ${baseUrl} reported an error: ${errorText(chunk.error)}`, 'See the server\'s log; try a shorter --max-tokens or fewer parallel requests.');
  return chunk;
}

/** A completion the server sent whole instead of streaming; garbage becomes a MedigenError. */
function parseCompletion(body: string, type: string, baseUrl: string): { text: string; stopReason: string; generatedTokens?: number } {
  let parsed: { choices?: { message?: { content?: unknown }; finish_reason?: string | null }[]; usage?: { completion_tokens?: number }; error?: unknown } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && parsed.error !== undefined) throw new MedigenError(`The endpoint ${baseUrl} reported an error: ${errorText(parsed.error)}`, 'See the server\'s log.');
  const content = parsed?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') {
    throw new MedigenError(`The endpoint ${baseUrl} did not answer like an OpenAI-compatible server (${type || 'no content type'}): ${preview(body)}.`, NOT_OPENAI_HINT);
  }
  if (!content) throw new MedigenError(`The endpoint ${baseUrl} answered without any text for this note.`, 'Check the model name and the server\'s log.');
  const tokens = parsed?.usage?.completion_tokens;
  return { text: content, stopReason: parsed?.choices?.[0]?.finish_reason ?? 'stop', ...(tokens !== undefined ? { generatedTokens: tokens } : {}) };
}

/** Lists the models an endpoint serves. */
export async function listRemoteModels(ep: Omit<RemoteEndpoint, 'model'>): Promise<string[]> {
  const url = `${checkUrl(ep.baseUrl).href.replace(/\/$/, '')}/models`;
  const key = ep.apiKey ?? process.env.MEDIGEN_API_KEY;
  try {
    const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(ep.timeoutMs ?? 30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { data?: { id: string }[] };
    return (body.data ?? []).map((m) => m.id);
  } catch (e) {
    throw new MedigenError(`Could not list the models of ${ep.baseUrl}: ${(e as Error).message}.`, 'Check the server is running and the URL ends in /v1.', { cause: e });
  }
}

/** Generates notes through an OpenAI-compatible endpoint, streaming the text as it arrives. */
export class RemoteNoteGenerator {
  /** Which kind of note source this is (see models/generation's NoteSource). */
  readonly backend = 'remote' as const;

  constructor(
    readonly endpoint: RemoteEndpoint,
    private readonly instruction: InstructionOptions = {},
  ) {
    checkUrl(endpoint.baseUrl);
  }

  /** The model name the endpoint serves. */
  get model(): string {
    return this.endpoint.model;
  }

  /** Nothing is held open between requests; present so every note source is disposed the same way. */
  async dispose(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async generate(input: string | Encounter, o: RemoteGenerateOptions = {}): Promise<RemoteResult> {
    const { system, user } = noteMessages(input, this.instruction);
    const start = performance.now();
    const body = {
      model: this.endpoint.model,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
      stream: true,
      max_tokens: o.maxTokens ?? 1024,
      temperature: o.temperature ?? 0,
      top_p: o.topP ?? 0.95,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    };
    let text = '';
    let stopReason = 'stop';
    let generatedTokens: number | undefined;
    let res: Response;
    try {
      res = await post(this.endpoint, '/chat/completions', body, o.signal);
    } catch (e) {
      if (o.signal?.aborted) return { text, stopReason: 'abort', ms: performance.now() - start };
      throw e;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      // A server that ignores "stream": a whole completion as JSON is still a note; anything else is not.
      const whole = parseCompletion(await res.text(), type, this.endpoint.baseUrl);
      if (whole.text) o.onTextChunk?.(whole.text);
      return { ...whole, ms: performance.now() - start };
    }
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    let events = 0;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          events++;
          if (data === '[DONE]') continue;
          const chunk = parseChunk(data, this.endpoint.baseUrl);
          const piece = chunk.choices?.[0]?.delta?.content ?? '';
          if (piece) {
            text += piece;
            o.onTextChunk?.(piece);
          }
          const finish = chunk.choices?.[0]?.finish_reason;
          if (finish) stopReason = finish;
          if (chunk.usage?.completion_tokens !== undefined) generatedTokens = chunk.usage.completion_tokens;
        }
      }
    } catch (e) {
      if (o.signal?.aborted) return { text, stopReason: 'abort', ms: performance.now() - start };
      if (e instanceof MedigenError) throw e;
      throw new MedigenError(`The endpoint's stream broke off: ${(e as Error).message}`, 'Try again; if it keeps happening, check the server\'s log.', { cause: e });
    }
    if (events === 0) throw new MedigenError(`The endpoint ${this.endpoint.baseUrl} answered with an empty event stream (no "data:" lines).`, NOT_OPENAI_HINT);
    if (!text) throw new MedigenError(`The endpoint ${this.endpoint.baseUrl} finished (${stopReason}) without sending any text for this note.`, 'Check the model name and the server\'s log; a model that stops at once may need a larger --max-tokens or another chat template.');
    return { text, stopReason, ...(generatedTokens !== undefined ? { generatedTokens } : {}), ms: performance.now() - start };
  }
}
