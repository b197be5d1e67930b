import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { fixAsrPunctuationSpacing, loadSplit, PREPROCESS_STEPS, preprocessText, resolveCorpusDir, STEP_NAMES, type PreprocessConfig, type StepName } from 'medigen-lab';

interface Student {
  fixSpacing(text: string): string;
  cleanStepByStep(dialogue: string, steps: StepName[]): string[];
}
let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('clean.ts');
});
after(() => student?.close());

/** Equal texts, with both shown when they differ. */
function same(got: unknown, expected: unknown, what: string): void {
  assert.deepEqual(got, expected, `${what}\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}`);
}

// Made-up dialogues the student has not seen, with the noise of speech recognition.
const NOISY = [
  '[doctor] hi , ms. patel . how are you doing ?\n[patient] i , i just feel tired , you know ?',
  '[doctor] any chest pain ?\n[patient] no . well . . . sometimes , at night !\n[doctor] okay ; we will check .',
  '[doctor] so the pressure was 140 / 90 at 10:30 .\n[patient] is that bad ?\n[doctor] a bit high : we will recheck it .',
  // A tab before a mark, two spaces, and a line that starts with marks (it must stay a line of its own).
  '[doctor] does it hurt when you walk\t?\n[patient] yes  , a lot .\n. . . mostly on the stairs , i mean .',
];

/** fixSpacing's result against the library's, with the likely cause when it is a common slip. */
function sameSpacing(got: unknown, expected: string, input: string): void {
  if (typeof got === 'string' && got !== expected) {
    if (got.split('\n').length < expected.split('\n').length) {
      assert.fail(`fixSpacing joined two lines of ${JSON.stringify(input)}: it removed a line break before a mark. Only spaces and tabs go: write [ \\t]+ (a space or a tab), not \\s+ (which also takes line breaks).\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}`);
    }
    if (/\t[,.;:?!]/.test(got) && !/\t[,.;:?!]/.test(expected)) {
      assert.fail(`fixSpacing left a tab before a mark in ${JSON.stringify(input)}: speech recognition leaves tabs as well as spaces, so take both: [ \\t]+.\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}`);
    }
  }
  same(got, expected, `fixSpacing on ${JSON.stringify(input)}`);
}
const LEAVE_ALONE = ['[doctor] take about .5 mg at night .', '[doctor] dr. smith saw you at 10:30 , right ?', '[patient] it was 2.5 , not 25 .'];

// A dialogue with every kind of noise, for MY_STEPS.
const MESSY = [
  '[ Doctor ] good morning , mr. lee . what brings you in ?',
  '',
  '[PATIENT]  well , i do n\u2019t know \u2026 my chest feels \u201Ctight\u201D .',
  '[Patient Guest] he \'s been like this since tuesday \u2014 maybe monday .',
  '   ',
  '[doctor] okay . we \'ll take 2.5 mg at 10:30 , then we \'re gon na see .',
].join('\n');

/** The words of a dialogue, tags left out: what was said. */
const words = (text: string) =>
  text
    .replace(/^[ \t]*\[[^\]]*\]/gm, ' ')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .split(/[^a-z0-9']+/)
    .filter(Boolean);

describe('clean-step-by-step', () => {
  it('fixSpacing repairs ASR spacing exactly as the library step fixAsrPunctuationSpacing does', async () => {
    for (const d of NOISY) sameSpacing(await student.fixSpacing(d), fixAsrPunctuationSpacing(d), d);
  });

  it('fixSpacing leaves decimals (.5 mg), abbreviations (dr. smith) and times (10:30) alone', async () => {
    for (const d of LEAVE_ALONE) same(await student.fixSpacing(d), fixAsrPunctuationSpacing(d), `fixSpacing on ${JSON.stringify(d)}`);
  });

  it('cleanStepByStep gives the text after each step, each step working on the result of the one before', async () => {
    const steps: StepName[] = ['normalizeSpecialChars', 'normalizeSpeakerTags', 'fixAsrPunctuationSpacing', 'dropEmptyLines'];
    const expected: string[] = [];
    let text = MESSY;
    for (const name of steps) expected.push((text = PREPROCESS_STEPS.find((s) => s.name === name)!.run(text)));
    const got = await student.cleanStepByStep(MESSY, steps);
    assert.equal(Array.isArray(got) ? got.length : got, steps.length, `cleanStepByStep should give one text per step (${steps.length} steps), got ${JSON.stringify(got)?.slice(0, 200)}`);
    steps.forEach((name, k) => same(got[k], expected[k], `cleanStepByStep: the text after step ${k + 1} (${name})`));
  });

  it('cleanStepByStep with every step ends with what preprocessText gives, on the corpus dialogues', async () => {
    const all: PreprocessConfig = Object.fromEntries(STEP_NAMES.map((n) => [n, true]));
    const split = loadSplit('valid', resolveCorpusDir());
    for (const e of split.encounters) {
      const got = await student.cleanStepByStep(e.dialogue, [...STEP_NAMES]);
      same(got.at(-1), preprocessText(e.dialogue, all), `cleanStepByStep: the last text for encounter ${e.encounterId} of ${split.file}`);
    }
  });

  describe('MY_STEPS on a new, messy dialogue', () => {
    /** What the student's steps make of the messy dialogue. */
    const cleaned = async (): Promise<string> => {
      const config = (await student.get('MY_STEPS')) as PreprocessConfig | undefined;
      assert.ok(config !== null && typeof config === 'object', `MY_STEPS should be an object such as { normalizeSpeakerTags: true }, got ${JSON.stringify(config)}`);
      try {
        return preprocessText(MESSY, config);
      } catch (e) {
        assert.fail(`MY_STEPS: ${(e as Error).message} ${(e as { hint?: string }).hint ?? ''}`.trim());
      }
    };

    it('MY_STEPS writes every speaker tag the same way ([doctor], [patient], [patient_guest])', async () => {
      const produced = await cleaned();
      const tags = produced.split('\n').filter((l) => l.trim()).map((l) => /^\[([^\]]*)\]/.exec(l)?.[1] ?? '(no tag at the start)');
      same(tags, ['doctor', 'patient', 'patient_guest', 'doctor'], `MY_STEPS: the tags of the cleaned dialogue\n  cleaned: ${JSON.stringify(produced)}`);
    });

    it('MY_STEPS leaves no empty line', async () => {
      const produced = await cleaned();
      const empty = produced.split('\n').filter((l) => l.trim() === '').length;
      assert.equal(empty, 0, `MY_STEPS: expected no empty line, got ${empty} in ${JSON.stringify(produced)}`);
    });

    it('MY_STEPS repairs ASR spacing and writes plain characters', async () => {
      const produced = await cleaned();
      const left = [' ,', ' .', '\u2019', '\u201C', '\u2026', '\u2014', '  '].filter((s) => produced.includes(s));
      same(left, [], `MY_STEPS: these should be gone from the cleaned dialogue ${JSON.stringify(produced)}`);
    });

    it('MY_STEPS changes no word (what people said stays as the transcript has it)', async () => {
      const produced = await cleaned();
      same(words(produced), words(MESSY), 'MY_STEPS: the words of the cleaned dialogue');
    });
  });
});
