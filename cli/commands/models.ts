import { resolve } from 'node:path';
import { MedigenError, UsageError } from '../../core/index';
import { streamProgress, type Progress } from '../../core/index';
import { readTemplate } from '../../datasets/index';
import { readGgufHeader } from '../../models/gguf/index';
import { formatBytes, formatParams, summarizeGguf, type GgufSummary } from '../../models/gguf/index';
import { describeHardware, disposeRuntimes, isRemoteRef, listModels, loadLlm, measureThreads, modelsDir, parseGpuChoice, parseThreads, resolveModel, type RuntimeSettings } from '../../models/llm/index';
import { generateSplit } from '../../models/generation/index';
import type { GenerateSplitOptions, GenerateSplitResult } from '../../models/generation/index';
import { remoteWarning, serveModel } from '../../models/remote/index';
import { ensureTinyModels, tinyModelsDir } from '../../models/tiny/index';
import { EXIT, defineCommand, type Command } from '../command';

function runtime(v: { gpu?: string | undefined; threads?: string | undefined }): RuntimeSettings {
  return { ...(v.gpu ? { gpu: parseGpuChoice(v.gpu) } : {}), ...(v.threads ? { threads: parseThreads(v.threads) } : {}) };
}

function num(value: string | undefined, flag: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const { min = 0, max = Infinity, integer = false } = opts;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} must be a ${integer ? 'whole ' : ''}number from ${min}${max < Infinity ? ` to ${max}` : ' up'}, not "${value}".`, `Run \`medigen ${flag === 'threads' ? 'models hardware' : 'generate'} --help\` for examples.`);
  }
  return n;
}

function formatSummary(s: GgufSummary): string {
  const types = Object.entries(s.tensorTypes).map(([t, n]) => `${t} ×${n}`).join(', ');
  const lines = [
    `${s.name}`,
    `  file          ${s.path}`,
    `  kind          ${s.kind === 'adapter' ? `LoRA adapter (${s.adapterType ?? '?'}, alpha ${s.loraAlpha ?? '?'})` : 'model'}`,
    `  architecture  ${s.architecture}`,
    `  size          ${formatBytes(s.fileSizeBytes)} (GGUF v${s.ggufVersion})`,
    `  parameters    ${formatParams(s.parameterCount)} in ${s.tensorCount} tensors`,
    `  quantization  ${s.quantization} (tensors: ${types || 'none'})`,
  ];
  if (s.contextLength !== undefined) lines.push(`  context       ${s.contextLength} tokens`);
  if (s.layers !== undefined) lines.push(`  layers        ${s.layers} × ${s.embeddingLength ?? '?'} dims, vocabulary ${s.vocabularySize ?? '?'}`);
  lines.push(`  chat template ${s.chatTemplate ? `yes (${s.chatTemplate.length} characters; shown with --template)` : 'none (a generic prompt format will be used)'}`);
  return lines.join('\n') + '\n';
}

const info = defineCommand({
  path: ['models', 'info'],
  summary: 'Show what a GGUF model or LoRA adapter is: architecture, size, quantization, context, chat template',
  usage: '<file.gguf | hf:user/repo:quant> [--json] [--template]',
  options: { json: { type: 'boolean' }, template: { type: 'boolean' } },
  help: { json: 'Print the facts as JSON.', template: 'Also print the chat template.' },
  details: `Reads only the file's header, so it is instant even for multi-gigabyte models. A hf: URI is
downloaded first (into ${modelsDir()}, or MEDIGEN_MODELS_DIR).

Examples:
  medigen models info ~/models/Llama-3.2-1B-Instruct-Q4_K_M.gguf
  medigen models info hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M`,
  async run(ctx) {
    const ref = ctx.positionals[0];
    if (!ref) throw new UsageError('Give the model file (or hf: URI) to describe.', 'Example: medigen models info model.gguf');
    let summary: GgufSummary;
    if (isRemoteRef(ref)) {
      const p = streamProgress(ctx.err, 'Downloading');
      try {
        summary = (await resolveModel(ref, { progress: p })).summary;
      } finally {
        p.end();
      }
    } else summary = summarizeGguf(await readGgufHeader(resolve(ref)));
    if (ctx.values.json) ctx.out.write(JSON.stringify(summary, null, 2) + '\n');
    else {
      ctx.out.write(formatSummary(summary));
      if (ctx.values.template && summary.chatTemplate) ctx.out.write(`\nChat template:\n${summary.chatTemplate}\n`);
    }
    return EXIT.ok;
  },
});

