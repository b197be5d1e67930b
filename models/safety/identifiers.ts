/**
 * The identifier guard: finds names, phone numbers, emails, record numbers, dates of birth, street
 * addresses and social security numbers in dialogues and notes, written ("555-234-5678",
 * "jo@mail.com") or spoken the ACI-BENCH way ("my number is five five five , two three four ...",
 * "jo dot smith at gmail dot com"), and replaces them with typed placeholders.
 */
import firstNamesData from './data/first-names.json';
import { UNITS } from './spokenNumbers';
import { STOPWORDS, words, type Word } from './text';

export type IdentifierKind = 'name' | 'phone' | 'email' | 'mrn' | 'dob' | 'address' | 'ssn';
export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['name', 'phone', 'email', 'mrn', 'dob', 'address', 'ssn'];
export const PLACEHOLDERS: Record<IdentifierKind, string> = { name: '[NAME]', phone: '[PHONE]', email: '[EMAIL]', mrn: '[MRN]', dob: '[DOB]', address: '[ADDRESS]', ssn: '[SSN]' };

/** One identifier: its kind and where it is (`text` is `source.slice(start, end)`). */
export interface IdentifierHit {
  kind: IdentifierKind;
  text: string;
  start: number;
  end: number;
}

export interface IdentifierOptions {
  /** Names known to belong to this encounter (e.g. from ACI-BENCH metadata): found wherever they appear. */
  knownNames?: readonly string[];
}

const FIRST_NAMES = new Set(firstNamesData.names);
const TEENS_TENS = new Set(['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']);
const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
const ORDINALS = /^(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|\d{1,2}(st|nd|rd|th))$/;
const STREET = /^(street|st|avenue|ave|road|rd|drive|lane|ln|boulevard|blvd|court|ct|way|place|pl|circle|parkway|pkwy|terrace|highway|hwy|trail|pike|square)$/;
const TITLES = /^(mr|mrs|ms|miss|mister|missus|misses|doctor|dr|nurse)$/;
const NOT_A_NAME = new Set([...STOPWORDS, 'said', 'says', 'told', 'office', 'visit', 'here', 'there', 'fine', 'good', 'great', 'sorry', 'sure', 'glad', 'happy', 'doing', 'feeling', 'going', 'gonna', 'trying', 'calling', 'looking', 'seeing', 'having', 'taking', 'ready', 'back', 'done', 'told', 'thank', 'thanks', 'hi', 'hello', 'hey', 'dragon', 'dax', 'okay', 'alright', 'everyone', 'everybody', 'again', 'today', 'tomorrow', 'yesterday', 'morning', 'afternoon', 'evening', 'sir', 'maam', 'ma', 'am', 'nice', 'pleasure', 'pretty', 'still', 'worried', 'concerned', 'not', 'the', 'a']);

function isDigitWord(n: string): boolean {
  return UNITS[n] !== undefined || /^\d+$/.test(n) || n === 'double' || n === 'triple' || TEENS_TENS.has(n) || n === 'hundred';
}
function digitCount(n: string): number {
  if (/^\d+$/.test(n)) return n.length;
  if (n === 'double' || n === 'triple' || n === 'hundred') return 1;
  return TEENS_TENS.has(n) ? 2 : 1;
}

function hit(text: string, kind: IdentifierKind, start: number, end: number): IdentifierHit {
  return { kind, text: text.slice(start, end), start, end };
}

/** The words just before word i (up to n), lower case, joined by spaces. */
function before(w: readonly Word[], i: number, n: number): string {
  return w.slice(Math.max(0, i - n), i).map((x) => x.norm).join(' ');
}

/** Nothing but spaces and light punctuation between two words (a number read out in groups). */
function joined(text: string, a: Word, b: Word): boolean {
  return /^[\s,.\-()]*$/.test(text.slice(a.end, b.start)) && b.start - a.end <= 4;
}

/**
 * The kind of a number from the words said before it: the nearest cue word wins ("DOB 03/03/1962,
 * phone 617-442-9013": the phone number's cue is "phone", not "DOB"); with no cue, its length.
 */
function cueKind(cue: string, digits: number): IdentifierKind {
  const kindOf = (word: string): IdentifierKind | undefined =>
    /^(social|security|ssn|socials)$/.test(word) ? 'ssn'
    : /^(record|mrn|chart|id|identification|account|member|insurance|policy)$/.test(word) ? 'mrn'
    : /^(born|birth|birthday|dob)$/.test(word) ? 'dob'
    : /^(phone|call|cell|reach|fax|text|mobile|landline|contact)$/.test(word) ? 'phone'
    : undefined;
  const ws = cue.split(' ');
  for (let k = ws.length - 1; k >= 0; k--) {
    // "number" takes the kind of the word before it: "security number", "record number", "patient number".
    if (/^numbers?$/.test(ws[k]!)) return (k > 0 ? kindOf(ws[k - 1]!) ?? (/^(patient|medical)$/.test(ws[k - 1]!) ? 'mrn' : undefined) : undefined) ?? 'phone';
    const kind = kindOf(ws[k]!);
    if (kind) return kind;
  }
  return digits === 9 ? 'ssn' : digits === 7 || digits === 10 || digits === 11 ? 'phone' : 'mrn';
}

