/**
 * Generation benchmarks on a generated tiny llama, CPU, with the thread settings `medigen generate`
 * picks for this machine (models/llm/hardware.ts; on 2 cores: 1 thread):
 *  1. overhead: tokens/s of `generateSplit` (what `medigen generate` runs: prompt building, chat
 *     template, resume file, CSV) against a bare node-llama-cpp loop over the same prompts;
 *     target: ours >= 0.9x the bare loop.
 *  2. parallel: 8 notes on 8 sequences of one context against the same 8 notes one at a time;
 *     target: >= 1.5x the throughput.
 * Both figures are medians over ROUNDS rounds whose order alternates (bare/serial/parallel, then
 * parallel/serial/bare, ...), so that machine load drifting during a run does not favour one side.
 * The one-at-a-time `generateSplit` run is both "ours" in (1) and "serial" in (2).
 * Throughput counts the whole run (context creation, prompt evaluation and generation), as a user
 * waiting for a split experiences it.
 * Why 1.5x is hard here (measured on the 2-vCPU machine, 1 thread, medians): evaluating the 8
 * prompts (~9400 tokens) takes ~7.5 s whether they go one by one or together, ~40% of the
 * one-at-a-time run; and a decode step for 8 notes costs ~40 ms against ~7 ms for one (only ~1.4x),
 * because at this width each token's attention over its ~1300-token prompt (~3.5 ms) costs more
 * than the shared weights. So 8 at once is ~1.2x with 1 thread everywhere. (2 threads for the
 * batches halve prompt evaluation only while the second core is free, and cost ~25% under load.)
 * Flash attention off, F32 / Q8_0 KV caches, a 2048-token batch and a 768-wide model were tried:
 * none reached 1.5x overall.
 * Run alone: `npx tsx test/bench/generate.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LlamaChatSession, resolveChatWrapper } from 'node-llama-cpp';
import { SPLITS, type Encounter } from '../../datasets/index';
import { loadSplit } from '../../datasets/index';
import { writeCsv } from '../../datasets/index';
import { generateSplit } from '../../models/generation/index';
import { loadLlm, type LoadedLlm } from '../../models/llm/index';
import { noteMessages } from '../../datasets/index';
import { makeTinyLlama } from '../../models/tiny/index';
import type { BenchResult } from './rouge';

const MAX_TOKENS = 192;
const CONTEXT = 2048;
/** Rounds of (bare, serial, parallel); the figures are their medians. */
const ROUNDS = 3;
/**
 * The benchmark model: the tiny test llama's recipe, wider (~7 M parameters, 15 MB F16). Both
 * ratios are taken on this one model. Why not the 64-dim test model: measured on this machine
 * (decode steps after a ~1300-token prompt, 1 thread), one 64-dim token costs ~3.5 ms, almost all
 * of it attention over the prompt (flash attention on 16-wide heads) and fixed per-step work, and
 * batching 8 sequences makes a step ~8x as long (0.9-1.1x throughput): it measures llama.cpp's
 * per-step costs, not what parallel sequences buy with a real model, whose weights dominate.
 * At 384 wide the weight matrices are a real share of each token (8 at once: ~1.3-1.5x per decode
 * step); 768 wide is closer still to real models (~1.6x) but makes the benchmark ~4x slower.
 */
const BENCH_MODEL = { embedding: 384, layers: 4, heads: 6, kvHeads: 2, feedForward: 1024 } as const;

/** Eight distinct encounters from the shipped sample, as one CSV. */
function sampleEncounters(dir: string): { file: string; encounters: Encounter[] } {
  const encounters = SPLITS.flatMap((s) => loadSplit(s).encounters).slice(0, 8);
  const file = join(dir, 'eight.csv');
  writeFileSync(file, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], encounters.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])));
  return { file, encounters };
}

/**
 * A bare node-llama-cpp loop: one context, one sequence, a plain LlamaChatSession per note, greedy.
 * The chat wrapper is resolved once, as ours does: left to each session, resolving it costs
 * ~0.4 s per note and made the bare loop look ~15% slower than it is.
 */