const hardware = defineCommand({
  path: ['models', 'hardware'],
  summary: 'Show the compute backend (CUDA, Vulkan, Metal or CPU), memory and thread count; --bench measures speed',
  usage: '[--gpu auto|cuda|vulkan|metal|cpu] [--threads N] [--bench] [--model FILE] [--json]',
  options: { gpu: { type: 'string' }, threads: { type: 'string' }, bench: { type: 'boolean' }, model: { type: 'string' }, json: { type: 'boolean' } },
  help: {
    gpu: 'Compute backend. Defaults to MEDIGEN_GPU, else auto (the best one found).',
    threads: 'Threads for generation. Defaults to MEDIGEN_THREADS, else 1 on machines with 2 cores or fewer, else all cores but one.',
    bench: 'Measure tokens per second with 1, 2 and all threads (uses --model, else the generated tiny test model).',
    model: 'The model to measure with --bench.',
    json: 'Print the report as JSON.',
  },
  details: `On small machines more threads can be much slower: on a 2-core machine llama.cpp's default of
4 threads generated 0.9 tokens/s where 1 thread generated 700. Run --bench with your own model to
choose, then set MEDIGEN_THREADS (or pass --threads to medigen generate).`,
  async run(ctx) {
    const v = ctx.values;
    const settings = runtime(v);
    try {
      const hw = await describeHardware(settings);
      let bench: Awaited<ReturnType<typeof measureThreads>> | undefined;
      if (v.bench) {
        const ref = v.model ?? (await ensureTinyModels()).model;
        const loaded = await loadLlm(ref, settings);
        try {
          bench = await measureThreads(loaded);
        } finally {
          await loaded.dispose();
        }
      }
      if (v.json) {
        ctx.out.write(JSON.stringify({ ...hw, ...(bench ? { bench } : {}) }, null, 2) + '\n');
        return EXIT.ok;
      }
      const gpu = hw.backend === 'cpu' ? 'CPU only (no CUDA, Vulkan or Metal GPU in use)' : `${hw.backend.toUpperCase()}: ${hw.gpuDevices.join(', ') || 'device'}${hw.vramTotal ? `, ${formatBytes(hw.vramFree ?? 0)} free of ${formatBytes(hw.vramTotal)}` : ''}`;
      ctx.out.write(
        [
          `Backend   ${gpu}`,
          `CPU       ${hw.cpuCores} cores (${hw.cpuMathCores} used for math)`,
          `Memory    ${formatBytes(hw.ramFree)} free of ${formatBytes(hw.ramTotal)}`,
          `Threads   ${hw.threads} (${hw.threadsFrom === 'default' ? 'default for this machine' : `from ${hw.threadsFrom === 'setting' ? '--threads' : 'MEDIGEN_THREADS'}`})`,
          `llama.cpp ${hw.llamaCppRelease} (${hw.binary} binary)`,
          '',
        ].join('\n'),
      );
      if (bench) {
        ctx.out.write('Speed (greedy generation):\n');
        for (const b of bench) ctx.out.write(`  ${String(b.threads).padStart(2)} thread${b.threads === 1 ? ' ' : 's'}  ${b.tokensPerSecond.toFixed(1).padStart(8)} tokens/s\n`);
        const best = [...bench].sort((a, b) => b.tokensPerSecond - a.tokensPerSecond)[0];
        if (best) ctx.out.write(`Fastest: ${best.threads} thread(s). Use it with MEDIGEN_THREADS=${best.threads} or --threads ${best.threads}.\n`);
      }
      return EXIT.ok;
    } finally {
      await disposeRuntimes();
    }
  },
});

const list = defineCommand({
  path: ['models', 'list'],
  summary: 'List models downloaded from hf: URIs (kept in the models folder)',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  help: { json: 'Print the list as JSON.' },
  async run(ctx) {
    const models = listModels();
    if (ctx.values.json) ctx.out.write(JSON.stringify(models, null, 2) + '\n');
    else if (!models.length) ctx.out.write(`No downloaded models in ${modelsDir()} yet. Download one with: medigen models info hf:<user>/<repo>:<quant>\n`);
    else for (const m of models) ctx.out.write(`${m.ref}\n  ${m.name} · ${m.architecture} · ${formatParams(m.parameterCount)} · ${m.quantization} · ${formatBytes(m.fileSizeBytes)}\n  ${m.path}\n`);
    return EXIT.ok;
  },
});

