/** `medigen generate`: notes for a whole split, with a local GGUF model or through an endpoint. */
import { resolve } from 'node:path';
import { CancelledError, MedigenError, UsageError, streamProgress, type Progress } from '../../core/index';
import { loadSplit, readTemplate } from '../../datasets/index';
import { generateSplit, type GenerateSplitOptions, type GenerateSplitResult } from '../../models/generation/index';
import { disposeRuntimes, loadLlm, NoteGenerator } from '../../models/llm/index';
import { isLocalEndpoint, remoteWarning } from '../../models/remote/index';
import { PHI_CHOICES, decidePhi, describeFindings, findIdentifiersIn, parsePhiAnswer, type PhiChoice } from '../../models/safety/index';
import { EXIT, defineCommand, type Command } from '../command';
import { localArtifacts } from './artifacts';
import { CORPUS_HELP, CORPUS_OPTION, MODEL_HELP, RUNTIME_HELP, RUNTIME_OPTIONS, num, optional, runtimeSettings, withSigint } from '../options';

const generate = defineCommand({
  path: ['generate'],
  summary: 'Generate a note for every encounter of a split with a local GGUF model (and LoRA adapter); writes a CSV for medigen eval',
  usage: '--split SPLIT|FILE --model FILE|hf:URI --out FILE [--lora FILE] [--parallel N] [options]',
  options: {
    split: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    ...CORPUS_OPTION,
    endpoint: { type: 'string' },
    phi: { type: 'string' },
    lora: { type: 'string' },
    'lora-scale': { type: 'string' },
    parallel: { type: 'string' },
    grammar: { type: 'string' },
    'max-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    seed: { type: 'string' },
    context: { type: 'string' },
    'max-prompt-tokens': { type: 'string' },
    template: { type: 'string' },
    limit: { type: 'string' },
    restart: { type: 'boolean' },
    'show-prompt': { type: 'boolean' },
    ...RUNTIME_OPTIONS,
  },
  help: {
    split: 'The encounters: a split name (train, valid, test1, test2, test3) or an ACI-BENCH CSV. Required.',
    model: `${MODEL_HELP} Required.`,
    out: 'The predictions CSV to write (dataset, encounter_id, dialogue, note). Required.',
    corpus: CORPUS_HELP,
    endpoint: 'Generate through an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, medigen serve) at this base URL, e.g. http://gpu-box:8000/v1; --model is then the name it serves. Dialogue text is sent to that server. API key: MEDIGEN_API_KEY.',
    phi: 'With --endpoint: what to do with identifiers (names, phone numbers, …) the guard finds in the dialogues before they are sent: "scrub" replaces each by a placeholder such as [NAME], "send" sends them as they are, "stop" sends nothing. Asked when run in a terminal; without it, a run that is not interactive is refused when identifiers are found.',
    lora: 'A LoRA adapter applied on top of the model: a .gguf adapter, a PEFT adapter folder, or a training run folder (converted on the way, cached).',
    'lora-scale': 'How strongly to apply the adapter. Defaults to 1.',
    parallel: 'Notes generated at the same time on one context (faster, but not reproducible bit for bit). Defaults to 1.',
    grammar: '"soap" forces the sections CHIEF COMPLAINT … ASSESSMENT AND PLAN in order; "free" does not. Defaults to free.',
    'max-tokens': 'Most tokens per note. Defaults to 1024.',
    temperature: 'Sampling temperature; 0 always picks the most likely token. Defaults to 0.',
    'top-p': 'Nucleus sampling threshold. Defaults to 0.95.',
    seed: 'Sampling seed; same seed and settings give the same notes (with --parallel 1). Defaults to 0.',
    context: 'Tokens of context per note (prompt + note). Defaults to the smaller of the model\'s and 8192.',
    'max-prompt-tokens': 'Cut each prompt to this many tokens (the dialogue\'s end goes), the way training cut examples: for an adapter trained on short sequences (medigen train evaluate does this from the run\'s config). Local models only. Defaults to no limit.',
    template: 'A text file with the instruction (may contain {{dialogue}}). Defaults to the built-in SOAP instruction.',
    limit: 'Only the first N encounters (for a quick try).',
    restart: 'Discard an interrupted earlier run instead of resuming it.',
    'show-prompt': 'Print the first prompt exactly as the model sees it, with its token count.',
    ...RUNTIME_HELP,
  },
  details: `Finished notes are saved as they are generated (<out>.partial.jsonl). If the run is
interrupted (Ctrl+C, crash), run the same command again: it resumes and skips the notes already
written. Changing the model, adapter, split or options starts a new run (add --restart).

With --endpoint on another machine, the identifier guard scans the dialogues before any is sent
and says what it found (names, phone numbers, emails, record numbers, dates of birth, addresses,
SSNs); --phi scrub|send|stop says what to do, otherwise it asks in a terminal and refuses when
nobody can answer.

Examples:
  medigen models make-tiny
  medigen generate --split test1 --model hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M --out preds.csv --corpus ~/aci-bench
  medigen generate --split test1 --model base.gguf --lora adapter.gguf --grammar soap --parallel 2 --out preds.csv
  medigen generate --split test1 --endpoint https://llm.hospital.example/v1 --model llama-70b --phi scrub --out preds.csv
  medigen eval --gold test1 --pred preds.csv --corpus ~/aci-bench`,
  async run(ctx) {
    const v = ctx.values;
    if (!v.split) throw new UsageError('--split is required: the encounters to write notes for.', 'Example: medigen generate --split test1 --model model.gguf --out preds.csv');
    if (!v.model) throw new UsageError('--model is required: a .gguf file or hf: URI.', 'Try the tiny test model: medigen models make-tiny, then --model <the printed path>.');
    if (!v.out) throw new UsageError('--out is required: the predictions CSV to write.', 'Example: --out preds.csv');
    if (v.grammar && v.grammar !== 'soap' && v.grammar !== 'free') throw new UsageError(`--grammar must be "soap" or "free", not "${v.grammar}".`);
    if (v.phi !== undefined && !v.endpoint) throw new UsageError('--phi applies only with --endpoint: a local model sends the dialogues nowhere.', 'Leave out --phi, or add --endpoint URL.');
    if (v['max-prompt-tokens'] !== undefined && v.endpoint) throw new UsageError('--max-prompt-tokens applies only to a local model: an endpoint\'s tokens cannot be counted here.', 'Leave out --max-prompt-tokens, or generate locally with --model <file.gguf>.');
    if (v.endpoint) return generateRemote(ctx, v);
    Object.assign(v, await localArtifacts(v, ctx.err));
    const settings = runtimeSettings(v);
    const contextSize = num(v.context, 'context', { min: 256, integer: true });
    const maxPromptTokens = num(v['max-prompt-tokens'], 'max-prompt-tokens', { min: 16, integer: true });
    return withSigint(ctx.err, STOPPING, async (signal) => {
      const download = streamProgress(ctx.err, 'Downloading model');
      let downloadEnded = false;
      const endDownload = () => {
        if (!downloadEnded) download.end();
        downloadEnded = true;
      };
      try {
        await using loaded = await loadLlm(v.model!, { ...settings, progress: download, ...(contextSize ? { contextSize } : {}), signal });
        endDownload();
        const scale = num(v['lora-scale'], 'lora-scale', { min: -10, max: 10 });
        const template = v.template ? readTemplate(v.template) : undefined;
        if (v['show-prompt']) {
          const first = loadSplit(v.split!, v.corpus).encounters[0];
          if (first) {
            await using g = await NoteGenerator.create(loaded, { ...(contextSize ? { contextSize } : {}), ...(template ? { template } : {}), ...(maxPromptTokens ? { maxPromptTokens } : {}) });
            const p = g.renderPrompt(first);
            ctx.err.write(`Prompt for ${first.encounterId} (${p.tokens.length} tokens${p.cutTokens ? `; the last ${p.cutTokens} tokens of the dialogue were cut to fit --max-prompt-tokens` : ''}):\n${p.text}\n---\n`);
          }
        }
        const progress = streamProgress(ctx.err, 'Generating notes');
        const options = { ...splitOptions(v, { template, contextSize, scale, progress, signal }), ...(maxPromptTokens ? { maxPromptTokens } : {}) };
        if ((options.parallel ?? 1) > 1) ctx.err.write(`Note: ${PARALLEL_NOT_EXACT}\n`);
        const r = await generateSplit(loaded, options);
        progress.end();
        return reportSplit(ctx.out, v, r);
      } catch (e) {
        if (signal.aborted && !(e instanceof MedigenError)) throw new CancelledError('Generation was stopped.', 'Run the same command again to resume.', { cause: e });
        throw e;
      } finally {
        endDownload();
        await disposeRuntimes();
      }
    });
  },
});

