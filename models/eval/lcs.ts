/**
 * Longest common subsequence (LCS) of two token-id sequences, the core of ROUGE-L.
 *
 * Two implementations with identical results:
 * - `BitLcs`: bit-parallel (Allison-Dix / Hyyrö): one table row is a bit vector, so 32 cells are
 *   computed per machine operation. Used by the scorer.
 * - `lcsTableMarks` / `lcsLengthTable`: the textbook dynamic-programming table, kept as the
 *   readable reference the tests compare against.
 *
 * Backtracking follows rouge_score exactly: on a match take the diagonal; otherwise move left
 * (j-1) only when table[i][j-1] > table[i-1][j], else move up (i-1). Other tie rules pick a
 * different LCS and change ROUGE-Lsum.
 */

import { MedigenError } from '../../core/index';

/**
 * The most LCS work one pair of token sequences may take: tokens(a) × tokens(b). At this size the
 * bit-parallel pass does ~2.5·10⁸ word operations and the backtrack keeps up to 1 GB of rows
 * (tokens(a) × tokens(b) / 8 bytes), so anything larger is refused instead of running for hours.
 * A 20 MB note on one line (3.5 million words) against a 2,000-word reference is 7·10⁹.
 */
export const MAX_LCS_CELLS = 8e9;

/** Two texts too long to compare by LCS within {@link MAX_LCS_CELLS}. */
export class TooLongToScoreError extends MedigenError {
  static override readonly kind: string = 'TooLongToScoreError';
  constructor(
    readonly aTokens: number,
    readonly bTokens: number,
  ) {
    super(
      `A note is too long to score: a line of ${aTokens.toLocaleString('en-US')} words compared with one of ${bTokens.toLocaleString('en-US')} words is beyond ROUGE-L's limit (${(MAX_LCS_CELLS / 1e9).toFixed(0)} billion word pairs).`,
      'ACI-BENCH notes are under 2,000 words. Check that your generator stopped (a runaway generation repeats text for megabytes); shorten or regenerate that note, then score again.',
    );
    this.name = 'TooLongToScoreError';
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Bit-parallel LCS with reusable buffers. Token ids must be below the `vocabSize` given to `prepare`. */
export class BitLcs {
  private slot = new Int32Array(0).fill(-1);
  private masks = new Uint32Array(64);
  private rows = new Uint32Array(64);
  private words = 0;
  private prepared: Int32Array | undefined;
  private preparedFrom = 0;
  private preparedTo = 0;

  /** Makes the id lookup large enough for ids below `vocabSize`. */
  ensureVocab(vocabSize: number): void {
    if (this.slot.length < vocabSize) {
      const s = new Int32Array(Math.max(vocabSize, this.slot.length * 2)).fill(-1);
      this.slot = s;
    }
  }

  /** Builds the match masks of b[from..to): bit j of an id's mask is set where b[from+j] is that id. */
  prepare(b: Int32Array, from = 0, to = b.length): void {
    this.release();
    const m = to - from;
    const w = Math.max(1, (m + 31) >>> 5);
    this.words = w;
    let distinct = 0;
    for (let j = from; j < to; j++) if (this.slot[b[j]!] === -1) this.slot[b[j]!] = distinct++;
    if (this.masks.length < distinct * w) this.masks = new Uint32Array(distinct * w * 2);
    this.masks.fill(0, 0, distinct * w);
    for (let j = from; j < to; j++) {
      const k = j - from;
      this.masks[this.slot[b[j]!]! * w + (k >>> 5)]! |= 1 << (k & 31);
    }
    this.prepared = b;
    this.preparedFrom = from;
    this.preparedTo = to;
  }

  /** Forgets the prepared sequence (clears the id lookup). */
  release(): void {
    const b = this.prepared;
    if (!b) return;
    for (let j = this.preparedFrom; j < this.preparedTo; j++) this.slot[b[j]!] = -1;
    this.prepared = undefined;
  }

  /**
   * Runs a[from..to) against the prepared sequence. With `keepRows`, row i (after i tokens of a)
   * is kept for `markLcs`. Returns the LCS length.
   */
  private run(a: Int32Array, from: number, to: number, keepRows: boolean): number {
    const w = this.words;
    const m = this.preparedTo - this.preparedFrom;
    const n = to - from;
    if (n * m > MAX_LCS_CELLS) throw new TooLongToScoreError(n, m);
    const need = (keepRows ? n + 1 : 1) * w;
    if (this.rows.length < need) this.rows = new Uint32Array(need < 1 << 24 ? need * 2 : need);
    const rows = this.rows;
    rows.fill(0xffffffff, 0, w);
    let cur = 0;
    for (let i = 0; i < n; i++) {
      const s = this.slot[a[from + i]!]!;
      const next = keepRows ? cur + w : cur;
      if (s < 0) {
        if (keepRows) rows.copyWithin(next, cur, cur + w);
        cur = next;
        continue;
      }
      const mb = s * w;
      let carry = 0;
      let borrow = 0;
      for (let k = 0; k < w; k++) {
        const v = rows[cur + k]!;
        const u = (v & this.masks[mb + k]!) >>> 0;
        const sum = v + u + carry;
        carry = sum > 0xffffffff ? 1 : 0;
        const diff = v - u - borrow;
        borrow = diff < 0 ? 1 : 0;
        rows[next + k] = ((sum >>> 0) | (diff >>> 0)) >>> 0;
      }
      cur = next;
    }
    return m - this.ones(cur, m);
  }

  /** How many one bits row `at` has among its first `bits` positions. */
  private ones(at: number, bits: number): number {
    const rows = this.rows;
    let c = 0;
    const full = bits >>> 5;
    for (let k = 0; k < full; k++) c += popcount32(rows[at + k]!);
    const rest = bits & 31;
    if (rest) c += popcount32(rows[at + full]! & ((1 << rest) - 1));
    return c;
  }

  /** LCS length of a[from..to) and the prepared sequence. */
  length(a: Int32Array, from = 0, to = a.length): number {
    return this.run(a, from, to, false);
  }

  /**
   * Sets mark[from + i] = 1 for every position i of a[from..to) on the LCS that rouge_score's
   * backtrack picks against the prepared sequence. Returns the LCS length.
   */
  markLcs(a: Int32Array, from: number, to: number, mark: Uint8Array): number {
    const n = to - from;
    const total = this.run(a, from, to, true);
    if (total === 0) return 0;
    const b = this.prepared!;
    const b0 = this.preparedFrom;
    const w = this.words;
    const rows = this.rows;
    let i = n;
    let j = this.preparedTo - b0;
    let cur = total; // table[i][j]
    // ones(row r, first `bits` bits), kept incrementally: j only falls while the row stays, so the
    // backtrack costs O(rows · words + j) instead of O(j) per step (quadratic on one long line).
    let cacheRow = -1;
    let cacheBits = 0;
    let cacheOnes = 0;
    const prefixOnes = (row: number, bits: number): number => {
      if (row !== cacheRow || bits > cacheBits) {
        cacheRow = row;
        cacheBits = bits;
        cacheOnes = this.ones(row * w, bits);
        return cacheOnes;
      }
      while (cacheBits > bits) {
        cacheBits--;
        cacheOnes -= (rows[row * w + (cacheBits >>> 5)]! >>> (cacheBits & 31)) & 1;
      }
      return cacheOnes;
    };
    while (i > 0 && j > 0 && cur > 0) {
      if (a[from + i - 1] === b[b0 + j - 1]) {
        mark[from + i - 1] = 1;
        i--;
        j--;
        cur--;
        continue;
      }
      // table[i][j-1]: drop column j-1 of row i (a zero bit there means the count grew at j-1).
      const bit = (rows[i * w + ((j - 1) >>> 5)]! >>> ((j - 1) & 31)) & 1;
      const left = cur - (bit ^ 1);
      const up = j - prefixOnes(i - 1, j);
      if (left > up) {
        j--;
        cur = left;
      } else {
        i--;
        cur = up;
      }
    }
    return total;
  }
}

/** Textbook LCS table of a and b: (a.length+1) x (b.length+1), row-major. */
export function lcsTable(a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  const w = b.length + 1;
  const t = new Int32Array((a.length + 1) * w);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      t[i * w + j] = a[i - 1] === b[j - 1] ? t[(i - 1) * w + j - 1]! + 1 : Math.max(t[(i - 1) * w + j]!, t[i * w + j - 1]!);
    }
  }
  return t;
}

/** Positions in `a` of the LCS rouge_score's backtrack picks, ascending (the readable reference). */
export function lcsTableMarks(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const t = lcsTable(a, b);
  const w = b.length + 1;
  const out: number[] = [];
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (t[i * w + j - 1]! > t[(i - 1) * w + j]!) j--;
    else i--;
  }
  return out.reverse();
}
