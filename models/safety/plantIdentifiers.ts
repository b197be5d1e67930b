/**
 * Planted identifiers, for measuring the identifier guard: new turns said the ACI-BENCH way
 * (lower case, spaces around punctuation, digits read out in groups) carrying a name, phone
 * number, email, record number, date of birth, street address or social security number, put
 * between the turns of a real dialogue. Deterministic for a seed. The names are this file's own
 * list, not the guard's.
 */
import { UNITS } from './spokenNumbers';
import { pick, seededRandom } from './plant';
import type { IdentifierKind } from './identifiers';

/** One planted identifier: its kind and where its value is in the planted dialogue. */
export interface PlantedIdentifier {
  kind: IdentifierKind;
  value: string;
  start: number;
  end: number;
}

const GIVEN = ['john', 'maria', 'priya', 'mateo', 'keisha', 'dmitri', 'wei', 'fatima', 'connor', 'aaliyah', 'robert', 'linda', 'omar', 'sofia', 'tyrone', 'megan', 'hiroshi', 'grace', 'luis', 'ingrid', 'darnell', 'yusuf', 'emily', 'carlos', 'nadia', 'patrick', 'anita', 'jamal', 'helen', 'raj'];
const FAMILY = ['smith', 'okafor', 'nguyen', 'kowalski', 'patel', 'johansson', 'garcia', 'oconnor', 'haddad', 'brown', 'tanaka', 'rossi', 'williams', 'mendez', 'schmidt', 'abernathy', 'chen', 'dubois', 'ivanova', 'mcallister'];
const STREETS = ['maple', 'oak', 'elm', 'washington', 'lincoln', 'park', 'cedar', 'pine', 'lakeview', 'sunset', 'highland', 'river'];
const SUFFIXES = ['street', 'avenue', 'road', 'drive', 'lane', 'boulevard', 'court'];
const DOMAINS = ['gmail', 'yahoo', 'outlook', 'hotmail', 'icloud', 'aol'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAY_ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'fifteenth', 'twentieth', 'twenty first', 'twenty third', 'thirtieth'];
const DIGIT_WORDS = Object.entries(UNITS).filter(([w]) => w !== 'oh').sort((a, b) => a[1] - b[1]).map(([w]) => w);
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];

function digits(rand: () => number, n: number): string {
  let s = String(2 + Math.floor(rand() * 8));
  while (s.length < n) s += String(Math.floor(rand() * 10));
  return s;
}
function spellDigits(rand: () => number, d: string): string {
  return [...d].map((c) => (c === '0' && rand() < 0.5 ? 'oh' : DIGIT_WORDS[Number(c)]!)).join(' ');
}
function twoDigit(n: number): string {
  if (n < 10) return DIGIT_WORDS[n]!;
  if (n < 20) return TEENS[n - 10]!;
  return TENS[Math.floor(n / 10)]! + (n % 10 ? ` ${DIGIT_WORDS[n % 10]}` : '');
}
function spokenYear(y: number): string {
  return y >= 2000 ? `two thousand ${y % 100 ? twoDigit(y % 100) : ''}`.trim() : `${twoDigit(Math.floor(y / 100))} ${y % 100 < 10 ? `oh ${DIGIT_WORDS[y % 100]}` : twoDigit(y % 100)}`;
}
function houseNumber(rand: () => number): string {
  const n = 10 + Math.floor(rand() * 989);
  return n >= 100 ? `${DIGIT_WORDS[Math.floor(n / 100)]} ${twoDigit(n % 100)}` : twoDigit(n);
}

