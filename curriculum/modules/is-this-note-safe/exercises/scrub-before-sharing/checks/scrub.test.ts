import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { IDENTIFIER_KINDS, loadSplit, plantIdentifiers, sampleCorpusDir, scanIdentifiers, scrubIdentifiers, type IdentifierKind } from 'medigen-lab';

interface Shareable {
  text: string;
  counts: Record<IdentifierKind, number>;
}
interface Student {
  scrubForSharing(dialogue: string, knownNames: string[]): Shareable;
}

let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('scrub.ts');
});
after(() => student?.close());

// A made-up visit the way speech recognition writes it: the same name, phone number said twice.
const VISIT = [
  '[doctor] good afternoon , mister okonkwo . is it okay if dax listens in ?',
  '[patient] yes . my wife , adaeze , drove me here .',
  '[doctor] can i confirm your phone number ?',
  '[patient] it is six one seven , four four two , nine zero one three .',
  '[doctor] and your email ?',
  '[patient] chidi dot okonkwo at gmail dot com .',
  '[doctor] thank you , mister Okonkwo . is adaeze still taking the pills ?',
  '[patient] she is . you can also call her at six one seven , four four two , nine zero one three .',
].join('\n');
const NAMES = ['Chidi Okonkwo', 'Adaeze'];

/** Fails, when the texts differ, with the first line that differs (the whole texts are long to compare by eye). */
function sameText(got: unknown, want: string, what: string): void {
  if (got === want) return;
  if (typeof got !== 'string') assert.fail(`${what}. Your text is ${JSON.stringify(got)}, not a string.`);
  const g = got.split('\n');
  const w = want.split('\n');
  const k = w.findIndex((line, i) => g[i] !== line);
  const line = k === -1 ? w.length : k;
  const yours = g[line] ?? '(no line here)';
  assert.fail(`${what}.\nThe first difference is on line ${line + 1} of ${w.length}:\n  expected:  ${w[line] ?? '(no line here)'}\n  your text: ${yours}${likelyCause(yours, w[line] ?? '')}`);
}

/** The usual mistake behind a line that differs, in a sentence ('' when none stands out). */
function likelyCause(yours: string, want: string): string {
  // Placeholders written in small letters: [name 1] instead of [NAME 1].
  const kindWord = yours.match(new RegExp(`\\[(?:${IDENTIFIER_KINDS.join('|')})(?: \\d+)?\\]`, 'gi')) ?? [];
  if (kindWord.some((p) => p !== p.toUpperCase())) {
    return '\nPlaceholders are written in capitals: [NAME 1], not [name 1]. Take them from PLACEHOLDERS[kind] ("[NAME]", "[PHONE]", …) and put the number before the closing bracket.';
  }
  // A placeholder glued to letters: replacing by text changed the first place those letters appear, inside a word.
  if (/\[[A-Z]+(?: \d+)?\][a-z]|[a-z]\[[A-Z]+(?: \d+)?\]/.test(yours)) {
    return '\nA placeholder landed inside a word: replacing by text (text.replace(hit.text, …)) changes the FIRST place where those letters appear, which can be inside another word. Build the new text from each identifier\'s start and end instead.';
  }
  // A placeholder inside another identifier: replacing by text changed a later one (a name inside an email).
  if (/\[[A-Z]+(?: \d+)?\] (?:dot|at) |(?:dot|at) \[[A-Z]+(?: \d+)?\]/.test(yours)) {
    return '\nA placeholder ended up inside another identifier: replacing by text (replaceAll) also changes a later identifier that contains the same word, such as a name inside an email. Build the new text from the start and end of each identifier instead.';
  }
  // Placeholders without their number.
  if (/\[(?:NAME|PHONE|EMAIL|MRN|DOB|ADDRESS|SSN)\]/.test(yours) && !/\[(?:NAME|PHONE|EMAIL|MRN|DOB|ADDRESS|SSN)\]/.test(want)) {
    return '\nEach placeholder needs its number: [NAME 1], not [NAME]. Put the number before the closing bracket, e.g. PLACEHOLDERS[kind].replace(\']\', \' \' + n + \']\').';
  }
  // The same placeholders, numbered differently: counted from the end, or a new number for each time.
  const numbers = (t: string) => t.replace(/\[([A-Z]+) \d+\]/g, '[$1]');
  if (numbers(yours) === numbers(want)) {
    return '\nThe placeholders are right but their numbers are not. Numbers follow the order in which the dialogue says them: the first name said is [NAME 1], and the same name said again keeps its number. If you replace from the end backwards, give out the numbers first, going through the identifiers from the start.';
  }
  return '';
}