/** Runs of digits said or written in groups: 5 or more digits in all. */
function numberRuns(text: string, w: readonly Word[], out: IdentifierHit[]): void {
  for (let i = 0; i < w.length; i++) {
    if (!isDigitWord(w[i]!.norm) || w[i]!.norm === 'hundred' || w[i]!.norm === 'double') continue;
    let j = i;
    let digits = digitCount(w[i]!.norm);
    while (j + 1 < w.length && isDigitWord(w[j + 1]!.norm) && joined(text, w[j]!, w[j + 1]!)) digits += digitCount(w[++j]!.norm);
    if (digits >= 5 && j - i + 1 >= (/^\d+$/.test(w[i]!.norm) ? 1 : 4)) {
      out.push(hit(text, cueKind(before(w, i, 8), digits), w[i]!.start, w[j]!.end));
    }
    i = j;
  }
}

/** "jo dot smith at gmail dot com", "jsmith seventy two at yahoo dot com". */
function spokenEmails(text: string, w: readonly Word[], out: IdentifierHit[]): void {
  for (let i = 0; i < w.length; i++) {
    if (w[i]!.norm !== 'dot' || !/^(com|net|org|edu|gov|us|io|co)$/.test(w[i + 1]?.norm ?? '')) continue;
    let at = i - 1;
    while (at > 0 && i - at <= 5 && w[at]!.norm !== 'at') at--;
    if (w[at]?.norm !== 'at' || at === i - 1) continue;
    let s = at - 1;
    const cue = (k: number) => /^(is|email|mail|address|me|at|to|was)$/.test(w[k]!.norm);
    while (s > 0 && at - s < 6 && !cue(s - 1) && joined(text, w[s - 1]!, w[s]!)) s--;
    if (s < 0 || cue(s)) continue;
    out.push(hit(text, 'email', w[s]!.start, w[i + 1]!.end));
  }
}