/** One carrier sentence per kind and template: [speaker, words before, the identifier, words after]. */
function make(kind: IdentifierKind, rand: () => number): [string, string, string, string] {
  const g = pick(rand, GIVEN);
  const f = pick(rand, FAMILY);
  const t = Math.floor(rand() * 3);
  switch (kind) {
    case 'name':
      return [
        ['patient', 'sure , my name is ', `${g} ${f}`, ' .'],
        ['doctor', 'hi , i am doctor ', f, ' , i will be seeing you today .'],
        ['patient_guest', 'hello , i am her son , ', `${g}`, ' , i drove her here .'],
      ][t] as [string, string, string, string];
    case 'phone': {
      const d = digits(rand, 10);
      return [
        ['patient', 'yeah my number is ', `${spellDigits(rand, d.slice(0, 3))} , ${spellDigits(rand, d.slice(3, 6))} , ${spellDigits(rand, d.slice(6))}`, ' .'],
        ['patient', 'you can call me at ', spellDigits(rand, d), ' any time .'],
        ['patient', 'the best phone to reach me is ', `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, ' .'],
      ][t] as [string, string, string, string];
    }
    case 'email':
      return [
        ['patient', 'my email is ', `${g} dot ${f} at ${pick(rand, DOMAINS)} dot com`, ' .'],
        ['patient', 'you can email me at ', `${g[0]} ${f} ${twoDigit(10 + Math.floor(rand() * 89))} at ${pick(rand, DOMAINS)} dot com`, ' .'],
        ['doctor', 'we will send it to ', `${g}.${f}@${pick(rand, DOMAINS)}.com`, ' , okay ?'],
      ][t] as [string, string, string, string];
    case 'mrn': {
      const d = digits(rand, 7 + Math.floor(rand() * 2));
      return [
        ['doctor', 'and her medical record number is ', spellDigits(rand, d), ' .'],
        ['doctor', 'for the chart , mrn ', `${spellDigits(rand, d.slice(0, 4))} , ${spellDigits(rand, d.slice(4))}`, ' .'],
        ['patient', 'my patient id number is ', d, ' .'],
      ][t] as [string, string, string, string];
    }
    case 'dob': {
      const y = 1935 + Math.floor(rand() * 70);
      const m = 1 + Math.floor(rand() * 12);
      return [
        ['patient', 'my date of birth is ', `${MONTHS[m - 1]} ${pick(rand, DAY_ORDINALS)} , ${spokenYear(y)}`, ' .'],
        ['patient', 'i was born on ', `${pick(rand, DAY_ORDINALS)} of ${MONTHS[m - 1]} ${spokenYear(y)}`, ' .'],
        ['doctor', 'can you confirm your birthday ? is it ', `${twoDigit(m)} ${twoDigit(1 + Math.floor(rand() * 28))} ${twoDigit(y % 100)}`, ' ?'],
      ][t] as [string, string, string, string];
    }
    case 'address':
      return [
        ['patient', 'i live at ', `${houseNumber(rand)} ${pick(rand, STREETS)} ${pick(rand, SUFFIXES)}`, ' .'],
        ['patient', 'my address is ', `${digits(rand, 4)} ${pick(rand, STREETS)} ${pick(rand, SUFFIXES)} , apartment ${twoDigit(1 + Math.floor(rand() * 30))}`, ' .'],
        ['patient', 'we just moved to ', `${houseNumber(rand)} north ${pick(rand, STREETS)} ${pick(rand, SUFFIXES)}`, ' , so it is closer .'],
      ][t] as [string, string, string, string];
    case 'ssn': {
      const d = digits(rand, 9);
      return [
        ['patient', 'my social security number is ', `${spellDigits(rand, d.slice(0, 3))} , ${spellDigits(rand, d.slice(3, 5))} , ${spellDigits(rand, d.slice(5))}`, ' .'],
        ['patient', 'the social is ', spellDigits(rand, d), ' .'],
        ['patient', 'ssn ', `${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}`, ' .'],
      ][t] as [string, string, string, string];
    }
  }
}

/**
 * Puts `perKind` identifiers of each kind into a dialogue as new turns between its turns. Returns
 * the planted dialogue and where each identifier's value is in it.
 */
export function plantIdentifiers(dialogue: string, seed: number, perKind = 2): { dialogue: string; planted: PlantedIdentifier[] } {
  const rand = seededRandom(seed);
  const lines = dialogue.split('\n');
  const inserts = new Map<number, [IdentifierKind, [string, string, string, string]][]>();
  for (const kind of ['name', 'phone', 'email', 'mrn', 'dob', 'address', 'ssn'] as IdentifierKind[]) {
    for (let k = 0; k < perKind; k++) {
      const after = Math.floor(rand() * lines.length);
      inserts.set(after, [...(inserts.get(after) ?? []), [kind, make(kind, rand)]]);
    }
  }
  let out = '';
  const planted: PlantedIdentifier[] = [];
  lines.forEach((line, k) => {
    out += (k ? '\n' : '') + line;
    for (const [kind, [speaker, pre, value, post]] of inserts.get(k) ?? []) {
      out += `\n[${speaker}] ${pre}`;
      planted.push({ kind, value, start: out.length, end: out.length + value.length });
      out += value + post;
    }
  });
  return { dialogue: out, planted };
}