/** Said on Ctrl+C during generation. */
const STOPPING = 'Stopping; finished notes are kept. Run the same command again to resume.';

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
  if (r.blank.length) out.write(`Warning: ${r.blank.length} of ${r.total} notes are blank and will score 0 (${r.blank.slice(0, 5).join(', ')}${r.blank.length > 5 ? ', …' : ''}). Look at the prompt (--show-prompt) and the model.\n`);
  if (r.cutAtMaxTokens.length) out.write(`Warning: ${r.cutAtMaxTokens.length} of ${r.total} notes stopped at the token limit (--max-tokens ${String(v['max-tokens'] ?? 1024)}) before they ended (${r.cutAtMaxTokens.slice(0, 5).join(', ')}${r.cutAtMaxTokens.length > 5 ? ', …' : ''}); their last sections may be missing. Raise --max-tokens.\n`);
  const subset = v.limit ? ' --only-predicted' : '';
  out.write(`Next: medigen eval --gold ${String(v.split)} --pred ${String(v.out)}${v.corpus ? ` --corpus ${String(v.corpus)}` : ''}${subset}\n`);
  if (subset) out.write(`(--only-predicted scores only the ${r.total} encounters generated with --limit, not the whole split; the figures are not comparable with full-split results.)\n`);
  return EXIT.ok;
}