const makeTiny = defineCommand({
  path: ['models', 'make-tiny'],
  summary: 'Generate the tiny random test model and LoRA adapter (for trying the pipeline offline)',
  usage: '[--out DIR]',
  options: { out: { type: 'string' } },
  help: { out: `Folder to write them to. Defaults to ${tinyModelsDir()}.` },
  details: 'The tiny model has random weights: its notes are gibberish, but every step (loading, prompts, grammar, adapters, evaluation) runs for real in seconds.',
  async run(ctx) {
    const r = await ensureTinyModels(ctx.values.out ? resolve(ctx.values.out) : undefined);
    ctx.out.write(`Model:   ${r.model}\nAdapter: ${r.lora}\nNext: medigen generate --split test1 --model ${r.model} --limit 2 --out preds.csv\n`);
    return EXIT.ok;
  },
});

const generate = defineCommand({
  path: ['generate'],
  summary: 'Generate a note for every encounter of a split with a local GGUF model (and LoRA adapter); writes a CSV for medigen eval',
  usage: '--split SPLIT|FILE --model FILE|hf:URI --out FILE [--lora FILE] [--parallel N] [options]',
  options: {
    split: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    corpus: { type: 'string' },
    endpoint: { type: 'string' },
    lora: { type: 'string' },
    'lora-scale': { type: 'string' },
    parallel: { type: 'string' },
    grammar: { type: 'string' },
    'max-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    seed: { type: 'string' },
    context: { type: 'string' },
    template: { type: 'string' },
    limit: { type: 'string' },
    restart: { type: 'boolean' },
    'show-prompt': { type: 'boolean' },
    gpu: { type: 'string' },
    threads: { type: 'string' },
  },
  help: {
    split: 'The encounters: a split name (train, valid, test1, test2, test3) or an ACI-BENCH CSV. Required.',
    model: 'A .gguf model file or a Hugging Face URI (hf:user/repo:quant, downloaded once). Required.',
    out: 'The predictions CSV to write (dataset, encounter_id, dialogue, note). Required.',
    corpus: 'Folder with the ACI-BENCH CSV files, for a split name. Defaults to ACI_BENCH_DIR, else the shipped sample.',
    endpoint: 'Generate through an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, medigen serve) at this base URL, e.g. http://gpu-box:8000/v1; --model is then the name it serves. Dialogue text is sent to that server. API key: MEDIGEN_API_KEY.',
    lora: 'A LoRA adapter .gguf (e.g. from fine-tuning) applied on top of the model.',
    'lora-scale': 'How strongly to apply the adapter. Defaults to 1.',
    parallel: 'Notes generated at the same time on one context (faster, but not reproducible bit for bit). Defaults to 1.',
    grammar: '"soap" forces the sections CHIEF COMPLAINT … ASSESSMENT AND PLAN in order; "free" does not. Defaults to free.',
    'max-tokens': 'Most tokens per note. Defaults to 1024.',
    temperature: 'Sampling temperature; 0 always picks the most likely token. Defaults to 0.',
    'top-p': 'Nucleus sampling threshold. Defaults to 0.95.',
    seed: 'Sampling seed; same seed and settings give the same notes (with --parallel 1). Defaults to 0.',
    context: 'Tokens of context per note (prompt + note). Defaults to the smaller of the model\'s and 8192.',
    template: 'A text file with the instruction (may contain {{dialogue}}). Defaults to the built-in SOAP instruction.',
    limit: 'Only the first N encounters (for a quick try).',
    restart: 'Discard an interrupted earlier run instead of resuming it.',
    'show-prompt': 'Print the first prompt exactly as the model sees it, with its token count.',
    gpu: 'Compute backend: auto, cuda, vulkan, metal or cpu. Defaults to MEDIGEN_GPU, else auto.',
    threads: 'Generation threads. Defaults to MEDIGEN_THREADS, else chosen for this machine (see medigen models hardware).',
  },
  details: `Finished notes are saved as they are generated (<out>.partial.jsonl). If the run is
interrupted (Ctrl+C, crash), run the same command again: it resumes and skips the notes already
written. Changing the model, adapter, split or options starts a new run (add --restart).

Examples:
  medigen models make-tiny
  medigen generate --split test1 --model hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M --out preds.csv --corpus ~/aci-bench
  medigen generate --split test1 --model base.gguf --lora adapter.gguf --grammar soap --parallel 2 --out preds.csv
  medigen eval --gold test1 --pred preds.csv --corpus ~/aci-bench`,
  async run(ctx) {
    const v = ctx.values;
    if (!v.split) throw new UsageError('--split is required: the encounters to write notes for.', 'Example: medigen generate --split test1 --model model.gguf --out preds.csv');
    if (!v.model) throw new UsageError('--model is required: a .gguf file or hf: URI.', 'Try the tiny test model: medigen models make-tiny, then --model <the printed path>.');
    if (!v.out) throw new UsageError('--out is required: the predictions CSV to write.', 'Example: --out preds.csv');
    if (v.grammar && v.grammar !== 'soap' && v.grammar !== 'free') throw new UsageError(`--grammar must be "soap" or "free", not "${v.grammar}".`);
    if (v.endpoint) return generateRemote(ctx, v);
    const settings = runtime(v);
    const contextSize = num(v.context, 'context', { min: 256, integer: true });
    const controller = new AbortController();
    const onSigint = () => {
      ctx.err.write('\nStopping; finished notes are kept. Run the same command again to resume.\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    const download = streamProgress(ctx.err, 'Downloading model');
    let downloadEnded = false;
    const endDownload = () => {
      if (!downloadEnded) download.end();
      downloadEnded = true;
    };
    try {
      const loaded = await loadLlm(v.model, { ...settings, progress: download, ...(contextSize ? { contextSize } : {}), signal: controller.signal });
      endDownload();
      try {
        const scale = num(v['lora-scale'], 'lora-scale', { min: -10, max: 10 });
        const template = v.template ? readTemplate(v.template) : undefined;
        if (v['show-prompt']) {
          const { NoteGenerator } = await import('../../models/llm/generate');
          const { loadSplit } = await import('../../datasets/corpus');
          const first = loadSplit(v.split, v.corpus).encounters[0];
          if (first) {
            const g = await NoteGenerator.create(loaded, { ...(contextSize ? { contextSize } : {}), ...(template ? { template } : {}) });
            const p = g.renderPrompt(first);
            await g.dispose();
            ctx.err.write(`Prompt for ${first.encounterId} (${p.tokens.length} tokens):\n${p.text}\n---\n`);
          }
        }
        const progress = streamProgress(ctx.err, 'Generating notes');
        const options = splitOptions(v, { template, contextSize, scale, progress, signal: controller.signal });
        if ((options.parallel ?? 1) > 1) ctx.err.write(`Note: ${PARALLEL_NOT_EXACT}\n`);
        const r = await generateSplit(loaded, options);
        progress.end();
        return reportSplit(ctx.out, v, r);
      } finally {
        await loaded.dispose();
      }
    } catch (e) {
      if (controller.signal.aborted && !(e instanceof MedigenError)) throw new MedigenError('Generation was stopped.', 'Run the same command again to resume.', { cause: e });
      throw e;
    } finally {
      endDownload();
      process.removeListener('SIGINT', onSigint);
      await disposeRuntimes();
    }
  },
});

type GenerateValues = Record<string, string | boolean | undefined>;

/** Said when a local run generates several notes at once (measured: 8 notes on a 384-wide model, 3 runs, 2 different outputs). */
const PARALLEL_NOT_EXACT = 'notes generated in parallel can differ slightly from run to run, and from --parallel 1: llama.cpp\'s arithmetic depends on which notes share each batch, and that depends on timing. Use --parallel 1 (the default) when a run must be reproduced exactly.';

/** The split-generation options both backends share, from the command line. */
function splitOptions(v: GenerateValues, x: { template?: string; contextSize?: number; scale?: number; progress: Progress; signal: AbortSignal }): GenerateSplitOptions {
  const s = (k: string) => v[k] as string | undefined;
  return {
    split: s('split')!,
    out: s('out')!,
    ...(s('corpus') ? { corpusDir: s('corpus')! } : {}),
    ...(s('lora') ? { lora: { path: resolve(s('lora')!), scale: x.scale ?? 1 } } : {}),
    ...(s('grammar') ? { grammar: s('grammar') as 'soap' | 'free' } : {}),
    ...(x.template ? { template: x.template } : {}),
    ...(x.contextSize ? { contextSize: x.contextSize } : {}),
    parallel: num(s('parallel'), 'parallel', { min: 1, max: 64, integer: true }) ?? 1,
    ...optional('maxTokens', num(s('max-tokens'), 'max-tokens', { min: 1, integer: true })),
    ...optional('temperature', num(s('temperature'), 'temperature', { max: 5 })),
    ...optional('topP', num(s('top-p'), 'top-p', { max: 1 })),
    ...optional('seed', num(s('seed'), 'seed', { integer: true })),
    ...optional('limit', num(s('limit'), 'limit', { min: 1, integer: true })),
    ...(v.restart ? { restart: true } : {}),
    progress: x.progress,
    signal: x.signal,
  };
}

function reportSplit(out: NodeJS.WritableStream, v: GenerateValues, r: GenerateSplitResult): number {
  const speed = r.seconds > 0 && r.generatedTokens > 0 ? ` (${(r.generatedTokens / r.seconds).toFixed(1)} tokens/s overall)` : '';
  if (!r.complete) {
    out.write(`Stopped after ${r.resumed + r.generated} of ${r.total} notes. Run the same command again to finish.\n`);
    return EXIT.failed;
  }
  out.write(`Wrote ${r.total} notes to ${r.out}: ${r.generated} generated now${r.resumed ? `, ${r.resumed} from the interrupted run` : ''}, ${r.seconds.toFixed(1)} s${speed}.\n`);
  out.write(`Next: medigen eval --gold ${String(v.split)} --pred ${String(v.out)}${v.corpus ? ` --corpus ${String(v.corpus)}` : ''}\n`);
  return EXIT.ok;
}

/** `generate --endpoint`: the same split generation through an OpenAI-compatible server. */
async function generateRemote(ctx: { values: GenerateValues; out: NodeJS.WritableStream; err: NodeJS.WriteStream }, v: GenerateValues): Promise<number> {
  const endpoint = { baseUrl: String(v.endpoint), model: String(v.model) };
  const warning = remoteWarning(endpoint.baseUrl);
  if (warning) ctx.err.write(`Note: ${warning}\n`);
  const controller = new AbortController();
  const onSigint = () => {
    ctx.err.write('\nStopping; finished notes are kept. Run the same command again to resume.\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const template = v.template ? readTemplate(String(v.template)) : undefined;
    const progress = streamProgress(ctx.err, 'Generating notes');
    const r = await generateSplit(endpoint, splitOptions(v, { ...(template ? { template } : {}), progress, signal: controller.signal }));
    progress.end();
    return reportSplit(ctx.out, v, r);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

const serve = defineCommand({
  path: ['serve'],
  summary: 'Serve a local GGUF model over an OpenAI-compatible API (for a classroom, or as the endpoint of medigen generate)',
  usage: '--model FILE|hf:URI [--port N] [--host ADDR] [--parallel N] [--context N] [--api-key KEY]',
  options: { model: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, parallel: { type: 'string' }, context: { type: 'string' }, 'api-key': { type: 'string' }, gpu: { type: 'string' }, threads: { type: 'string' } },
  help: {
    model: 'A .gguf model file or hf: URI. Required.',
    port: 'Port to listen on. Defaults to 8000.',
    host: 'Address to listen on. Defaults to 127.0.0.1 (this machine only); 0.0.0.0 lets other machines connect.',
    parallel: 'Requests answered at the same time. Defaults to 2.',
    context: 'Tokens of context per request. Defaults to 4096.',
    'api-key': 'Require this key (Authorization: Bearer KEY). Defaults to MEDIGEN_SERVE_KEY, else none.',
    gpu: 'Compute backend: auto, cuda, vulkan, metal or cpu.',
    threads: 'Generation threads. Defaults to the choice for this machine.',
  },
  details: 'Stop with Ctrl+C. Clients: medigen generate --endpoint http://127.0.0.1:8000/v1 --model <name printed at start> ...',
  async run(ctx) {
    const v = ctx.values;
    if (!v.model) throw new UsageError('--model is required.', 'Example: medigen serve --model model.gguf');
    const host = v.host ?? '127.0.0.1';
    const loaded = await loadLlm(v.model, runtime(v));
    const apiKey = v['api-key'] ?? process.env.MEDIGEN_SERVE_KEY;
    const contextSize = num(v.context, 'context', { min: 256, integer: true });
    const parallel = num(v.parallel, 'parallel', { min: 1, max: 64, integer: true });
    const running = await serveModel(loaded, { host, port: num(v.port, 'port', { min: 0, max: 65535, integer: true }) ?? 8000, ...(apiKey ? { apiKey } : {}), ...(contextSize ? { contextSize } : {}), ...(parallel ? { parallel } : {}) });
    const name = loaded.path.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');
    ctx.out.write(`Serving "${name}" at ${running.url} (Ctrl+C stops).\n`);
    if (host !== '127.0.0.1' && host !== 'localhost') ctx.err.write(`Other machines can reach this server${apiKey ? '' : ' without a key (set --api-key)'}.\n`);
    await new Promise<void>((resolveStop) => process.once('SIGINT', () => resolveStop()));
    await running.close();
    await loaded.dispose();
    await disposeRuntimes();
    return EXIT.ok;
  },
});

export const modelCommands: Command[] = [generate, serve, info, hardware, list, makeTiny];
