import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { ensureTinyModels, loadSplit, noteMessages, resolveCorpusDir, rouge, type Encounter } from 'medigen-lab';

interface GeneratedNote {
  encounterId: string;
  prompt: string;
  note: string;
}
interface PromptRun {
  template: string;
  notes: GeneratedNote[];
  rouge1: number;
}
interface Student {
  comparePrompts(modelPath: string, encounters: Encounter[], templateA: string, templateB: string, maxTokens?: number): Promise<{ a: PromptRun; b: PromptRun }>;
}
let student: Remote<Student>;
let dir: string;
let model: string;
let encounters: Encounter[] = [];
let pending: Promise<{ a: PromptRun; b: PromptRun }> | undefined;
/** The student's experiment, run once and shared by the checks (each check fails if it throws). */
const compared = () => (pending ??= student.comparePrompts(model, encounters, TEMPLATE_A, TEMPLATE_B, 24));

// Two prompts the student has not seen, and encounters: two made up, two from the corpus's valid split.
const TEMPLATE_A = 'Write a SOAP note for this visit.\n\n{{dialogue}}';
const TEMPLATE_B = 'You are the physician of encounter {{encounter_id}}. Write the assessment and plan only.\n\nDialogue:\n{{dialogue}}';
const MADE_UP: Encounter[] = [
  { dataset: 'aci', encounterId: 'P1', dialogue: '[doctor] how is the cough ?\n[patient] better , but i still wheeze at night .', note: 'ASSESSMENT AND PLAN\n\nAsthma, partly controlled. Continue inhaler.' },
  { dataset: 'virtscribe', encounterId: 'P2', dialogue: '[doctor] knee pain for two weeks after running .\n[patient] yes , on the inside .', note: 'HISTORY OF PRESENT ILLNESS\n\nMedial knee pain for two weeks.' },
];

before(async function () {
  this.timeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'compare-prompts-'));
  model = (await ensureTinyModels(dir)).model;
  encounters = [...MADE_UP, ...loadSplit('valid', resolveCorpusDir()).encounters.slice(0, 2)].map(({ dataset, encounterId, dialogue, note }) => ({ dataset, encounterId, dialogue, note }));
  student = await loadStudent<Student>('compare.ts');
});
after(() => {
  student?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compare-prompts', function () {
  this.timeout(120_000);

  it('comparePrompts runs both prompts on the same encounters, in order', async () => {
    const result = await compared();
    const ids = encounters.map((e) => e.encounterId);
    for (const side of ['a', 'b'] as const) {
      const got = result?.[side]?.notes?.map((n) => n.encounterId);
      assert.deepEqual(got, ids, `comparePrompts: prompt ${side.toUpperCase()} should have one note per encounter\n  expected: ${JSON.stringify(ids)}\n  got:      ${JSON.stringify(got)}`);
    }
  });

  it('comparePrompts really sends each prompt: every request is its template filled in for the encounter', async () => {
    const result = await compared();
    for (const [side, template] of [['a', TEMPLATE_A], ['b', TEMPLATE_B]] as const) {
      assert.equal(result[side].template, template, `comparePrompts: run ${side} should record its template`);
      result[side].notes.forEach((n, k) => {
        const expected = noteMessages(encounters[k]!, { template }).user;
        assert.equal(n.prompt, expected, `comparePrompts: the request of prompt ${side.toUpperCase()} for ${n.encounterId}\n  expected: ${JSON.stringify(expected.slice(0, 160))}...\n  got:      ${JSON.stringify(String(n.prompt).slice(0, 160))}...`);
        assert.equal(typeof n.note, 'string', `comparePrompts: the note of ${n.encounterId} should be the generated text`);
      });
    }
  });

  it('comparePrompts records each prompt\'s mean ROUGE-1 of its notes against the physicians\' notes', async () => {
    const result = await compared();
    for (const side of ['a', 'b'] as const) {
      const notes = result[side].notes;
      const expected = notes.reduce((s, n, k) => s + rouge(encounters[k]!.note, n.note).rouge1.fmeasure, 0) / notes.length;
      assert.ok(Math.abs(result[side].rouge1 - expected) < 1e-9, `comparePrompts: the ROUGE-1 of prompt ${side.toUpperCase()} should be the mean over its ${notes.length} notes, ${expected}, got ${result[side].rouge1}`);
    }
  });
});
