/** `medigen serve`: a local GGUF model behind an OpenAI-compatible API. */
import { UsageError } from '../../core/index';
import { disposeRuntimes, loadLlm } from '../../models/llm/index';
import { serveModel } from '../../models/remote/index';
import { resolve } from 'node:path';
import { EXIT, defineCommand, type Command } from '../command';
import { localArtifacts } from './artifacts';
import { MODEL_HELP, RUNTIME_HELP, RUNTIME_OPTIONS, num, runtimeSettings, untilSigint } from '../options';

const serve = defineCommand({
  path: ['serve'],
  summary: 'Serve a local GGUF model over an OpenAI-compatible API (for a classroom, or as the endpoint of medigen generate)',
  usage: '--model FILE|hf:URI|FOLDER [--lora FILE|FOLDER] [--port N] [--host ADDR] [--parallel N] [--context N] [--api-key KEY]',
  options: { model: { type: 'string' }, lora: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, parallel: { type: 'string' }, context: { type: 'string' }, 'api-key': { type: 'string' }, ...RUNTIME_OPTIONS },
  help: {
    model: `${MODEL_HELP} Required.`,
    lora: 'A LoRA adapter served on top of the model: .gguf, PEFT folder or run folder (converted on the way).',
    port: 'Port to listen on. Defaults to 8000.',
    host: 'Address to listen on. Defaults to 127.0.0.1 (this machine only); 0.0.0.0 lets other machines connect.',
    parallel: 'Requests answered at the same time. Defaults to 2.',
    context: 'Tokens of context per request. Defaults to the smaller of the model\'s and 8192, as for generate. A request that does not fit is refused, never shifted.',
    'api-key': 'Require this key (Authorization: Bearer KEY). Defaults to MEDIGEN_SERVE_KEY, else none.',
    ...RUNTIME_HELP,
  },
  details: 'Stop with Ctrl+C. Clients: medigen generate --endpoint http://127.0.0.1:8000/v1 --model <name printed at start> ...',
  async run(ctx) {
    const v = ctx.values;
    if (!v.model) throw new UsageError('--model is required.', 'Example: medigen serve --model model.gguf');
    const host = v.host ?? '127.0.0.1';
    Object.assign(v, await localArtifacts(v, ctx.err));
    const loaded = await loadLlm(v.model!, runtimeSettings(v));
    const apiKey = v['api-key'] ?? process.env.MEDIGEN_SERVE_KEY;
    const contextSize = num(v.context, 'context', { min: 256, integer: true });
    const parallel = num(v.parallel, 'parallel', { min: 1, max: 64, integer: true });
    const running = await serveModel(loaded, { host, port: num(v.port, 'port', { min: 0, max: 65535, integer: true }) ?? 8000, ...(apiKey ? { apiKey } : {}), ...(contextSize ? { contextSize } : {}), ...(parallel ? { parallel } : {}), ...(v.lora ? { lora: resolve(v.lora) } : {}) });
    const name = loaded.path.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');
    ctx.out.write(`Serving "${name}" at ${running.url} (Ctrl+C stops).\n`);
    if (host !== '127.0.0.1' && host !== 'localhost') ctx.err.write(`Other machines can reach this server${apiKey ? '' : ' without a key (set --api-key)'}.\n`);
    await untilSigint();
    await running.close();
    await loaded.dispose();
    await disposeRuntimes();
    return EXIT.ok;
  },
});

export const serveCommands: Command[] = [serve];
