/**
 * `medigen serve`: an OpenAI-compatible chat-completions server over a local GGUF model, bound to
 * loopback by default. An instructor can run one model for a classroom, and it is the real HTTP
 * server the remote backend is tested against. Endpoints: GET /v1/models, POST /v1/chat/completions
 * (streaming as server-sent events, or one JSON answer).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatHistoryItem, LlamaContext, LlamaContextSequence } from 'node-llama-cpp';
import { MedigenError } from '../../core/index';
import type { LoadedLlm } from '../llm/index';
import { nodeLlamaCpp } from '../llm/index';

export interface ServeOptions {
  /** Name clients use for the model. Defaults to the file name. */
  modelName?: string;
  /** Defaults to 127.0.0.1 (this machine only). */
  host?: string;
  /** Defaults to 0 (any free port). */
  port?: number;
  /** Requests answered at the same time (context sequences). Defaults to 2. */
  parallel?: number;
  /** Tokens of context per request. Defaults to the smaller of the model's and 8192 (as `generate`). */
  contextSize?: number;
  /** A LoRA adapter (.gguf) applied to every request. */
  lora?: string;
  /** Requests must send `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      body += d;
      if (body.length > 16 * 1024 * 1024) reject(new Error('request too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const error = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { error: { message, type: 'invalid_request_error' } });

/** The context `generate` and `serve` use unless told: the smaller of the model's and 8192 tokens. */
export function defaultContextSize(loaded: LoadedLlm): number {
  return Math.min(loaded.summary.contextLength ?? 8192, 8192);
}

export async function serveModel(loaded: LoadedLlm, o: ServeOptions = {}): Promise<RunningServer> {
  const lib = await nodeLlamaCpp();
  const name = o.modelName ?? loaded.path.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');
  let context: LlamaContext;
  try {
    context = await loaded.model.createContext({
      contextSize: o.contextSize ?? defaultContextSize(loaded),
      sequences: o.parallel ?? 2,
      threads: loaded.settings.threads,
      ...(o.lora ? { lora: { adapters: [{ filePath: o.lora }] } } : {}),
    });
  } catch (e) {
    throw new MedigenError(`Could not create the server's context: ${(e as Error).message}`, 'Use a smaller --context or fewer --parallel requests.', { cause: e });
  }
  const free: LlamaContextSequence[] = Array.from({ length: context.totalSequences }, () => context.getSequence());
  const waiting: ((s: LlamaContextSequence) => void)[] = [];
  const acquire = () => (free.length ? Promise.resolve(free.pop()!) : new Promise<LlamaContextSequence>((r) => waiting.push(r)));
  const release = (s: LlamaContextSequence) => (waiting.length ? waiting.shift()!(s) : free.push(s));
  let counter = 0;

  async function complete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: { model?: string; messages?: Message[]; stream?: boolean; max_tokens?: number; temperature?: number; top_p?: number; seed?: number };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return error(res, 400, 'The request body is not JSON.');
    }
    if (body.model && body.model !== name) return error(res, 404, `Model "${body.model}" is not served here; this server serves "${name}".`);
    const messages = body.messages ?? [];
    const last = messages.at(-1);
    if (!last || last.role !== 'user') return error(res, 400, 'messages must end with a user message.');
    const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    const history: ChatHistoryItem[] = [];
    if (system) history.push({ type: 'system', text: system });
    for (const m of messages.slice(0, -1)) {
      if (m.role === 'user') history.push({ type: 'user', text: m.content });
      else if (m.role === 'assistant') history.push({ type: 'model', response: [m.content] });
    }
    const id = `chatcmpl-${Date.now()}-${++counter}`;
    const abort = new AbortController();
    res.on('close', () => !res.writableFinished && abort.abort());
    const maxTokens = body.max_tokens ?? 1024;
    const sequence = await acquire();
    const session = new lib.LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      // A prompt that does not fit is refused, never shifted (a shift silently drops its beginning).
      const { contextText } = session.chatWrapper.generateContextState({ chatHistory: [...history, { type: 'user', text: last.content }, { type: 'model', response: [] }] });
      const promptTokens = contextText.tokenize(loaded.model.tokenizer).length;
      if (promptTokens + maxTokens > sequence.contextSize) {
        return error(res, 400, `The prompt is ${promptTokens} tokens and up to ${maxTokens} more may be generated, but this server's context holds ${sequence.contextSize}. Restart the server with a larger --context, or send a smaller max_tokens.`);
      }
      session.setChatHistory([...history, { type: 'model', response: [] }]);
      if (body.stream) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const chunk = (delta: Record<string, string>, finish: string | null) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: name, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      if (body.stream) res.write(chunk({ role: 'assistant' }, null));
      let tokens = 0;
      const r = await session.promptWithMeta(last.content, {
        maxTokens,
        temperature: body.temperature ?? 0,
        topP: body.top_p ?? 1,
        ...(body.seed !== undefined ? { seed: body.seed } : {}),
        signal: abort.signal,
        stopOnAbortSignal: true,
        onToken: (t) => (tokens += t.length),
        ...(body.stream ? { onTextChunk: (text: string) => res.write(chunk({ content: text }, null)) } : {}),
      });
      const finish = r.stopReason === 'maxTokens' ? 'length' : 'stop';
      if (body.stream) {
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: name, choices: [{ index: 0, delta: {}, finish_reason: finish }], usage: { completion_tokens: tokens } })}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        sendJson(res, 200, { id, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: name, choices: [{ index: 0, message: { role: 'assistant', content: r.responseText }, finish_reason: finish }], usage: { completion_tokens: tokens } });
      }
    } catch (e) {
      if (!res.headersSent) error(res, 500, (e as Error).message);
      else res.end();
    } finally {
      session.dispose({ disposeSequence: false });
      await sequence.clearHistory();
      release(sequence);
    }
  }

  const server = createServer((req, res) => {
    if (o.apiKey && req.headers.authorization !== `Bearer ${o.apiKey}`) return error(res, 401, 'Missing or wrong API key.');
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: name, object: 'model', owned_by: 'medigen-lab' }] });
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      complete(req, res).catch((e) => (res.headersSent ? res.end() : error(res, 500, (e as Error).message)));
      return;
    }
    error(res, 404, `No route ${req.method} ${path}.`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/v1`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await context.dispose();
    },
  };
}
