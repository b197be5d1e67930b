import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { DIVISIONS, divideNote, findSectionsDir, loadOfficialSections, loadSplit, measureSectionAgreement, normalizeSpace, resolveCorpusDir, sampleCorpusDir } from 'medigen-lab';

type Division = (typeof DIVISIONS)[number];
interface Student {
  sectionsOf(note: string): Record<Division, string>;
  missingSections(note: string): Division[];
}
let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('sections.ts');
});
after(() => student?.close());

function same(got: unknown, expected: unknown, what: string): void {
  assert.deepEqual(got, expected, `${what}\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}`);
}

/** Sections compared one at a time: the message names the first section that differs, and why when it is a common slip. */
function sameSections(got: Record<string, unknown>, expected: Record<Division, string>, what: string): void {
  assert.ok(got !== null && typeof got === 'object' && !Array.isArray(got), `${what}: sectionsOf should give an object with the four sections, got ${JSON.stringify(got)}`);
  for (const d of DIVISIONS) {
    const mine = got[d];
    if (mine === expected[d]) continue;
    if (mine === undefined) {
      assert.fail(`${what}: ${d in got ? `${d} is undefined` : `your object has no ${d}`}. For a section the note does not have, give '' (an empty text), e.g. parts[name]?.text.trim() ?? ''.`);
    }
    if (typeof mine === 'string' && mine.trim() === expected[d]) {
      assert.fail(`${what}: ${d} has blank space or empty lines at its start or end: trim each section (.trim()).\n  expected: ${JSON.stringify(expected[d])}\n  got:      ${JSON.stringify(mine)}`);
    }
    assert.fail(`${what}: the ${d} section differs\n  expected: ${JSON.stringify(expected[d])}\n  got:      ${JSON.stringify(mine)}`);
  }
  same(got, expected, what);
}

// Made-up notes, divided by hand with ACI-BENCH's rules.
const NOTE_A = 'Mr. Diaz is a 61-year-old man seen today.\nHPI: right shoulder pain for 3 weeks.\nphysical exam: tenderness over the AC joint.\nASSESSMENT AND PLAN\n1. Shoulder strain.\nPLAN: ibuprofen 400 mg.\n';
const NOTE_B = 'CHIEF COMPLAINT\n\nCough.\n\nexam:\nLungs clear.\nSOCIAL HISTORY\nNever smoker.\n\nresults:\nChest x-ray normal.\n\nassessment:\nViral bronchitis.\n';
const NOTE_C = 'Patient doing well. Continue current medications.';
const NOTE_D = 'PHYSICAL EXAMINATION\nKnee: mild effusion.\n\nASSESSMENT AND PLAN\nRest, ice, review in 2 weeks.';

/** The real ACI-BENCH with its official division, when there is one: ACI_BENCH_DIR, or ../shared next to MediGen Lab. */
function officialCorpus(): { corpusDir: string; sectionsDir: string } | undefined {
  const candidates = [resolveCorpusDir(), join(dirname(dirname(sampleCorpusDir())), '..', 'shared', 'aci-bench')];
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const corpusDir = resolveCorpusDir(c);
    const sectionsDir = findSectionsDir(corpusDir);
    if (sectionsDir) return { corpusDir, sectionsDir };
  }
  return undefined;
}

