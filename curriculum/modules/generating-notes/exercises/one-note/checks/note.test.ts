import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { NoteGenerator, ensureTinyModels, loadLlm, loadSplit, sampleCorpusDir, type Encounter, type LoadedLlm } from 'medigen-lab';

interface Settings {
  seed: number;
  temperature: number;
  maxTokens: number;
}
interface OneNote {
  text: string;
  promptTokens: number;
  generatedTokens: number;
}
interface Student {
  generateOne(modelPath: string, encounter: Encounter, settings: Settings): OneNote;
}

let student: Remote<Student>;
let dir: string;
let model: string;
let loaded: LoadedLlm;
let generator: NoteGenerator;

before(async () => {
  // The tiny model runs on the CPU in both processes: the same arithmetic (so the same notes) on
  // every machine, and no graphics-card probing at each start. The student's process inherits this.
  process.env.MEDIGEN_GPU = 'cpu';
  dir = mkdtempSync(join(tmpdir(), 'one-note-'));
  model = (await ensureTinyModels(dir)).model;
  student = await loadStudent<Student>('note.ts');
});
after(async () => {
  await student?.close();
  await generator?.dispose();
  await loaded?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** What the library itself generates with the same model and settings (loaded once). */
async function expected(encounter: Encounter, settings: Settings): Promise<OneNote> {
  loaded ??= await loadLlm(model);
  generator ??= await NoteGenerator.create(loaded);
  const r = await generator.generate(encounter, settings);
  return { text: r.text, promptTokens: generator.renderPrompt(encounter).tokens.length, generatedTokens: r.generatedTokens };
}

const VISIT: Encounter = {
  dataset: 'aci',
  encounterId: 'GEN1',
  dialogue: '[doctor] hello , what brings you in today ?\n[patient] i twisted my ankle playing football on saturday .\n[doctor] can you walk on it ?\n[patient] a little , but it is swollen .\n[doctor] there is swelling over the outer ankle . we will get an x-ray .',
  note: '',
};

describe('one-note', () => {
  it('generateOne returns the note the model writes with seed 1 and temperature 0.8', async () => {
    const settings = { seed: 1, temperature: 0.8, maxTokens: 40 };
    const want = await expected(VISIT, settings);
    const got = await student.generateOne(model, VISIT, settings);
    assert.equal(got?.text, want.text, `generateOne(${JSON.stringify(settings)}) should give the note the library generates with these settings`);
    assert.equal(got.generatedTokens, want.generatedTokens, `generatedTokens should be the ${want.generatedTokens} tokens the model generated, your code gave ${got.generatedTokens}`);
  });

  it('generateOne gives another note with seed 2 (the seed is passed on)', async () => {
    const settings = { seed: 2, temperature: 0.8, maxTokens: 40 };
    const want = await expected(VISIT, settings);
    const got = await student.generateOne(model, VISIT, settings);
    assert.equal(got?.text, want.text, 'generateOne with seed 2 should give the note the library generates with seed 2 (a different seed draws different words)');
  });

  it('generateOne stops after maxTokens tokens', async () => {
    const settings = { seed: 3, temperature: 0.8, maxTokens: 12 };
    const want = await expected(VISIT, settings);
    const got = await student.generateOne(model, VISIT, settings);
    assert.equal(got?.generatedTokens, want.generatedTokens, `with maxTokens 12 the model should generate ${want.generatedTokens} tokens, your code reported ${got?.generatedTokens}`);
    assert.equal(got.text, want.text, 'with maxTokens 12 the note should be the library\'s 12-token note');
  });

  it('generateOne counts the tokens of the prompt the model really reads (a sample-corpus visit)', async () => {
    const visit = loadSplit('valid', sampleCorpusDir()).encounters[0]!;
    const settings = { seed: 0, temperature: 0, maxTokens: 8 };
    const want = await expected(visit, settings);
    const got = await student.generateOne(model, visit, settings);
    assert.equal(got?.promptTokens, want.promptTokens, `the prompt of ${visit.encounterId} is ${want.promptTokens} tokens with the chat template, your code gave ${got?.promptTokens}`);
  });
});