/** The --phi value, checked. */
function phiFlag(v: GenerateValues): PhiChoice | undefined {
  if (v.phi === undefined) return undefined;
  const c = PHI_CHOICES.find((x) => x === v.phi);
  if (!c) throw new UsageError(`--phi ${String(v.phi)} is not a choice.`, 'Use --phi scrub (replace identifiers by placeholders), --phi send (send as is) or --phi stop (send nothing).');
  return c;
}

/** Asks on the terminal until the answer is scrub, send or stop; Ctrl+C or Ctrl+D is "stop". */
async function askPhi(question: string, err: NodeJS.WriteStream): Promise<PhiChoice> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: err });
  const stopped = new AbortController();
  rl.on('SIGINT', () => stopped.abort());
  try {
    for (;;) {
      const c = parsePhiAnswer(await rl.question(`${question}\nType scrub, send or stop: `, { signal: stopped.signal }));
      if (c) return c;
      err.write('Please answer scrub, send or stop.\n');
    }
  } catch {
    err.write('\n');
    return 'stop';
  } finally {
    rl.close();
  }
}

/**
 * The identifier guard before dialogues leave this computer: scans the dialogues of the split,
 * says what it found, and decides (--phi, else a question in a terminal, else a refusal when
 * identifiers were found). An endpoint on this computer is not guarded unless --phi is given.
 */
async function guardDialogues(ctx: { err: NodeJS.WriteStream }, v: GenerateValues, baseUrl: string): Promise<PhiChoice> {
  const flag = phiFlag(v);
  if (isLocalEndpoint(baseUrl) && !flag) return 'send';
  const limit = num(v.limit as string | undefined, 'limit', { min: 1, integer: true });
  const encounters = loadSplit(String(v.split), v.corpus as string | undefined).encounters.slice(0, limit ?? undefined);
  const findings = findIdentifiersIn(encounters);
  const interactive = Boolean(process.stdin.isTTY && ctx.err.isTTY);
  const decision = decidePhi({ findings, interactive, destination: new URL(baseUrl).host, ...(flag ? { choice: flag } : {}) });
  if ('choice' in decision) ctx.err.write(`${describeFindings(findings)}\n`);
  return 'choice' in decision ? decision.choice : askPhi(decision.ask, ctx.err);
}

/** `generate --endpoint`: the same split generation through an OpenAI-compatible server. */
async function generateRemote(ctx: { values: GenerateValues; out: NodeJS.WritableStream; err: NodeJS.WriteStream }, v: GenerateValues): Promise<number> {
  const endpoint = { baseUrl: String(v.endpoint), model: String(v.model) };
  const warning = remoteWarning(endpoint.baseUrl);
  if (warning) ctx.err.write(`Note: ${warning}\n`);
  const phi = await guardDialogues(ctx, v, endpoint.baseUrl);
  if (phi === 'stop') {
    ctx.err.write('Stopped: no dialogue was sent and no notes were written. Scrub the file first (medigen phi scrub SPLIT --out FILE), or run again with --phi scrub.\n');
    return EXIT.failed;
  }
  if (phi === 'scrub') ctx.err.write('Identifiers are replaced by placeholders such as [NAME] before each dialogue is sent; the CSV keeps the original dialogues.\n');
  return withSigint(ctx.err, STOPPING, async (signal) => {
    const template = v.template ? readTemplate(String(v.template)) : undefined;
    const progress = streamProgress(ctx.err, 'Generating notes');
    const r = await generateSplit(endpoint, { ...splitOptions(v, { ...(template ? { template } : {}), progress, signal }), ...(phi === 'scrub' ? { scrubIdentifiers: true } : {}) });
    progress.end();
    return reportSplit(ctx.out, v, r);
  });
}

export const generateCommands: Command[] = [generate];
