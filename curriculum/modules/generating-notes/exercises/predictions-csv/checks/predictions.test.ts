import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { DEFAULT_NOTE_SECTIONS, ensureTinyModels, evaluateNotes, loadPredictions, loadSplit, sectionHeadersIn, writeCsv, type Encounter, type GroupScores } from 'medigen-lab';

interface RunSummary {
  total: number;
  generated: number;
  complete: boolean;
}
interface Student {
  generatePredictions(modelPath: string, split: string, corpusDir: string, out: string, limit?: number): RunSummary;
  scorePredictions(predictionsFile: string, split: string, corpusDir: string): { rouge1: number; rougeLsum: number };
}

let student: Remote<Student>;
let dir: string;
let corpus: string;
let model: string;

const enc = (id: string, dialogue: string, note: string): Encounter => ({ dataset: 'virtscribe', encounterId: id, dialogue, note });
const VALID = [
  enc('PC1', '[doctor] what brings you in ?\n[patient] headaches for a week .\n[doctor] any vision changes ?\n[patient] no .', 'CHIEF COMPLAINT\n\nHeadache.\n\nHISTORY OF PRESENT ILLNESS\n\nOne week of headaches, no vision changes.\n\nASSESSMENT AND PLAN\n\nTension headache. Ibuprofen as needed.'),
  enc('PC2', '[doctor] how is your sugar ?\n[patient] around 180 in the morning .\n[doctor] your a1c is 8.2 .', 'CHIEF COMPLAINT\n\nDiabetes follow-up.\n\nRESULTS\n\nHbA1c 8.2.\n\nASSESSMENT AND PLAN\n\nType 2 diabetes, not at goal. Increase metformin.'),
  enc('PC3', '[doctor] tell me about the rash .\n[patient] it itches on my arms .\n[doctor] it looks like eczema .', 'CHIEF COMPLAINT\n\nRash.\n\nPHYSICAL EXAMINATION\n\nDry patches on both forearms.\n\nASSESSMENT AND PLAN\n\nEczema. Moisturizer and hydrocortisone cream.'),
];

before(async () => {
  // The tiny model runs on the CPU in both processes: the same arithmetic (so the same notes) on
  // every machine, and no graphics-card probing at each start. The student's process inherits this.
  process.env.MEDIGEN_GPU = 'cpu';
  dir = mkdtempSync(join(tmpdir(), 'predictions-csv-'));
  corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'valid.csv'), writeCsv(['dataset', 'encounter_id', 'dialogue', 'note'], VALID.map((e) => [e.dataset, e.encounterId, e.dialogue, e.note])));
  model = (await ensureTinyModels(join(dir, 'models'))).model;
  student = await loadStudent<Student>('predictions.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('predictions-csv', () => {
  it('generatePredictions writes one note for each of the first 2 encounters when limit is 2', async () => {
    const out = join(dir, 'first-two.csv');
    const run = await student.generatePredictions(model, 'valid', corpus, out, 2);
    assert.deepEqual(run, { total: 2, generated: 2, complete: true }, `generatePredictions with limit 2 should report { total: 2, generated: 2, complete: true }; your code gave ${JSON.stringify(run)}`);
    assert.ok(existsSync(out), `generatePredictions should write ${out}, but there is no such file`);
    assert.deepEqual(loadPredictions(out).map((p) => p.encounterId), ['PC1', 'PC2'], 'the CSV should have the encounter ids PC1 and PC2');
  });

  it('generatePredictions: every note has the six SOAP headers, in order (grammar bounded to fit 400 tokens)', async () => {
    const out = join(dir, 'all.csv');
    const run = await student.generatePredictions(model, 'valid', corpus, out);
    assert.equal(run?.generated, 3, `without a limit all 3 encounters should be generated; your code reported ${run?.generated}`);
    for (const p of loadPredictions(out)) {
      assert.deepEqual(sectionHeadersIn(p.note, DEFAULT_NOTE_SECTIONS), [...DEFAULT_NOTE_SECTIONS], `the note of ${p.encounterId} should have the headers ${DEFAULT_NOTE_SECTIONS.join(', ')}; it has ${JSON.stringify(sectionHeadersIn(p.note, DEFAULT_NOTE_SECTIONS))}:\n${p.note.slice(0, 300)}`);
    }
  });

  it('scorePredictions gives the whole-note ROUGE-1 and ROUGE-Lsum that medigen eval computes', async () => {
    // Hidden predictions: the reference notes with some words changed, in another row order.
    const file = join(dir, 'hidden.csv');
    writeFileSync(file, writeCsv(['encounter_id', 'note'], [
      ['PC3', 'CHIEF COMPLAINT\n\nRash on arms.\n\nASSESSMENT AND PLAN\n\nEczema. Use moisturizer.'],
      ['PC1', VALID[0]!.note],
      ['PC2', 'Diabetes. Increase metformin, recheck HbA1c.'],
    ]));
    const ev = await evaluateNotes(loadSplit('valid', corpus).encounters, loadPredictions(file));
    const want = ev.results.ALL as GroupScores;
    const got = await student.scorePredictions(file, 'valid', corpus);
    for (const k of ['rouge1', 'rougeLsum'] as const) {
      assert.ok(typeof got?.[k] === 'number' && Math.abs(got[k] - want[k]!) < 1e-9, `scorePredictions ${k}: medigen eval gives ${want[k]} for these predictions; your code gave ${got?.[k]}`);
    }
  });
});
