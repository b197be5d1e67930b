/**
 * Slips a beginner's code makes that run without an error but give wrong results, found in the
 * student's source text: a single `=` where a comparison was meant, in the condition of an `if` or
 * a `while` (`if (s.supported = false)`), or in what a `filter`/`find`/`some`/`every` callback gives
 * back (`notes.filter((n) => n.rating = 'usable-as-is')`). JavaScript runs both happily: the first
 * changes the value and never enters the branch, the second keeps every item. When a check fails,
 * the lesson card and `medigen curriculum check` point at each such line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One slip in a student's file. */
export interface Slip {
  /** The file's name in the student's folder (set by slipsInFolder). */
  file?: string;
  /** 1-based line and column of the `=`. */
  line: number;
  column: number;
  /** The code around it, as written: the condition or the callback. */
  code: string;
  /** What it does and what to write instead, in plain words. */
  advice: string;
}

/** `source` with the insides of comments, strings and template literals blanked (same length, same line breaks). */
function blankLiterals(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let k = i + 1;
      while (k < source.length && source[k] !== c && !(c !== '`' && source[k] === '\n')) k += source[k] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(k, source.length));
      i = k + 1;
    } else i++;
  }
  return out.join('');
}

/** Index of the `)` that closes the `(` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '(' || text[k] === '[' || text[k] === '{') depth++;
    else if (text[k] === ')' || text[k] === ']' || text[k] === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

/** Indexes of the lone `=` signs (assignments) in text[from, to): not part of ==, ===, !=, <=, >=, =>, +=, …. */
function loneEquals(text: string, from: number, to: number): number[] {
  const found: number[] = [];
  for (let k = from; k < to; k++) {
    if (text[k] !== '=') continue;
    if (/[=!<>+\-*/%&|^?]/.test(text[k - 1] ?? '') || /[=>]/.test(text[k + 1] ?? '')) continue;
    found.push(k);
  }
  return found;
}

/**
 * Whether the `=` at `at` sits in parentheses of its own inside the condition starting at `from`,
 * as in `while ((m = re.exec(s)) !== null)`: the way to say an assignment there is meant.
 */
function inGroupingParens(text: string, from: number, at: number): boolean {
  const open: number[] = [];
  for (let k = from; k < at; k++) {
    if (text[k] === '(') open.push(k);
    else if (text[k] === ')') open.pop();
  }
  const inner = open.at(-1);
  // A call's parentheses follow a name or a closing bracket; grouping ones do not.
  return inner !== undefined && !/[\w$)\]]\s*$/.test(text.slice(from, inner));
}

function position(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** The name just before the `=` at `at` (`s.supported`, `note.rating`), as written. */
function target(source: string, at: number): string {
  return /([\w$]+(?:\s*(?:\.|\?\.)\s*[\w$]+|\[[^\]\n]*\])*)\s*$/.exec(source.slice(Math.max(0, at - 80), at))?.[1] ?? 'it';
}

const CALLBACK = /\.(filter|find|findIndex|findLast|findLastIndex|some|every)\s*\(\s*(?:\(\s*[\w$]+\s*(?::\s*[\w$.<>[\]| ]+)?\)|[\w$]+)\s*=>(?!\s*\{)\s*/g;

/** The slips in one file's source text. */
export function slipsIn(source: string): Slip[] {
  const text = blankLiterals(source);
  const slips: Slip[] = [];
  const oneLine = (from: number, to: number) => source.slice(from, to).replace(/\s+/g, ' ').trim();
  for (const m of text.matchAll(/\b(if|while)\s*\(/g)) {
    const open = m.index! + m[0].length - 1;
    const close = closing(text, open);
    if (close === -1) continue;
    for (const at of loneEquals(text, open + 1, close)) {
      if (inGroupingParens(text, open + 1, at)) continue; // while ((m = re.exec(s)) !== null): meant
      const name = target(source, at);
      slips.push({
        ...position(source, at),
        code: `${m[1]} (${oneLine(open + 1, close)})`,
        advice: `A single = puts a new value into ${name}; it does not compare. So this ${m[1]} ${m[1] === 'if' ? 'does not test what you meant, and the value is changed' : 'loop does not test what you meant'}. To compare, write === (or !== for "is not").`,
      });
    }
  }
  for (const m of text.matchAll(CALLBACK)) {
    const bodyStart = m.index! + m[0].length;
    // The body ends at the `)` closing the call, or at a comma outside brackets.
    let depth = 0;
    let end = bodyStart;
    for (; end < text.length; end++) {
      const c = text[end]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    for (const at of loneEquals(text, bodyStart, end)) {
      const name = target(source, at);
      slips.push({
        ...position(source, at),
        code: oneLine(m.index! + 1, end + 1),
        advice: `A single = gives ${name} a new value instead of comparing it, for every item: so ${m[1]}(…) does not pick the items you meant, and it changes them. To compare, write ===.`,
      });
    }
  }
  // An `=` in a callback inside an if condition is found twice: once is enough.
  const seen = new Set<string>();
  return slips.sort((a, b) => a.line - b.line || a.column - b.column).filter((x) => !seen.has(`${x.line}:${x.column}`) && seen.add(`${x.line}:${x.column}`));
}

/** The slips in the student's code files of `workDir` (its top level, as the checks load them). */
export function slipsInFolder(workDir: string): Slip[] {
  let files: string[];
  try {
    files = readdirSync(workDir).filter((f) => /\.(ts|mts|cts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    try {
      return slipsIn(readFileSync(join(workDir, file), 'utf8')).map((s) => ({ ...s, file }));
    } catch {
      return [];
    }
  });
}
