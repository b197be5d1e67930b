import assert from 'node:assert/strict';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { COPY_METHODS, DIVISIONS, baselinePredictions, evaluateNotes, loadSplit, sampleCorpusDir, type CopyMethod, type Division, type Encounter, type GroupScores } from 'medigen-lab';

interface Student {
  sectionRouge1(encounters: Encounter[], method: CopyMethod): Record<Division, number>;
  bestPerSection(encounters: Encounter[]): Record<Division, { method: CopyMethod; rouge1: number }>;
}

let student: Remote<Student>;
before(async () => {
  student = await loadStudent<Student>('baselines.ts');
});
after(() => student?.close());

const enc = (id: string, dialogue: string, note: string): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note });

// Made-up visits: the doctor dictates the exam and the plan, so copying turns scores in some sections.
const MADE_UP: Encounter[] = [
  enc(
    'MU1',
    '[doctor] hi , mr. lee . what brings you in ?\n[patient] my left knee hurts when i climb stairs , for about two weeks .\n[doctor] any swelling ?\n[patient] a little in the evening .\n[doctor] on exam there is mild swelling of the left knee with tenderness along the joint line .\n[doctor] assessment and plan : left knee strain . ice , ibuprofen 400 mg as needed , and physical therapy . follow up in four weeks .',
    'CHIEF COMPLAINT\n\nLeft knee pain.\n\nHISTORY OF PRESENT ILLNESS\n\nMr. Lee reports left knee pain when climbing stairs for two weeks, with mild evening swelling.\n\nPHYSICAL EXAMINATION\n\nLeft knee: mild swelling, tenderness along the joint line.\n\nASSESSMENT AND PLAN\n\nLeft knee strain. Ice, ibuprofen 400 mg as needed, physical therapy. Follow up in 4 weeks.',
  ),
  enc(
    'MU2',
    '[doctor] good morning . how is the blood pressure ?\n[patient] it has been high at home , around 150 over 90 .\n[patient] i forget the pill some days .\n[doctor] your blood pressure today is 148 over 92 . heart sounds are normal .\n[doctor] the lab results show normal kidney function .\n[doctor] plan : continue lisinopril 10 mg daily , use a pill box , and recheck in one month .',
    'CHIEF COMPLAINT\n\nHypertension follow-up.\n\nHISTORY OF PRESENT ILLNESS\n\nHome readings around 150/90; misses doses some days.\n\nPHYSICAL EXAMINATION\n\nBlood pressure 148/92. Heart: normal sounds.\n\nRESULTS\n\nKidney function normal.\n\nASSESSMENT AND PLAN\n\nHypertension, not controlled. Continue lisinopril 10 mg daily, use a pill box, recheck in one month.',
  ),
  enc(
    'MU3',
    '[doctor] what is going on today ?\n[patient] i have had a cough and fever for three days .\n[patient_guest] she has not been sleeping well .\n[doctor] lungs are clear , temperature 38.1 .\n[doctor] this is a viral infection . rest , fluids , and tylenol for fever .',
    'CHIEF COMPLAINT\n\nCough and fever.\n\nHISTORY OF PRESENT ILLNESS\n\nThree days of cough and fever, poor sleep.\n\nASSESSMENT AND PLAN\n\nViral infection. Rest, fluids, Tylenol for fever.',
  ),
];

async function expectedScores(encounters: Encounter[], method: CopyMethod): Promise<Record<Division, number>> {
  const ev = await evaluateNotes(encounters, baselinePredictions(encounters, method).map((e) => ({ encounterId: e.encounterId, note: e.note })));
  return Object.fromEntries(DIVISIONS.map((d) => [d, (ev.results[`division-${d}`] as GroupScores).rouge1!])) as Record<Division, number>;
}

async function expectedBest(encounters: Encounter[]): Promise<Record<Division, { method: CopyMethod; rouge1: number }>> {
  const best = {} as Record<Division, { method: CopyMethod; rouge1: number }>;
  for (const m of COPY_METHODS) {
    const s = await expectedScores(encounters, m);
    for (const d of DIVISIONS) if (!best[d] || s[d] > best[d].rouge1) best[d] = { method: m, rouge1: s[d] };
  }
  return best;
}

function closeScores(got: Record<string, number> | undefined, expected: Record<Division, number>, what: string): void {
  for (const d of DIVISIONS) {
    const ok = typeof got?.[d] === 'number' && Math.abs(got[d] - expected[d]) < 1e-9;
    assert.ok(ok, `sectionRouge1 for ${what}, section ${d}: expected a mean ROUGE-1 F1 of ${expected[d]}, your code gave ${got?.[d]}.\n  expected (all sections): ${JSON.stringify(expected)}\n  yours:                  ${JSON.stringify(got)}`);
  }
}

describe('baselines-per-section', () => {
  for (const method of ['transcript', '12-doctor-turns', 'longest-speaker-turn'] as const) {
    it(`sectionRouge1 scores each section of the ${method} baseline on made-up visits`, async () => {
      closeScores(await student.sectionRouge1(MADE_UP, method), await expectedScores(MADE_UP, method), `${method} on 3 made-up visits`);
    });
  }

  it('sectionRouge1 scores each section on the sample corpus', async () => {
    const train = loadSplit('train', sampleCorpusDir()).encounters;
    closeScores(await student.sectionRouge1(train, '12-speaker-turns'), await expectedScores(train, '12-speaker-turns'), '12-speaker-turns on the sample train split');
  });

  it('bestPerSection names the winning baseline of each section (ties go to the one listed first)', async () => {
    for (const [what, encounters] of [['3 made-up visits', MADE_UP], ['the sample valid split', loadSplit('valid', sampleCorpusDir()).encounters]] as const) {
      const expected = await expectedBest([...encounters]);
      const got = await student.bestPerSection([...encounters]);
      for (const d of DIVISIONS) {
        assert.equal(got?.[d]?.method, expected[d].method, `bestPerSection on ${what}, section ${d}: expected ${expected[d].method} (ROUGE-1 F1 ${expected[d].rouge1.toFixed(4)}), your code picked ${got?.[d]?.method} (${got?.[d]?.rouge1})`);
        assert.ok(Math.abs((got[d].rouge1 ?? NaN) - expected[d].rouge1) < 1e-9, `bestPerSection on ${what}, section ${d}: the winner's score should be ${expected[d].rouge1}, your code gave ${got[d].rouge1}`);
      }
    }
  });
});
