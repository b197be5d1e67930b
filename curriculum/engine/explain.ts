/**
 * JavaScript's own error messages in plain words, for students who have never programmed: what
 * the message means and what to try. A check that fails because the student's code threw shows
 * the engine's message ("push is not defined"); the lesson card and `medigen curriculum check`
 * add the line from here. Only the common runtime errors of beginners' code are covered; any
 * other message gets nothing added.
 */
import { readFileSync } from 'node:fs';

/** What a list (array) can do, written after the list: `details.push(x)`, not `push(x)`. */
const LIST_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'map', 'filter', 'forEach', 'includes', 'indexOf', 'join', 'slice', 'splice', 'sort', 'reverse', 'find', 'some', 'every', 'reduce', 'concat', 'flat', 'flatMap']);
/** What text (a string) can do, written after the text. */
const TEXT_METHODS = new Set(['split', 'trim', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'startsWith', 'endsWith', 'match', 'padStart', 'padEnd']);

interface Rule {
  pattern: RegExp;
  /** `line`: the text of the student's line the failure points at, when known. */
  explain: (m: RegExpExecArray, line?: string) => string;
}

/** A line that declares a function (`export function f(`, `const f = (…) =>`): a line where nothing is read. */
const DECLARATION = /^\s*(?:export\s+)?(?:(?:async\s+)?function\b|(?:const|let|var)\s+[\w$]+\s*(?::[^=]*)?=\s*(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*(?::[^=]*)?=>)/;

const RULES: Rule[] = [
  {
    // The starter's placeholder: a function that still throws its TODO.
    pattern: /^(?:Error: )?TODO\b/,
    explain: () => 'This is the starter\'s placeholder: the function has not been written yet, so it still stops with its TODO message. Write it as the TODO comment above that line says, then delete the line with throw new Error(`TODO…`).',
  },
  {
    pattern: /^(?:ReferenceError: )?([A-Za-z_$][\w$]*) is not defined$/,
    explain: ([, name]) =>
      LIST_METHODS.has(name!)
        ? `${name} belongs to a list: write it after the list it works on, with a dot, e.g. details.${name}(…), not ${name}(…) on its own.`
        : TEXT_METHODS.has(name!)
          ? `${name} belongs to a piece of text: write it after the text, with a dot, e.g. line.${name}(…), not ${name}(…) on its own.`
          : `Your code uses the name ${name}, but nothing called ${name} exists where it is used. Check its spelling (capital letters count), or create it first, e.g. const ${name} = …; a name made inside one function or loop does not exist outside it.`,
  },
  {
    pattern: /^(?:TypeError: )?Cannot read propert(?:y|ies) of (undefined|null) \(reading '([^']*)'\)$/,
    explain: ([, what, prop], line) =>
      // The marked line is the header of the student's function: the error happened outside their code,
      // in the check, reading what the function gave back.
      line !== undefined && DECLARATION.test(line)
        ? `The check asked for .${prop} of what your function gave back (or of one of its fields), and that is ${what}: it holds nothing. Check that your function ends with return and the value (a function without return gives back undefined), on every path through it, and the spelling of the fields it gives back.`
        : // The marked line calls something and does not read .prop itself: the reading happened inside that call.
      line !== undefined && /[\w$]\s*\(/.test(line) && !/^\s*(?:export\s+)?(?:async\s+)?function\b/.test(line) && !line.includes(`.${prop}`) && !line.includes(`'${prop}'`) && !line.includes(`"${prop}"`)
        ? `A function your code calls on the line marked in your file asked for .${prop} of a value your code gave it, and that value is ${what} (it holds nothing). The usual cause is a misspelled field name in what you pass, e.g. encounter.dialog instead of encounter.dialogue (capital letters count): compare each name on that line with the lesson.`
        : `Your code asked for .${prop} of something that is ${what} (it holds no value). Look at what comes just before .${prop} on the line marked in your file: a misspelled field name, a list position past its end, a find(…) that matched nothing (compare the values it looks for with the data, letter for letter), a function that gave back nothing (no return), or an async function called without await in front are the usual causes.`,
  },
  {
    pattern: /^(?:TypeError: )?([\w$.[\]()]+) is not a function$/,
    explain: ([, name]) => `Your code calls ${name}(…) as if it were a function, but it is not one. Check the spelling, and whether ${name} is a value (a number, text, a list) rather than something that can be called.`,
  },
  {
    pattern: /^(?:TypeError: )?Assignment to constant variable\.?$/,
    explain: (_m, line) => {
      // `if (tag = null)`: a comparison written with one =, which tries to change a const.
      const cond = line === undefined ? null : /\b(?:if|while)\s*\((.*?[^=!<>])=(?!=)/.exec(line);
      return cond
        ? `A single = gives a name a new value, and in an if (…) you meant to compare: write === there (e.g. if (tag === null)). Here it even tried to change a name made with const, so JavaScript stopped; do not change const to let.`
        : 'A name made with const cannot be given a new value. Make it with let instead if the value changes later, e.g. let count = 0; then count = count + 1.';
    },
  },
  {
    pattern: /^(?:ReferenceError: )?Cannot access '([^']+)' before initialization$/,
    explain: ([, name]) => `${name} is used on a line above the one that creates it. Move the line with const ${name} = … (or let) up, before its first use.`,
  },
  {
    pattern: /^(?:TypeError: )?(.+) is not iterable$/,
    explain: ([, what]) => `for … of goes through a list (or a Map or Set), but ${what} is not one. Check that it holds the list you mean; for an object's fields, use Object.entries(…).`,
  },
  {
    pattern: /^(?:RangeError: )?Maximum call stack size exceeded$/,
    explain: () => 'A function keeps calling itself (directly or through another) and never stops. Make sure it has a case that returns without calling itself again.',
  },
];

