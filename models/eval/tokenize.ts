/**
 * ROUGE's tokenizer, with the exact semantics of Google's rouge_score (which ACI-BENCH uses through
 * Hugging Face `evaluate`): lower-case the text, turn every run of characters outside [a-z0-9]
 * into a space, split on spaces. "BP 120/80, stable." gives ["bp", "120", "80", "stable"].
 */
import { porterStem } from './porter';

/** Tokenizer options. */
export interface TokenizeOptions {
  /** Stem words longer than 3 letters with the Porter stemmer, like rouge_score's `use_stemmer`. Defaults to false (ACI-BENCH's setting). */
  useStemmer?: boolean;
}

const stemCache = new Map<string, string>();

function stemmed(word: string): string {
  if (word.length <= 3) return word;
  let s = stemCache.get(word);
  if (s === undefined) {
    s = porterStem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Calls `emit(token, line)` for each token of `text`; `line` counts "\n" seen so far. */
function scan(text: string, useStemmer: boolean, emit: (token: string, line: number) => void): void {
  const lower = text.toLowerCase();
  const n = lower.length;
  let line = 0;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 10;
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (word) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const tok = lower.slice(start, i);
      emit(useStemmer ? stemmed(tok) : tok, line);
      start = -1;
    }
    if (c === 10 && i < n) line++;
  }
}

/** The ROUGE tokens of a text, as rouge_score computes them. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const out: string[] = [];
  scan(text, options.useStemmer ?? false, (t) => out.push(t));
  return out;
}

/** Maps each distinct token to a small integer, so that comparisons are integer comparisons. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  /** The id of `token`, adding it when new. */
  id(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(token, id);
    }
    return id;
  }
  /** How many distinct tokens have ids. */
  get size(): number {
    return this.ids.size;
  }
}

/** A text as token ids, with its lines: line k holds ids[lineStarts[k] .. lineStarts[k+1]). */
export interface TokenIds {
  ids: Int32Array;
  /** Start offsets of each line that has tokens, plus a final entry equal to ids.length. */
  lineStarts: Int32Array;
}

/**
 * Tokenizes `text` into ids of `vocab`, keeping which tokens share a "\n"-separated line (lines
 * without tokens are left out; they cannot contribute to rougeLsum).
 */
export function tokenIds(text: string, vocab: Vocabulary, options: TokenizeOptions = {}): TokenIds {
  const ids: number[] = [];
  const starts: number[] = [];
  let lastLine = -1;
  scan(text, options.useStemmer ?? false, (t, line) => {
    if (line !== lastLine) {
      starts.push(ids.length);
      lastLine = line;
    }
    ids.push(vocab.id(t));
  });
  starts.push(ids.length);
  return { ids: Int32Array.from(ids), lineStarts: Int32Array.from(starts) };
}