async function bareLoop(loaded: LoadedLlm, encounters: Encounter[]): Promise<{ tokens: number; tps: number }> {
  let tokens = 0;
  const start = performance.now();
  const ctx = await loaded.model.createContext({ contextSize: CONTEXT, threads: loaded.settings.threads });
  const chatWrapper = resolveChatWrapper(loaded.model);
  try {
    const seq = ctx.getSequence();
    for (const e of encounters) {
      const { system, user } = noteMessages(e);
      const session = new LlamaChatSession({ contextSequence: seq, chatWrapper, systemPrompt: system, autoDisposeSequence: false });
      await session.prompt(user, { maxTokens: MAX_TOKENS, temperature: 0, onToken: (t) => (tokens += t.length) });
      session.dispose({ disposeSequence: false });
      await seq.clearHistory();
    }
  } finally {
    await ctx.dispose();
  }
  return { tokens, tps: tokens / ((performance.now() - start) / 1000) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function benchGenerate(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'medigen-genbench-'));
  const model = join(dir, 'bench-llama.gguf');
  await makeTinyLlama(model, BENCH_MODEL);
  // the thread settings a user's `medigen generate` gets on this machine (MEDIGEN_THREADS etc. apply)
  const loaded = await loadLlm(model, { gpu: 'cpu' });
  try {
    const { file, encounters } = sampleEncounters(dir);
    // warm-up (first context creation, page cache)
    await generateSplit(loaded, { split: file, out: join(dir, 'warm.csv'), maxTokens: 16, limit: 1, contextSize: CONTEXT });

    const split = (parallel: number, out: string) => generateSplit(loaded, { split: file, out: join(dir, out), maxTokens: MAX_TOKENS, contextSize: CONTEXT, parallel, restart: true });
    const bareTps: number[] = [];
    const serialTps: number[] = [];
    const parallelTps: number[] = [];
    const bareTokens: number[] = [];
    const serialTokens: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const steps: (() => Promise<void>)[] = [
        async () => {
          const b = await bareLoop(loaded, encounters);
          bareTps.push(b.tps);
          bareTokens.push(b.tokens);
        },
        async () => {
          const s = await split(1, 'serial.csv');
          serialTps.push(s.generatedTokens / s.seconds);
          serialTokens.push(s.generatedTokens);
        },
        async () => {
          const p = await split(8, 'parallel.csv');
          parallelTps.push(p.generatedTokens / p.seconds);
        },
      ];
      for (const step of round % 2 ? steps.reverse() : steps) await step();
    }
    // greedy on the same prompts: every run generates the same number of tokens
    const tokensAgree = [...bareTokens, ...serialTokens].every((t) => t === bareTokens[0]);
    const ours = median(serialTps);
    const bare = median(bareTps);
    const par = median(parallelTps);
    const overhead = ours / bare;
    const speedup = par / ours;
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join('/');
    return [
      {
        name: 'Generation overhead (medigen generate vs bare node-llama-cpp loop)',
        ok: overhead >= 0.9 && tokensAgree,
        line: `Generation: medigen generate ${ours.toFixed(1)} tok/s, bare node-llama-cpp ${bare.toFixed(1)} tok/s, ratio ${overhead.toFixed(2)} (target >= 0.90); medians of ${ROUNDS} rounds (ours ${runs(serialTps)}, bare ${runs(bareTps)}); tokens bare ${bareTokens.join('/')}, ours ${serialTokens.join('/')}`,
        figures: { oursTps: ours, bareTps: bare, overhead },
      },
      {
        name: 'Parallel generation (8 notes on 8 sequences vs one at a time)',
        ok: speedup >= 1.5,
        line: `Parallel: 8 at once ${par.toFixed(1)} tok/s, one at a time ${ours.toFixed(1)} tok/s, ratio ${speedup.toFixed(2)}x (target >= 1.5x); medians of ${ROUNDS} rounds (8 at once ${runs(parallelTps)}); threads ${loaded.settings.threads}`,
        figures: { parallelTps: par, serialTps: ours, speedup },
      },
    ];
  } finally {
    await loaded.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchGenerate()) console.log(r.line);
}