const zeros = () => Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, 0])) as Record<IdentifierKind, number>;

describe('scrub-before-sharing', () => {
  it('scrubForSharing numbers the placeholders so the same person keeps the same number', async () => {
    const got = await student.scrubForSharing(VISIT, NAMES);
    const want = [
      '[doctor] good afternoon , mister [NAME 1] . is it okay if dax listens in ?',
      '[patient] yes . my wife , [NAME 2] , drove me here .',
      '[doctor] can i confirm your phone number ?',
      '[patient] it is [PHONE 1] .',
      '[doctor] and your email ?',
      '[patient] [EMAIL 1] .',
      '[doctor] thank you , mister [NAME 1] . is [NAME 2] still taking the pills ?',
      '[patient] she is . you can also call her at [PHONE 1] .',
    ].join('\n');
    sameText(got?.text, want, 'okonkwo (twice, once capitalised) should be [NAME 1] both times, adaeze [NAME 2] both times, the phone number said twice [PHONE 1] both times, and every other character unchanged');
  });

  it('scrubForSharing finds the names from the metadata wherever they are said', async () => {
    const got = await student.scrubForSharing('[doctor] is adaeze still taking the pills ?\n[patient] she is .', ['Adaeze']);
    const want = '[doctor] is [NAME 1] still taking the pills ?\n[patient] she is .';
    // The name was found (it is gone from the text): what differs is the placeholder, not the known names.
    if (typeof got?.text === 'string' && !/adaeze/i.test(got.text)) sameText(got.text, want, 'adaeze is a known name (from the metadata) and should be [NAME 1]');
    assert.equal(got?.text, want, 'adaeze is a known name (from the metadata): pass knownNames to scanIdentifiers so it is found without a cue such as "my name is"');
  });

  it('scrubForSharing replaces each identifier where it was found (its start and end), not where its letters first appear', async () => {
    const dialogue = '[doctor] before we start , one announcement : the clinic moves in june .\n[patient] okay .\n[doctor] ann , how is the knee ?';
    const got = await student.scrubForSharing(dialogue, ['Ann']);
    sameText(got?.text, '[doctor] before we start , one announcement : the clinic moves in june .\n[patient] okay .\n[doctor] [NAME 1] , how is the knee ?', 'only the name ann (line 3) should become [NAME 1]; "announcement" on line 1 starts with the same letters and stays as it is');
  });

  it('scrubForSharing counts every identifier it replaced, by kind, with every kind listed', async () => {
    const got = await student.scrubForSharing(VISIT, NAMES);
    assert.deepEqual(got?.counts, { ...zeros(), name: 4, phone: 2, email: 1 }, 'the visit has 4 names (2 people, each said twice), 2 phone numbers (the same one said twice) and 1 email; the other kinds are 0');
  });

  it('scrubForSharing removes the identifiers planted in sample-corpus dialogues, as the library finds them', async () => {
    for (const e of loadSplit('valid', sampleCorpusDir()).encounters.slice(0, 2)) {
      const { dialogue } = plantIdentifiers(e.dialogue, 11, 1);
      const got = await student.scrubForSharing(dialogue, []);
      const library = scrubIdentifiers(dialogue);
      sameText(typeof got?.text === 'string' ? got.text.replace(/\[([A-Za-z]+) \d+\]/g, '[$1]') : got?.text, library.text, `${e.encounterId}: with the numbers taken out of the placeholders, your text should be the library's scrubbed text`);
      const want = zeros();
      for (const h of scanIdentifiers(dialogue)) want[h.kind]++;
      assert.deepEqual(got.counts, want, `${e.encounterId}: the counts by kind should match the identifiers found`);
    }
  });
});
