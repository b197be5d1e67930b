import { EXIT, defineCommand, type Command } from '../command';
import { withSigint } from '../options';
import { UsageError } from '../../core/index';
import { streamProgress } from '../../core/index';
import { formatBytes } from '../../models/gguf/index';
import { assessFit, catalogFile, describeHardware, disposeRuntimes, downloadCatalogModel, findCatalogModel, isDownloaded, isRemoteRef, loadCatalog, modelsDir, type ModelFit } from '../../models/llm/index';

const recommended = defineCommand({
  path: ['models', 'recommended'],
  summary: 'List the recommended models (small instruction-tuned GGUFs) and whether this computer can run each',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  help: { json: 'Print the list, with the fit on this computer, as JSON.' },
  details: `The list is one file an instructor can replace: ${catalogFile()}
(or the file named by MEDIGEN_MODEL_CATALOG). Download one with: medigen models download <name>`,
  async run(ctx) {
    const models = loadCatalog();
    let fit: (m: { memoryGB: number }) => ModelFit;
    try {
      const hw = await describeHardware();
      fit = (m) => assessFit(m, hw);
    } finally {
      await disposeRuntimes();
    }
    const rows = models.map((m) => ({ ...m, fit: fit(m), downloaded: isDownloaded(m) ?? null }));
    if (ctx.values.json) {
      ctx.out.write(JSON.stringify(rows, null, 2) + '\n');
      return EXIT.ok;
    }
    for (const r of rows) {
      ctx.out.write(`${r.name}  ${r.title}\n`);
      ctx.out.write(`  download ${r.downloadGB.toFixed(2)} GB · needs about ${r.memoryGB.toFixed(1)} GB of memory · ${r.license}\n`);
      ctx.out.write(`  this computer: ${r.fit.text}${r.downloaded ? `\n  downloaded: ${r.downloaded}` : ''}\n`);
      ctx.out.write(`  ${r.note}\n  ${r.uri}\n\n`);
    }
    ctx.out.write(`Download one into ${modelsDir()}: medigen models download <name>\nThen: medigen generate --split test1 --model <name's hf: URI> --out preds.csv\n`);
    return EXIT.ok;
  },
});

const download = defineCommand({
  path: ['models', 'download'],
  summary: 'Download a recommended model (by name) or any hf: URI into the models folder, with progress; Ctrl+C stops, running again resumes',
  usage: '<name | hf:user/repo:quant> [--endpoint URL]',
  options: { endpoint: { type: 'string' } },
  help: { endpoint: 'The model host. Defaults to MODEL_ENDPOINT or HF_ENDPOINT, else https://huggingface.co/ (a mirror or a classroom server can stand in).' },
  details: `Files go into ${modelsDir()} (MEDIGEN_MODELS_DIR changes it). A download that was
stopped (Ctrl+C, lost connection) resumes where it stopped when you run the same command again.

Examples:
  medigen models recommended
  medigen models download llama-3.2-1b-instruct
  medigen models download hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M`,
  async run(ctx) {
    const what = ctx.positionals[0];
    if (!what) throw new UsageError('Give the name of a recommended model, or an hf: URI.', 'See the names with: medigen models recommended');
    const models = loadCatalog();
    const entry = findCatalogModel(models, what);
    if (!entry && !isRemoteRef(what)) throw new UsageError(`"${what}" is neither a recommended model nor an hf: URI.`, `Recommended: ${models.map((m) => m.name).join(', ')}. Or give hf:<user>/<repo>:<quant>.`);
    const progress = streamProgress(ctx.err, `Downloading ${entry?.title ?? what}`);
    try {
      if (entry) ctx.err.write(`${entry.title}: ${entry.downloadGB.toFixed(2)} GB, needs about ${entry.memoryGB.toFixed(1)} GB of memory, licence: ${entry.license}.\n`);
      const r = await withSigint(ctx.err, 'Stopping the download; the part already downloaded is kept. Run the same command again to resume.', (signal) =>
        downloadCatalogModel(entry ?? what, { progress, signal, ...(ctx.values.endpoint ? { huggingFaceEndpoint: ctx.values.endpoint } : {}) }),
      );
      ctx.out.write(`${r.downloaded ? 'Downloaded' : 'Already downloaded'}: ${r.path} (${formatBytes(r.summary.fileSizeBytes)}, ${r.summary.architecture}, ${r.summary.quantization}).\n`);
      ctx.out.write(`Next: medigen generate --split test1 --model ${entry?.uri ?? what} --limit 2 --out preds.csv\n`);
      return EXIT.ok;
    } finally {
      progress.end();
    }
  },
});

export const catalogCommands: Command[] = [recommended, download];