/** "date of birth is march third , nineteen fifty four", "born on 3/4/1954". */
function birthDates(text: string, w: readonly Word[], out: IdentifierHit[]): void {
  for (let i = 0; i < w.length; i++) {
    const n = w[i]!.norm;
    const isCue = n === 'dob' || n === 'born' || n === 'birthday' || (n === 'birth' && w[i - 1]?.norm === 'of');
    if (!isCue) continue;
    let s = i + 1;
    // The answer may come in the next turn: "[doctor] and your date of birth ? [patient] march third , …".
    while (s < w.length && s - i <= 4 && (/^(is|on|in|was|it's|it|the|of|my|your|date|that|confirm)$/.test(w[s]!.norm) || w[s]!.tag)) s++;
    let e = s;
    while (e < w.length && e - s < 8 && (MONTHS.has(w[e]!.norm) || ORDINALS.test(w[e]!.norm) || isDigitWord(w[e]!.norm) || w[e]!.norm === 'oh' || w[e]!.norm === 'thousand' || (w[e]!.norm === 'of' && e > s))) e++;
    if (e > s) out.push(hit(text, 'dob', w[s]!.start, w[e - 1]!.end));
  }
}

/** "one twenty three maple street", "i live at 4512 elm road , apartment two". */
function addresses(text: string, w: readonly Word[], out: IdentifierHit[]): void {
  for (let i = 0; i < w.length; i++) {
    if (!STREET.test(w[i]!.norm) || i === 0 || /\d/.test(text[w[i]!.start - 1] ?? '')) continue; // "3rd", "1st" are ordinals
    let s = i - 1;
    let sawNumber = false;
    for (let k = i - 1; k >= Math.max(0, i - 7); k--) {
      if (isDigitWord(w[k]!.norm)) {
        sawNumber = true;
        s = k;
        while (s > 0 && isDigitWord(w[s - 1]!.norm)) s--;
        break;
      }
      if (STOPWORDS.has(w[k]!.norm) && w[k]!.norm !== 'north' && w[k]!.norm !== 'south') break;
    }
    const livesAt = /\b(live at|address is|live on|moved to|located at)$/.test(before(w, s, 3));
    if (!sawNumber && !livesAt) continue;
    let e = i;
    if (/^(apartment|apt|unit|suite|number)$/.test(w[e + 1]?.norm ?? '')) {
      e += 1;
      while (e + 1 < w.length && isDigitWord(w[e + 1]!.norm)) e++;
    }
    out.push(hit(text, 'address', w[s]!.start, w[e]!.end));
  }
}

function nameLike(n: string): boolean {
  return /^[a-z][a-z'-]+$/.test(n) && !NOT_A_NAME.has(n) && !MONTHS.has(n);
}

/** Names after a cue ("my name is", "doctor", "hi"), names from the list, and known names. */
function names(text: string, w: readonly Word[], known: Set<string>, out: IdentifierHit[]): void {
  for (let i = 0; i < w.length; i++) {
    const n = w[i]!.norm;
    const prev2 = before(w, i, 3);
    let take = 0;
    if (known.has(n) || FIRST_NAMES.has(n)) take = 1;
    else if (nameLike(n) && /(my name is|name's|names is|call me|this is|i'm|i am|name is)$/.test(prev2) && !/^(a|an|the|just|not|so|very|from|with|calling)$/.test(n)) take = /this is|i'm|i am/.test(prev2) ? (/^[A-Z]/.test(w[i]!.text) && w[i]!.text !== 'I' ? 1 : 0) : 1;
    else if (nameLike(n) && i > 0 && TITLES.test(w[i - 1]!.norm) && !w[i - 1]!.tag && !(w[i - 1]!.norm === 'doctor' && /^(office|visit|appointment|told|said|says|wants|recommended|will|would|can|and|or|to)$/.test(n))) take = 1;
    else if (nameLike(n) && /^(hi|hello|hey|morning|bye|goodbye|thanks)$/.test(w[i - 1]?.norm ?? '') && /^[\s]*[,.!?]/.test(text.slice(w[i]!.end))) take = 1;
    else if (nameLike(n) && /^(wife|husband|son|daughter|brother|sister|mother|mom|father|dad|friend|partner|grandson|granddaughter|caregiver)$/.test(w[i - 1]?.norm ?? '') && /^\s*,\s*$/.test(text.slice(w[i - 1]!.end, w[i]!.start)) && /^\s*[,.!?]/.test(text.slice(w[i]!.end))) take = 1;
    if (!take) continue;
    let e = i;
    // A family name after a given name, with nothing but a space between: "jerry nguyen", "john smith" (not "Okonkwo (DOB").
    if (w[e + 1] && nameLike(w[e + 1]!.norm) && /^[ \t]{1,2}$/.test(text.slice(w[e]!.end, w[e + 1]!.start)) && (known.has(w[e + 1]!.norm) || !isCommonAfterName(w[e + 1]!.norm))) e++;
    out.push(hit(text, 'name', w[i]!.start, w[e]!.end));
    i = e;
  }
}

// Words that often follow a name in a sentence and are not a family name.
function isCommonAfterName(n: string): boolean {
  return /^(is|was|has|had|and|or|said|says|told|called|came|come|comes|will|would|can|could|did|does|do|went|goes|got|gets|here|there|today|now|again|too|also|how|what|who|why|when|where|nice|good|great|please|yes|no|okay|right|well|thanks|thank|sorry|so|um|uh|let|let's|i|you|we|he|she|they|it|my|your|this|that|from|with|for|in|on|at|to|about|as|if|but|just|mm|hmm|yeah)$/.test(n) || /(ing|ed|ly)$/.test(n);
}

const WRITTEN: { kind: IdentifierKind; re: RegExp }[] = [
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g },
  { kind: 'ssn', re: /\b\d{3}-\d{2}-\d{4}\b/g },
  { kind: 'phone', re: /(?:\+?1[-. ]?)?\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b/g },
  { kind: 'mrn', re: /\b(?<=(?:mrn|medical record number|record number|chart number|patient id)[\s:#]*(?:is\s+)?)[A-Za-z]{0,3}\d{5,}\b/gi },
];

/**
 * Every identifier in a text, with its kind and offsets, in order. Overlaps are resolved in favour
 * of the longer span.
 */
export function scanIdentifiers(text: string, options: IdentifierOptions = {}): IdentifierHit[] {
  const w = words(text);
  const known = new Set((options.knownNames ?? []).flatMap((n) => words(n).map((x) => x.norm)).filter((n) => n.length >= 2 && !STOPWORDS.has(n)));
  const found: IdentifierHit[] = [];
  for (const { kind, re } of WRITTEN) for (const m of text.matchAll(re)) found.push(hit(text, kind, m.index!, m.index! + m[0].length));
  spokenEmails(text, w, found);
  birthDates(text, w, found);
  addresses(text, w, found);
  numberRuns(text, w, found);
  names(text, w, known, found);
  const priority: IdentifierKind[] = ['email', 'ssn', 'dob', 'address', 'mrn', 'phone', 'name'];
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || priority.indexOf(a.kind) - priority.indexOf(b.kind));
  const kept: IdentifierHit[] = [];
  for (const h of found) if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h);
  return kept.sort((a, b) => a.start - b.start);
}

/** The text with every identifier replaced by its placeholder (`[NAME]`, `[PHONE]`, …), and what was replaced. */
export function scrubIdentifiers(text: string, options: IdentifierOptions = {}): { text: string; found: IdentifierHit[] } {
  const found = scanIdentifiers(text, options);
  let out = '';
  let at = 0;
  for (const h of found) {
    out += text.slice(at, h.start) + PLACEHOLDERS[h.kind];
    at = h.end;
  }
  return { text: out + text.slice(at), found };
}
