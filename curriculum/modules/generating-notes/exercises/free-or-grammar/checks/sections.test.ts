import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudent, type Remote } from 'medigen-lab/checks';
import { DEFAULT_NOTE_SECTIONS, NoteGenerator, ensureTinyModels, loadLlm, loadSplit, sampleCorpusDir, sectionHeadersIn, type Encounter } from 'medigen-lab';

interface Comparison {
  encounterId: string;
  free: string[];
  grammar: string[];
  freeText: string;
  grammarText: string;
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

const LINES = 2;
const CHARS = 60;

/** The free and the grammar notes the library generates with seed 0, temperature 0, 400 tokens. */
async function libraryNotes(encounters: Encounter[], sections: string[]): Promise<{ free: string; grammar: string }[]> {
  const loaded = await loadLlm(model);
  const generator = await NoteGenerator.create(loaded);
  try {
    const out: { free: string; grammar: string }[] = [];
    for (const e of encounters) {
      const free = await generator.generate(e, { seed: 0, temperature: 0, maxTokens: 400 });
      const grammar = await generator.generate(e, { seed: 0, temperature: 0, maxTokens: 400, grammar: { sections, maxLinesPerSection: LINES, maxLineChars: CHARS } });
      out.push({ free: free.text, grammar: grammar.text });
    }
    return out;
  } finally {
    await generator.dispose();
    await loaded.dispose();
  }
}

/** The start of a note, to show in a message (never the whole note). */
const start = (text: string) => JSON.stringify(text.length > 50 ? `${text.slice(0, 50)}…` : text);

/** The headers of a note (the sections asked for, and MediGen Lab's default ones) with the lines of text under each. */
function layout(text: string, sections: string[]): { before: string[]; parts: { header: string; lines: string[] }[] } {
  const known = new Set([...sections, ...DEFAULT_NOTE_SECTIONS]);
  const before: string[] = [];
  const parts: { header: string; lines: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (known.has(line)) parts.push({ header: line, lines: [] });
    else if (line) (parts.at(-1)?.lines ?? before).push(raw);
  }
  return { before, parts };
}

/** Why a grammar note is not the library's, in the student's terms. */
function grammarNoteProblem(id: string, text: string, sections: string[]): string {
  const { before, parts } = layout(text, sections);
  const extra = parts.map((p) => p.header).filter((h) => !sections.includes(h));
  if (extra.length) return `Your grammar note of ${id} has headers that were not asked for (${extra.join(', ')}): the grammar should force exactly the sections it is given, grammar: { sections, maxLinesPerSection: ${LINES}, maxLineChars: ${CHARS} }, not 'soap' (MediGen Lab's six default headers).`;
  if (before.length || !parts.length) return `Your grammar note of ${id} does not start with the header ${sections[0]}: it was generated without the grammar. Give the second generate call grammar: { sections, maxLinesPerSection: ${LINES}, maxLineChars: ${CHARS} }.`;
  for (const p of parts) {
    const longest = Math.max(...p.lines.map((l) => l.length));
    if (p.lines.length > LINES || longest > CHARS) {
      return `Under ${p.header} your grammar note of ${id} has ${p.lines.length} line(s), the longest ${longest} characters. The grammar should allow at most ${LINES} lines of at most ${CHARS} characters under each header: grammar: { sections, maxLinesPerSection: ${LINES}, maxLineChars: ${CHARS} }. Without these bounds a section may take 12 lines of 400 characters, and the note is cut at 400 tokens before the later headers.`;
    }
  }
  const found = parts.map((p) => p.header);
  if (found.join('\n') !== sections.join('\n')) return `Your grammar note of ${id} has the headers ${JSON.stringify(found)}, not all of ${JSON.stringify(sections)}: it was cut off before the end. Keep maxTokens 400 and the bounds of 2 lines of 60 characters.`;
  return `Your grammar note of ${id} (it starts ${start(text)}) is not the note the model writes with seed 0, temperature 0, at most 400 tokens and this grammar. Give the grammar note the same seed, temperature and maxTokens as the free note, so that the grammar is the only difference between the two.`;
}

/** The student's grammar note of one comparison is real, bounded, and its headers are the ones reported. */
function checkGrammarNote(c: Comparison, want: string, sections: string[]): void {
  assert.ok(
    typeof c.grammarText === 'string' && c.grammarText !== '',
    `Your comparison for ${c.encounterId} gives no text of the grammar note (grammarText is ${JSON.stringify(c.grammarText)}). Generate the note with the grammar and return its text too, grammarText: constrained.text, so the headers you report can be checked against the note they come from.`,
  );
  const inText = sectionHeadersIn(c.grammarText, sections);
  assert.ok(JSON.stringify(c.grammar) === JSON.stringify(inText), `The grammar headers you report for ${c.encounterId} (${JSON.stringify(c.grammar)}) are not the ones in your grammar note (${JSON.stringify(inText)}). Find them in the note: grammar: sectionHeadersIn(constrained.text, sections).`);
  assert.ok(c.grammarText === want, grammarNoteProblem(c.encounterId, c.grammarText, sections));
}

const visit = (id: string, dialogue: string): Encounter => ({ dataset: 'aci', encounterId: id, dialogue, note: '' });
const MADE_UP = [
  visit('FG1', '[doctor] how is the asthma ?\n[patient] i use the inhaler twice a week .\n[doctor] lungs are clear today .'),
  visit('FG2', '[doctor] what happened to your wrist ?\n[patient] i fell on it yesterday .\n[doctor] it is tender over the bone , we need an x-ray .'),
];

describe('free-or-grammar', () => {
  it('compareFreeAndGrammar: the grammar note has the three requested headers, in order, for each made-up visit', async () => {
    const sections = ['CHIEF COMPLAINT', 'PHYSICAL EXAMINATION', 'ASSESSMENT AND PLAN'];
    const want = await libraryNotes(MADE_UP, sections);
    const got = await student.compareFreeAndGrammar(model, MADE_UP, sections);
    assert.deepEqual(got?.map((c) => c.encounterId), ['FG1', 'FG2'], 'one comparison per encounter, in the order given');
    got.forEach((c, k) => checkGrammarNote(c, want[k]!.grammar, sections));
    for (const c of got) assert.deepEqual(c.grammar, sections, `the grammar note of ${c.encounterId} should have exactly ${JSON.stringify(sections)}; your code found ${JSON.stringify(c.grammar)}`);
  });

  it('compareFreeAndGrammar: the free note shows the headers the model writes on its own', async () => {
    const sections = ['CHIEF COMPLAINT', 'PHYSICAL EXAMINATION', 'ASSESSMENT AND PLAN'];
    const want = await libraryNotes(MADE_UP, sections);
    const got = await student.compareFreeAndGrammar(model, MADE_UP, sections);
    got?.forEach((c, k) => {
      assert.ok(
        typeof c.freeText === 'string' && c.freeText !== '',
        `Your comparison for ${c.encounterId} gives no text of the free note (freeText is ${JSON.stringify(c.freeText)}). Return the text generate gave back, freeText: free.text, so the headers you report can be checked against the note they come from.`,
      );
      const inText = sectionHeadersIn(c.freeText, sections);
      assert.ok(JSON.stringify(c.free) === JSON.stringify(inText), `The free headers you report for ${c.encounterId} (${JSON.stringify(c.free)}) are not the ones in your free note (${JSON.stringify(inText)}). Find them in the note: free: sectionHeadersIn(free.text, sections).`);
      assert.ok(
        c.freeText === want[k]!.free,
        c.freeText.trim().startsWith(sections[0]!)
          ? `Your free note of ${c.encounterId} starts with the header ${sections[0]}: it was generated with a grammar. The free note is generated without the grammar option, to show what the model writes on its own.`
          : `Your free note of ${c.encounterId} (it starts ${start(c.freeText)}) is not the note the model writes freely with seed 0, temperature 0 and at most 400 tokens. Generate it with exactly these settings and no grammar.`,
      );
    });
  });

  it('compareFreeAndGrammar uses the sections it is given (two headers, on a sample-corpus visit)', async () => {
    const sections = ['HISTORY OF PRESENT ILLNESS', 'PLAN'];
    const encounter = loadSplit('valid', sampleCorpusDir()).encounters[0]!;
    const want = await libraryNotes([encounter], sections);
    const got = await student.compareFreeAndGrammar(model, [encounter], sections);
    assert.ok(got?.length === 1, `compareFreeAndGrammar with one encounter should give one comparison; your code gave ${got?.length}`);
    checkGrammarNote(got[0]!, want[0]!.grammar, sections);
    assert.deepEqual(got[0]!.grammar, sections, `with sections ${JSON.stringify(sections)} the grammar note should have exactly those headers; your code found ${JSON.stringify(got[0]!.grammar)}`);
  });
});
