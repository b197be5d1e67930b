import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { NoteGenerator, ensureTinyModels, loadLlm, loadSplit, sampleCorpusDir, sectionHeadersIn, type Encounter } from 'medigen-lab';

interface Comparison {
  encounterId: string;
  free: string[];
  grammar: string[];
}
interface Student {
  compareFreeAndGrammar(modelPath: string, encounters: Encounter[], sections: string[]): Comparison[];
}

let student: Remote<Student>;
let dir: string;
let model: string;
before(async () => {
  // The tiny model runs on the CPU in both processes: the same arithmetic (so the same notes) on
  // every machine, and no graphics-card probing at each start. The student's process inherits this.
  process.env.MEDIGEN_GPU = 'cpu';
  dir = mkdtempSync(join(tmpdir(), 'free-or-grammar-'));
  model = (await ensureTinyModels(dir)).model;
  student = await loadStudent<Student>('sections.ts');
});
after(async () => {
  await student?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Headers of the free notes the library generates with seed 0, temperature 0, 400 tokens. */
async function freeHeaders(encounters: Encounter[], sections: string[]): Promise<string[][]> {
  const loaded = await loadLlm(model);
  const generator = await NoteGenerator.create(loaded);
  try {
    const out: string[][] = [];
    for (const e of encounters) out.push(sectionHeadersIn((await generator.generate(e, { seed: 0, temperature: 0, maxTokens: 400 })).text, sections));
    return out;
  } finally {
    await generator.dispose();
    await loaded.dispose();
  }
}

const visit = (id: string, dialogue: string): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note: '' });
const MADE_UP = [
  visit('FG1', '[doctor] how is the asthma ?\n[patient] i use the inhaler twice a week .\n[doctor] lungs are clear today .'),
  visit('FG2', '[doctor] what happened to your wrist ?\n[patient] i fell on it yesterday .\n[doctor] it is tender over the bone , we need an x-ray .'),
];

describe('free-or-grammar', () => {
  it('compareFreeAndGrammar: the grammar note has the three requested headers, in order, for each made-up visit', async () => {
    const sections = ['CHIEF COMPLAINT', 'PHYSICAL EXAMINATION', 'ASSESSMENT AND PLAN'];
    const got = await student.compareFreeAndGrammar(model, MADE_UP, sections);
    assert.deepEqual(got?.map((c) => c.encounterId), ['FG1', 'FG2'], 'one comparison per encounter, in the order given');
    for (const c of got) assert.deepEqual(c.grammar, sections, `the grammar note of ${c.encounterId} should have exactly ${JSON.stringify(sections)}; your code found ${JSON.stringify(c.grammar)}`);
  });

  it('compareFreeAndGrammar: the free note shows the headers the model writes on its own', async () => {
    const sections = ['CHIEF COMPLAINT', 'PHYSICAL EXAMINATION', 'ASSESSMENT AND PLAN'];
    const want = await freeHeaders(MADE_UP, sections);
    const got = await student.compareFreeAndGrammar(model, MADE_UP, sections);
    got?.forEach((c, k) => assert.deepEqual(c.free, want[k], `the free note of ${c.encounterId} (seed 0, temperature 0, no grammar) has the headers ${JSON.stringify(want[k])}; your code found ${JSON.stringify(c.free)}`));
  });

  it('compareFreeAndGrammar uses the sections it is given (two headers, on a sample-corpus visit)', async () => {
    const sections = ['HISTORY OF PRESENT ILLNESS', 'PLAN'];
    const encounter = loadSplit('valid', sampleCorpusDir()).encounters[0]!;
    const got = await student.compareFreeAndGrammar(model, [encounter], sections);
    assert.deepEqual(got?.[0]?.grammar, sections, `with sections ${JSON.stringify(sections)} the grammar note should have exactly those headers; your code found ${JSON.stringify(got?.[0]?.grammar)}`);
  });
});
