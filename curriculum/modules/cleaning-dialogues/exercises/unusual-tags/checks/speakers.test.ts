import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { countWhitespaceTokens, loadSplit, normalizeSpeakerTags, parseTurns, resolveCorpusDir } from 'medigen-lab';

interface SpeakerTurn {
  speaker: string;
  text: string;
}
interface Student {
  speakerTurns(dialogue: string): SpeakerTurn[];
  wordsPerSpeaker(dialogue: string): Record<string, number>;
}
let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('speakers.ts');
});
after(() => student?.close());

/** A value as JavaScript writes it, on one line: NaN stays NaN (JSON would write null). */
const show = (v: unknown) => inspect(v, { breakLength: Infinity, depth: 4 });

function same(got: unknown, expected: unknown, what: string): void {
  assert.deepEqual(got, expected, `${what}\n  expected: ${show(expected)}\n  got:      ${show(got)}`);
}

// What the library says, computed here in the check.
const expectedTurns = (d: string) => parseTurns(normalizeSpeakerTags(d)).turns.map((t) => ({ speaker: t.speaker, text: t.text.split('\n').join(' ') }));
const expectedWords = (d: string) => {
  const out: Record<string, number> = {};
  for (const t of expectedTurns(d)) out[t.speaker] = (out[t.speaker] ?? 0) + countWhitespaceTokens(t.text);
  return out;
};

// Made-up dialogues with tags the lesson did not show.
const UNUSUAL = [
  '[ Doctor ] hello , mrs. okafor .\n[Patient] hi .\n[ PATIENT GUEST ] i am her son .\n[doctor-assistant] blood pressure is 128 / 82 .',
  'okay , we are recording .\n[DOCTOR] so what happened ?\n[ patient ] i slipped on the ice\nand landed on my wrist .\n\n[ inaudible 00:02:11 ]\n[doctor] let me see .',
  '[Nurse]  temperature 37.9 .\n[doctor]\tthank you .\n[Patient_Guest] she had a fever yesterday too .',
  // Two spaces and a tab between words, as transcripts have them.
  '[doctor] take  this twice a day ,  with\tfood .\n[patient] okay .  and\tat night ?',
];

describe('unusual-tags', () => {
  it('speakerTurns recognises tags such as [ Doctor ], [Patient] and [ PATIENT GUEST ]', async () => {
    const d = UNUSUAL[0]!;
    same(await student.speakerTurns(d), expectedTurns(d), `speakerTurns on ${JSON.stringify(d)}`);
  });

  it('speakerTurns joins a turn that goes on over several lines with one space, and keeps text before the first tag as unknown', async () => {
    const d = UNUSUAL[1]!;
    same(await student.speakerTurns(d), expectedTurns(d), `speakerTurns on ${JSON.stringify(d)}`);
  });

  it('wordsPerSpeaker counts the words each speaker said', async () => {
    for (const d of UNUSUAL) {
      const spacing = /  |\t/.test(d) ? ' Between two words there can be several spaces or a tab: count with countWhitespaceTokens(turn.text), not turn.text.split(\' \') (which finds an empty word between two spaces and misses a tab).' : '';
      same(await student.wordsPerSpeaker(d), expectedWords(d), `wordsPerSpeaker on ${JSON.stringify(d)}.${spacing}`);
    }
  });

  it('speakerTurns and wordsPerSpeaker agree with the library on every dialogue of the corpus', async () => {
    for (const split of ['train', 'valid']) {
      const loaded = loadSplit(split, resolveCorpusDir());
      for (const e of loaded.encounters) {
        const got = await student.speakerTurns(e.dialogue);
        const exp = expectedTurns(e.dialogue);
        assert.equal(got.length, exp.length, `speakerTurns should find ${exp.length} turns in ${e.encounterId} (${loaded.file}), got ${got.length}`);
        same(got, exp, `speakerTurns on ${e.encounterId} (${loaded.file})`);
        same(await student.wordsPerSpeaker(e.dialogue), expectedWords(e.dialogue), `wordsPerSpeaker on ${e.encounterId} (${loaded.file})`);
      }
    }
  });
});