describe('divide-a-note', () => {
  it('sectionsOf keeps text before the first header in subjective and a second PLAN header inside the assessment', async () => {
    sameSections(await student.sectionsOf(NOTE_A), {
      subjective: 'Mr. Diaz is a 61-year-old man seen today.\nHPI: right shoulder pain for 3 weeks.',
      objective_exam: 'physical exam: tenderness over the AC joint.',
      objective_results: '',
      assessment_and_plan: 'ASSESSMENT AND PLAN\n1. Shoulder strain.\nPLAN: ibuprofen 400 mg.',
    }, 'sectionsOf on a note with a header-less first line and two plan headers');
  });

  it('sectionsOf reads lower-case headers and folds a late SOCIAL HISTORY into the exam, trimming each section', async () => {
    sameSections(await student.sectionsOf(NOTE_B), {
      subjective: 'CHIEF COMPLAINT\n\nCough.',
      objective_exam: 'exam:\nLungs clear.\nSOCIAL HISTORY\nNever smoker.',
      objective_results: 'results:\nChest x-ray normal.',
      assessment_and_plan: 'assessment:\nViral bronchitis.',
    }, 'sectionsOf on a note with lower-case headers');
  });

  it('missingSections names the sections a note leaves out, in the order of DIVISIONS', async () => {
    same(await student.missingSections(NOTE_A), ['objective_results'], 'missingSections on a note without results');
    same(await student.missingSections(NOTE_B), [], 'missingSections on a note with all four sections');
    same(await student.missingSections(NOTE_C), ['objective_exam', 'objective_results', 'assessment_and_plan'], 'missingSections on a note without any header');
  });

  it('a note that starts with another section\'s header has no subjective section', async () => {
    let got: Record<string, unknown>;
    try {
      got = await student.sectionsOf(NOTE_D);
    } catch (e) {
      assert.fail(`sectionsOf stopped on a note that starts with PHYSICAL EXAMINATION: ${(e as Error).message}. Such a note has no subjective section, so parts.subjective is undefined there: write parts[name]?.text.trim() ?? '' for every section, the first one too.`);
    }
    sameSections(got, { subjective: '', objective_exam: 'PHYSICAL EXAMINATION\nKnee: mild effusion.', objective_results: '', assessment_and_plan: 'ASSESSMENT AND PLAN\nRest, ice, review in 2 weeks.' }, 'sectionsOf on a note that starts with PHYSICAL EXAMINATION');
    same(await student.missingSections(NOTE_D), ['subjective', 'objective_results'], 'missingSections on a note that starts with PHYSICAL EXAMINATION');
  });

  it('sectionsOf agrees with the official ACI-BENCH division as often as the benchmark tagger does (else with the tagger on the sample corpus)', async function () {
    const official = officialCorpus();
    if (!official) {
      // No official division here (the shipped sample has none): compare with the tagger's rules.
      for (const split of ['train', 'valid']) {
        for (const e of loadSplit(split).encounters) {
          const parts = divideNote(e.note);
          const expected = Object.fromEntries(DIVISIONS.map((d) => [d, parts[d]?.text.trim() ?? '']));
          sameSections(await student.sectionsOf(e.note), expected as Record<Division, string>, `sectionsOf on note ${e.encounterId} of the ${split} split`);
        }
      }
      return;
    }
    this.timeout(60000);
    const report = measureSectionAgreement(official);
    for (const split of ['train', 'valid']) {
      const sections = loadOfficialSections(official.sectionsDir, split);
      const byId = new Map(loadSplit(split, official.corpusDir).encounters.map((e) => [e.encounterId, e]));
      const matches = Object.fromEntries(DIVISIONS.map((d) => [d, 0])) as Record<Division, number>;
      const expected = Object.fromEntries(DIVISIONS.map((d) => [d, 0])) as Record<Division, number>;
      for (const [id, off] of sections) {
        const e = byId.get(id);
        if (!e) continue;
        const mine = await student.sectionsOf(e.note);
        const tagger = divideNote(e.note);
        for (const d of DIVISIONS) {
          const o = normalizeSpace(off[d] ?? '');
          if (normalizeSpace(mine[d] ?? '') === o) matches[d]++;
          if (normalizeSpace(tagger[d]?.text ?? '') === o) expected[d]++;
        }
      }
      same(matches, expected, `sectionsOf: notes of the ${split} split whose section equals the official one (${official.sectionsDir}), per section; the benchmark tagger matches ${report.divisions.map((d) => `${d.division} ${d.exactMatches}`).join(', ')} over train and valid`);
    }
  });
});
