/**
 * Generation benchmarks on the generated tiny model, CPU, 1 thread (the right choice on this
 * 2-core machine; see models/llm/hardware.ts):
 *  1. overhead: tokens/s of `generateSplit` (what `medigen generate` runs: prompt building, chat
 *     template, resume file, CSV) against a bare node-llama-cpp loop over the same prompts;
 *     target: ours >= 0.9x the bare loop.
 *  2. parallel: 8 notes on 8 sequences of one context against the same 8 notes one at a time;
 *     target: >= 1.5x the throughput.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaChatSession } from 'node-llama-cpp';
import { SPLITS, type Encounter } from '../../datasets/types';
import { loadSplit } from '../../datasets/corpus';
import { writeCsv } from '../../datasets/csv';
import { generateSplit } from '../../models/llm/batch';
import { loadLlm } from '../../models/llm/load';
import { noteMessages } from '../../models/llm/prompt';
import { makeTinyLlama } from '../../scripts/tiny-models/make-tiny-llama';
import type { BenchResult } from './rouge';

const MAX_TOKENS = 192;
/**
 * The benchmark model: the tiny test llama's recipe, wider, so that one token costs real matrix
 * work (as with any real model) instead of only per-token bookkeeping. ~11 M parameters.
 */
const BENCH_MODEL = { embedding: 384, layers: 4, heads: 6, kvHeads: 2, feedForward: 1024 } as const;

/** Eight distinct encounters from the shipped sample, as one CSV. */
function sampleEncounters(dir: string): { file: string; encounters: Encounter[] } {
  const encounters = SPLITS.flatMap((s) => loadSplit(s).encounters).slice(0, 8);
  const file = join(dir, 'eight.csv');
  writeFileSync(file, writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], encounters.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])));
  return { file, encounters };
}

export async function benchGenerate(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'medigen-genbench-'));
  const model = join(dir, 'bench-llama.gguf');
  await makeTinyLlama(model, BENCH_MODEL);
  const loaded = await loadLlm(model, { gpu: 'cpu', threads: 1 });
  try {
    const { file, encounters } = sampleEncounters(dir);
    // warm-up (first context creation, page cache)
    await generateSplit(loaded, { split: file, out: join(dir, 'warm.csv'), maxTokens: 16, limit: 1, contextSize: 2048 });

    // 1. our pipeline vs a bare node-llama-cpp loop, same prompts, greedy, one at a time
    const ours = await generateSplit(loaded, { split: file, out: join(dir, 'ours.csv'), maxTokens: MAX_TOKENS, contextSize: 2048 });
    const ctx = await loaded.model.createContext({ contextSize: 2048, threads: 1 });
    let bareTokens = 0;
    const bareStart = performance.now();
    const seq = ctx.getSequence();
    for (const e of encounters) {
      const { system, user } = noteMessages(e);
      const session = new LlamaChatSession({ contextSequence: seq, systemPrompt: system, autoDisposeSequence: false });
      await session.prompt(user, { maxTokens: MAX_TOKENS, temperature: 0, onToken: (t) => (bareTokens += t.length) });
      session.dispose({ disposeSequence: false });
      await seq.clearHistory();
    }
    const bareSeconds = (performance.now() - bareStart) / 1000;
    await ctx.dispose();
    const oursTps = ours.generatedTokens / ours.seconds;
    const bareTps = bareTokens / bareSeconds;
    const overhead = oursTps / bareTps;

    // 2. eight notes in parallel on one context vs one at a time
    const serial = await generateSplit(loaded, { split: file, out: join(dir, 'serial.csv'), maxTokens: MAX_TOKENS, contextSize: 2048, parallel: 1 });
    const parallel = await generateSplit(loaded, { split: file, out: join(dir, 'parallel.csv'), maxTokens: MAX_TOKENS, contextSize: 2048, parallel: 8 });
    const serialTps = serial.generatedTokens / serial.seconds;
    const parallelTps = parallel.generatedTokens / parallel.seconds;
    const speedup = parallelTps / serialTps;
    return [
      {
        name: 'Generation overhead (medigen generate vs bare node-llama-cpp loop)',
        ok: overhead >= 0.9 && ours.generatedTokens === bareTokens,
        line: `Generation: medigen generate ${oursTps.toFixed(1)} tok/s, bare node-llama-cpp ${bareTps.toFixed(1)} tok/s, ratio ${overhead.toFixed(2)} (target >= 0.90); tokens ${ours.generatedTokens} vs ${bareTokens}`,
        figures: { oursTps, bareTps, overhead },
      },
      {
        name: 'Parallel generation (8 notes on 8 sequences vs one at a time)',
        ok: speedup >= 1.5,
        line: `Parallel: 8 at once ${parallelTps.toFixed(1)} tok/s, one at a time ${serialTps.toFixed(1)} tok/s, ratio ${speedup.toFixed(2)}x (target >= 1.5x)`,
        figures: { parallelTps, serialTps, speedup },
      },
    ];
  } finally {
    await loaded.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
