/** `medigen models ...`: what a model file is, this machine's hardware, downloaded models, the tiny test model. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { artifactKind, resolveModelArtifact } from '../../models/convert/index';
import { UsageError, streamProgress } from '../../core/index';
import { formatBytes, formatParams, readGgufHeader, summarizeGguf, type GgufSummary } from '../../models/gguf/index';
import { describeHardware, disposeRuntimes, isRemoteRef, listModels, loadLlm, measureThreads, modelsDir, resolveModel } from '../../models/llm/index';
import { ensureTinyModels, tinyModelsDir } from '../../models/tiny/index';
import { EXIT, defineCommand, type Command } from '../command';
import { RUNTIME_HELP, RUNTIME_OPTIONS, runtimeSettings } from '../options';

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
    } else if (existsSync(ref) && statSync(ref).isDirectory()) {
      // A folder: convert it (cached) the way generate does, then describe the GGUF.
      if (artifactKind(ref) === 'peft-adapter') throw new UsageError(`${ref} is a PEFT adapter folder; converting it needs the base model it was trained on.`, `Run: medigen generate --model <base model .gguf or folder> --lora ${ref} ... (it converts the adapter with MediGen Lab's PEFT converter, models/train/peftToGguf.ts).`);
      summary = summarizeGguf(await readGgufHeader((await resolveModelArtifact(ref, { say: (m) => ctx.err.write(`${m}\n`) })).path));
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
  options: { ...RUNTIME_OPTIONS, bench: { type: 'boolean' }, model: { type: 'string' }, json: { type: 'boolean' } },
  help: {
    ...RUNTIME_HELP,
    bench: 'Measure tokens per second with 1, 2 and all threads (uses --model, else the generated tiny test model).',
    model: 'The model to measure with --bench.',
    json: 'Print the report as JSON.',
  },
  details: `On small machines more threads can be much slower: on a 2-core machine llama.cpp's default of
4 threads generated 0.9 tokens/s where 1 thread generated 700. Run --bench with your own model to
choose, then set MEDIGEN_THREADS (or pass --threads to medigen generate).`,
  async run(ctx) {
    const v = ctx.values;
    const settings = runtimeSettings(v);
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

export const modelCommands: Command[] = [info, hardware, list, makeTiny];
