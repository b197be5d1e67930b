/**
 * Measures generation speed (tokens per second) of a loaded model with different thread counts,
 * so a user can pick the fastest setting for their machine.
 */
import { nodeLlamaCpp } from './lib';
import type { LoadedLlm } from './load';

/** Speed with one thread count. */
export interface ThreadMeasurement {
  threads: number;
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
}

/**
 * Generates `tokens` tokens (greedy, after a short warm-up) once per thread count and reports the
 * speed of each. Defaults: thread counts 1, 2 and the number of math cores; 64 tokens.
 */
export async function measureThreads(loaded: LoadedLlm, threadCounts?: number[], tokens = 64, signal?: AbortSignal): Promise<ThreadMeasurement[]> {
  const counts = threadCounts ?? [...new Set([1, 2, loaded.llama.cpuMathCores])].sort((a, b) => a - b);
  const { LlamaCompletion } = await nodeLlamaCpp();
  const results: ThreadMeasurement[] = [];
  for (const threads of counts) {
    if (signal?.aborted) break;
    const context = await loaded.model.createContext({ contextSize: 512, threads });
    try {
      const sequence = context.getSequence();
      const completion = new LlamaCompletion({ contextSequence: sequence });
      await completion.generateCompletion('The patient', { maxTokens: 4, temperature: 0 });
      await sequence.clearHistory();
      let n = 0;
      const start = performance.now();
      await completion.generateCompletion('The patient reports knee pain', { maxTokens: tokens, temperature: 0, onToken: (t) => (n += t.length), ...(signal ? { signal } : {}) });
      const seconds = (performance.now() - start) / 1000;
      results.push({ threads, tokens: n, seconds, tokensPerSecond: n / Math.max(seconds, 1e-9) });
    } finally {
      await context.dispose();
    }
  }
  return results;
}
