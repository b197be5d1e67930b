import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { indexDialogue, loadSplit, metadataFacts, plantUnsupported, sampleCorpusDir, traceFaithfulness, type Encounter, type IssueKind } from 'medigen-lab';

interface UnsupportedDetail {
  sentence: string;
  kind: IssueKind;
  text: string;
}
interface Student {
  unsupportedDetails(encounter: Encounter, note: string): UnsupportedDetail[];
}

let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('unsupported.ts');
});
after(() => student?.close());

// A made-up visit, in ACI-BENCH's speech-recognition style, with the patient's age only in the metadata.
const ANKLE: Encounter = {
  dataset: 'aci',
  encounterId: 'S1',
  dialogue: [
    '[doctor] good morning . what brings you in ?',
    '[patient] my left ankle has been swollen for about two weeks .',
    '[doctor] are you taking anything for it ?',
    '[patient] naproxen , five hundred milligrams , twice a day .',
    '[doctor] any fever ?',
    '[patient] no , no fever .',
    '[doctor] okay , we will get an x-ray of the left ankle .',
  ].join('\n'),
  note: '',
  metadata: { patient_age: '61', cc: 'ankle swelling' },
};
const ANKLE_NOTE = [
  'CHIEF COMPLAINT',
  '',
  'Left ankle swelling.',
  '',
  'HISTORY OF PRESENT ILLNESS',
  '',
  'A 61-year-old woman with left ankle swelling for 2 weeks. She takes naproxen 250 mg for her right ankle. She has a history of asthma. She denies fever.',
  '',
  'ASSESSMENT AND PLAN',
  '',
  'X-ray of the left ankle. Continue naproxen 500 mg twice a day.',
].join('\n');

/** The student's list, or a failure that says the function gave back no list (a missing `return`). */
async function details(e: Encounter, note: string): Promise<UnsupportedDetail[]> {
  const got: unknown = await student.unsupportedDetails(e, note);
  if (!Array.isArray(got)) throw new Error(`unsupportedDetails gave back ${got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80)}, not a list. Start with an empty list (const details: UnsupportedDetail[] = []), push each detail into it, and end the function with: return details`);
  return got as UnsupportedDetail[];
}

/** What a list that differs from the library's most likely gets wrong, in a sentence ('' when nothing stands out). */
function whatIsOff(got: UnsupportedDetail[], want: UnsupportedDetail[]): string {
  if (got.length === 0 && want.length > 0) {
    return ' Your list is empty. Two usual causes: the note traced is encounter.note (empty here) instead of note, the second argument; or the test that picks sentences never picks one (to compare, write sentence.supported === false or !sentence.supported: a single = changes the value instead of comparing).';
  }
  const missing = (['sentence', 'kind', 'text'] as const).filter((k) => got.some((d) => d?.[k] === undefined));
  if (missing.length) return ` In your list, some entries have no ${missing.join(' and no ')} (undefined). Each entry needs sentence (the sentence's text) and the issue's kind and text: check how these names are spelled where you build each entry.`;
  if (got.some((d) => /\b61\b/.test(d.text)) && !want.some((d) => /\b61\b/.test(d.text))) return ' Your list has the patient\'s age (61), which the metadata gives (patient_age 61): pass metadataFacts(encounter.metadata) to indexDialogue so it counts as said.';
  return '';
}

/** What the library's tracing says, as the exercise asks for it. */
function expected(e: Encounter, note: string): UnsupportedDetail[] {
  return traceFaithfulness(indexDialogue(e.dialogue, metadataFacts(e.metadata)), note).flatMap((s) => s.issues.map((i) => ({ sentence: s.text, kind: i.kind, text: i.text })));
}

describe('find-unsupported', () => {
  it('unsupportedDetails lists each unsupported detail with its sentence as in the note, its kind and its text, in note order', async () => {
    const got = await details(ANKLE, ANKLE_NOTE);
    const want = expected(ANKLE, ANKLE_NOTE);
    assert.ok(want.some((d) => d.text === '250 mg') && want.some((d) => d.kind === 'diagnosis'), 'the made-up note has a changed dose and an invented history item');
    assert.deepEqual(got, want, `unsupportedDetails should list the changed dose (250 mg), the flipped side (right ankle) and the invented history (asthma), each with the whole sentence as it stands in the note, in the order the note says them.${whatIsOff(got, want)}`);
  });

  it('unsupportedDetails counts the patient\'s age from the metadata as said (a 61-year-old)', async () => {
    const got = await details(ANKLE, 'A 61-year-old woman with left ankle swelling.');
    assert.deepEqual(got, [], 'the metadata gives patient_age 61, so "A 61-year-old woman" is supported: pass metadataFacts(encounter.metadata) to indexDialogue');
  });

  it('unsupportedDetails lists both details of a sentence that has two (a wrong dose and a wrong side)', async () => {
    const got = await details(ANKLE, 'She takes naproxen 250 mg for her right ankle.');
    assert.deepEqual(got.map((d) => [d.kind, d.text]), [['number', '250 mg'], ['side', 'right ankle']], 'the sentence has two unsupported details: the dose (the patient said five hundred milligrams) and the side (she said left)');
  });

  it('unsupportedDetails agrees with the library on sample-corpus notes with planted errors', async () => {
    const encounters = loadSplit('test1', sampleCorpusDir()).encounters.slice(0, 3);
    let compared = 0;
    for (const e of encounters) {
      const plants = plantUnsupported(e.note, indexDialogue(e.dialogue, metadataFacts(e.metadata)), 7, 1);
      for (const p of plants.slice(0, 3)) {
        const got = await details(e, p.note);
        const want = expected(e, p.note);
        assert.deepEqual(got, want, `${e.encounterId}, with "${p.replaced}" changed to "${p.planted}": your list differs from the library's tracing.${whatIsOff(got, want)}`);
        compared++;
      }
    }
    assert.ok(compared >= 3, `only ${compared} planted notes could be made from the sample`);
  });
});
