/**
 * Counting tokens: whitespace tokens (what the ACI-BENCH paper's tables count) and, when a local
 * tokenizer folder is given, the model's own tokens (what a context window is measured in).
 * Tokenizers load with @huggingface/transformers, offline only: nothing is ever downloaded.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { importPackage, MedigenError } from '../core/index';

/** Counts tokens of a text. */
export interface TokenCounter {
  /** 'whitespace' or the tokenizer folder's name. */
  name: string;
  count(text: string): number;
}

/** Number of whitespace-separated tokens: `countWhitespaceTokens('i , i just')` is 4. */
export function countWhitespaceTokens(text: string): number {
  let n = 0;
  let inTok = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ws = c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
    if (!ws && !inTok) n++;
    inTok = !ws;
  }
  return n;
}

/** The default counter: whitespace tokens. */
export const whitespaceCounter: TokenCounter = { name: 'whitespace', count: countWhitespaceTokens };

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Loads a tokenizer from a local folder holding `tokenizer.json` (and usually
 * `tokenizer_config.json`), e.g. a model downloaded from Hugging Face. Remote loading is switched
 * off: a folder without the files fails with a MedigenError, it never reaches the network.
 * Counts exclude special tokens such as <s>.
 */
export async function loadTokenizer(dir: string): Promise<TokenCounter> {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new MedigenError(`The tokenizer folder ${abs} does not exist.`, 'Give --tokenizer the folder of a downloaded model, the one that holds tokenizer.json.');
  }
  if (!existsSync(join(abs, 'tokenizer.json'))) {
    throw new MedigenError(`The folder ${abs} has no tokenizer.json.`, 'Give --tokenizer the folder of a Hugging Face model that holds tokenizer.json and tokenizer_config.json (GGUF files alone do not carry one).');
  }
  const { AutoTokenizer, env } = await importPackage<typeof import('@huggingface/transformers')>('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  // The library joins localModelPath and the model id; ids with odd characters are read as paths.
  const id = REPO_ID.test(basename(abs)) ? basename(abs) : abs;
  if (id !== abs) env.localModelPath = `${dirname(abs)}/`;
  let tok: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  try {
    tok = await AutoTokenizer.from_pretrained(id, { local_files_only: true });
  } catch (e) {
    throw new MedigenError(`The tokenizer in ${abs} could not be loaded: ${(e as Error).message}`, 'Check that tokenizer.json and tokenizer_config.json are complete (re-download them) and come from the same model.', { cause: e });
  }
  return {
    name: basename(abs),
    count: (text: string) => tok.encode(text, { add_special_tokens: false }).length,
  };
}

/** The whitespace counter, or the tokenizer in `dir` when one is given. */
export async function tokenCounter(dir?: string): Promise<TokenCounter> {
  return dir ? loadTokenizer(dir) : whitespaceCounter;
}