/**
 * The plain-words line for a JavaScript error message (its first line), or undefined when it is
 * not a common one. `at`: where in the student's files the failure points, so the words can fit
 * that line (a library function called there, rather than the line itself, read the field).
 */
export function explainJsError(message: string, at?: { file: string; line: number }): string | undefined {
  const first = (message.split('\n').find((l) => l.trim()) ?? '').trim();
  for (const r of RULES) {
    const m = r.pattern.exec(first);
    if (m) return r.explain(m, at ? lineOf(at.file, at.line) : undefined);
  }
  return undefined;
}

/**
 * Plain words for values JavaScript makes when a division goes wrong, when a failed check shows
 * one (as the value the code gave, or in its message): NaN and Infinity. Undefined otherwise.
 */
export function explainValues(r: { message?: string; expected?: string; actual?: string }): string | undefined {
  const text = `${r.actual ?? ''}\n${r.message ?? ''}`;
  // { undefined: 7 }: a name looked up from a field that holds nothing.
  if (/(?:^|[{,]\s*)["']?undefined["']?\s*:/m.test(r.actual ?? '')) {
    return 'Your result has an entry named undefined: your code used a value that holds nothing as a name, e.g. counts[encounter.Dataset] with a misspelled field (capital letters count), or for … in (which goes through positions: 0, 1, 2) where for … of (which goes through the items themselves) was meant.';
  }
  if (/(?<![\w'"])NaN(?![\w'"])/.test(text)) {
    return 'NaN means "not a number". JavaScript gives it for arithmetic with a value that is undefined: a count that never started at 0 (counts[k] += 1 before counts[k] = 0), or a misspelled field. It also gives it for 0 / 0, such as a share of a text that has no words. So: start each count at 0, check the spelling of the fields you compute with, and check for zero before dividing.';
  }
  // The word "undefined" inside a text the code built: it joined a field that does not exist.
  if (/["'][^"'\n]*\bundefined\b[^"'\n]*["']/.test(r.actual ?? '')) {
    return 'Your text contains the word "undefined": your code put in a field or variable that holds nothing, usually a misspelled field name (capital letters count). Compare each name you join into the text with the lesson.';
  }
  if (/(?<![\w'"])-?Infinity(?![\w'"])/.test(text)) return 'Infinity comes from dividing a number by 0. Check for zero before dividing (when a text has no words, give 0).';
  // Two texts that differ only in blank space at their ends: hard to see in the values shown.
  const unquote = (v?: string) => (v && v.length >= 2 && /^(['"`]).*\1$/s.test(v) ? v.slice(1, -1) : undefined);
  const [want, got] = [unquote(r.expected), unquote(r.actual)];
  if (want !== undefined && got !== undefined && want !== got && want.replace(/^(?:\s|\\n|\\t)+|(?:\s|\\n|\\t)+$/g, '') === got.replace(/^(?:\s|\\n|\\t)+|(?:\s|\\n|\\t)+$/g, '')) {
    return 'The two texts differ only in blank space at their start or end (a space or a line break): look for a .trim() too many or too few.';
  }
  // Nothing at all where a value was expected: usually a function without return.
  if (r.actual?.trim() === 'undefined' || /\byour code gave undefined\b/.test(r.message ?? '')) {
    return 'undefined means "nothing": your code gave back no value here. A function without return gives back undefined: check that yours ends with return and the value, on every path through it. If the check read a field, check its spelling (capital letters count).';
  }
  return undefined;
}

/** Line `n` (1-based) of `file`, or undefined when it cannot be read. */
function lineOf(file: string, n: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[n - 1];
  } catch {
    return undefined;
  }
}

/** Most lines of a check's message shown on the lesson card and by `medigen curriculum check`. */
export const MESSAGE_LINES = 6;

/**
 * The lines of a failed check's message worth showing. A check author's message is shown whole (up
 * to MESSAGE_LINES lines, then "…"): it often explains on its next lines, e.g. where two texts first
 * differ. Node's own assertion text ("Expected values to be strictly equal:" and a diff) is cut to
 * its first line, and that line is said in plain words when expected and actual are shown beside it.
 */
export function checkMessageLines(r: { message?: string; generatedMessage?: boolean; expected?: string; actual?: string }): string[] {
  const hasValues = r.expected !== undefined && r.actual !== undefined;
  let text = r.message ?? 'The check did not pass.';
  // Node appends the values to an author's message ("\n\n2 !== 3" or "\n+ actual - expected" and a
  // diff); they are shown beside it.
  if (hasValues) text = text.replace(/\n(?:\+ actual - expected(?: \.\.\. Lines skipped)?\n[\s\S]*|\n[^\n]* !== [^\n]*\n?)$/, '');
  const lines = text.split('\n').filter((l) => l.trim());
  const first = lines[0] ?? 'The check did not pass.';
  if (/^Expected values to be .*:$/.test(first.trim())) return [hasValues ? 'Your code gave a different value than the check expected.' : first];
  if (r.generatedMessage) return [first];
  return lines.length > MESSAGE_LINES ? [...lines.slice(0, MESSAGE_LINES), '…'] : lines;
}
