/**
 * Shared pieces of the real-trainer suite (`npm run test:trainer`): the Python environment built by
 * scripts/trainEnv/makeVenv.sh, the tiny random Hugging Face llama made once per test process,
 * and greedy decoding on both sides (Hugging Face in Python, GGUF in node-llama-cpp).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Token } from 'node-llama-cpp';
import { projectRoot } from '../../core/index';
import { getRuntime } from '../../models/llm/index';
import { CHATML_TEMPLATE } from '../../models/tiny/index';

/** The venv the suite trains in (MEDIGEN_TRAIN_VENV, as makeVenv.sh reads it; defaults to .cache/train-venv). */
export const VENV_PYTHON = join(resolve(projectRoot(), process.env.MEDIGEN_TRAIN_VENV ?? join('.cache', 'train-venv')), 'bin', 'python');
/** The real ACI-BENCH corpus (CI has it next to the checkout). */
export const CORPUS = join(projectRoot(), '..', 'shared', 'aci-bench');
const HELPER = join(projectRoot(), 'test', 'trainer', 'tiny_hf_llama.py');

/** The venv's python; a clear failure (not a skip) when it has not been built. */
export function requireVenv(): string {
  if (!existsSync(VENV_PYTHON)) throw new Error(`${VENV_PYTHON} does not exist. Run \`npm run test:trainer\` (it builds the environment from the local mirror) or \`bash scripts/trainEnv/makeVenv.sh\`.`);
  if (!existsSync(join(CORPUS, 'challenge_data', 'train.csv'))) throw new Error(`The ACI-BENCH corpus is not at ${CORPUS}.`);
  return VENV_PYTHON;
}

let scratch: string | undefined;
/** A temp folder for this test process, removed when it exits. */
export function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'medigen-trainer-suite-'));
    scratch = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

/** Runs the helper script in the venv and parses the JSON line it prints. */
export function helper<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(requireVenv(), [HELPER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as T);
      else reject(new Error(`tiny_hf_llama.py ${args[0]} exited with ${code}:\n${err.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

let tiny: Promise<string> | undefined;
/**
 * The tiny random llama in Hugging Face format (hidden 64, 2 layers, 4 heads, 2 kv heads, ffn 128)
 * with a 400-merge byte-level BPE trained on ACI-BENCH train text and the ChatML template; made
 * once per test process.
 */
export function tinyHfModel(): Promise<string> {
  tiny ??= (async () => {
    const out = join(scratchDir(), 'tiny-hf-llama');
    await helper(['make', '--out', out, '--text-csv', join(CORPUS, 'challenge_data', 'train.csv'), '--merges', '400', '--chat-template', CHATML_TEMPLATE]);
    return out;
  })();
  return tiny;
}

export interface HfGreedy {
  prompt_ids: number[];
  ids: number[];
  text: string;
  min_gap: number | null;
  stop_ids: number[];
}

/** Greedy continuation from the Hugging Face model (optionally with a PEFT adapter). */
export function hfGreedy(model: string, prompt: string, tokens: number, adapter?: string): Promise<HfGreedy> {
  return helper<HfGreedy>(['greedy', '--model', model, '--prompt', prompt, '--tokens', String(tokens), ...(adapter ? ['--adapter', adapter] : [])]);
}

/** Greedy continuations from the Hugging Face model with a PEFT adapter and without (one Python start). */
export function hfGreedyWithBase(model: string, prompt: string, tokens: number, adapter: string): Promise<HfGreedy & { base: HfGreedy }> {
  return helper<HfGreedy & { base: HfGreedy }>(['greedy', '--model', model, '--prompt', prompt, '--tokens', String(tokens), '--adapter', adapter, '--with-base']);
}

/** Greedy continuation (token ids) of a GGUF model in node-llama-cpp, from given prompt ids, on 1 thread. */
export async function ggufGreedy(modelPath: string, promptIds: number[], tokens: number, stopIds: number[], lora?: string): Promise<number[]> {
  const llama = await getRuntime({ gpu: 'cpu', threads: 1 });
  const model = await llama.loadModel({ modelPath });
  try {
    const ctx = await model.createContext({ contextSize: 512, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora, scale: 1 }] } } : {}) });
    try {
      const out: number[] = [];
      for await (const t of ctx.getSequence().evaluate(promptIds as Token[], { temperature: 0 })) {
        if (stopIds.includes(t) || out.length >= tokens) break;
        out.push(t);
        if (out.length >= tokens) break;
      }
      return out;
    } finally {
      await ctx.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/** node-llama-cpp's tokenization of texts (special tokens parsed), with a GGUF model. */
export async function ggufTokenize(modelPath: string, texts: string[]): Promise<number[][]> {
  const llama = await getRuntime({ gpu: 'cpu', threads: 1 });
  const model = await llama.loadModel({ modelPath });
  try {
    return texts.map((t) => [...model.tokenize(t, true)] as number[]);
  } finally {
    await model.dispose();
  }
}
